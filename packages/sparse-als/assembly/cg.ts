// Conjugate-gradient ALS half-step for @aiffel/sparse-als, compiled to WebAssembly with 128-bit
// SIMD by `npm run build` (AssemblyScript). Same algorithm as cgRows in src/als-solvers.ts, in
// float32 with vectors of f4 = f rounded up to 4 (padding lanes are zero and stay zero).

@inline
function hsum(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3);
}

@inline
function dot(a: usize, b: usize, bytes: usize): f32 {
  let s0 = f32x4.splat(0);
  let s1 = f32x4.splat(0);
  let t: usize = 0;
  for (; t + 32 <= bytes; t += 32) {
    s0 = f32x4.add(s0, f32x4.mul(v128.load(a + t), v128.load(b + t)));
    s1 = f32x4.add(s1, f32x4.mul(v128.load(a + t + 16), v128.load(b + t + 16)));
  }
  for (; t < bytes; t += 16) s0 = f32x4.add(s0, f32x4.mul(v128.load(a + t), v128.load(b + t)));
  return hsum(f32x4.add(s0, s1));
}

/** out += w * a */
@inline
function axpy(out: usize, w: f32, a: usize, bytes: usize): void {
  const vw = f32x4.splat(w);
  for (let t: usize = 0; t < bytes; t += 16) v128.store(out + t, f32x4.add(v128.load(out + t), f32x4.mul(vw, v128.load(a + t))));
}

/** out = G v for the f4 x f4 matrix G (row-major). */
@inline
function matVec(g: usize, v: usize, out: usize, f4: i32, bytes: usize): void {
  for (let p = 0; p < f4; p++) store<f32>(out + ((<usize>p) << 2), dot(g + <usize>p * bytes, v, bytes));
}

/**
 * Rows 0..rows-1 of a CSR block (indptr relative to the block, indices into `other`), solving
 * (G + sum alpha r y y^T) x = sum (1 + alpha r) y from the current x in `factors` with `steps`
 * CG iterations. `scratch` holds four f4-float vectors.
 */
export function cgRows(indptr: usize, indices: usize, data: usize, rows: i32, other: usize, gram: usize, factors: usize, f4: i32, alpha: f32, steps: i32, scratch: usize): void {
  const bytes = (<usize>f4) << 2;
  const r = scratch;
  const p = r + bytes;
  const ap = p + bytes;
  for (let u = 0; u < rows; u++) {
    const x = factors + <usize>u * bytes;
    const s0 = load<i32>(indptr + ((<usize>u) << 2));
    const s1 = load<i32>(indptr + ((<usize>u + 1) << 2));
    matVec(gram, x, r, f4, bytes);
    for (let t: usize = 0; t < bytes; t += 16) v128.store(r + t, f32x4.neg(v128.load(r + t)));
    for (let k = s0; k < s1; k++) {
      const y = other + <usize>load<i32>(indices + ((<usize>k) << 2)) * bytes;
      const cm1 = alpha * load<f32>(data + ((<usize>k) << 2));
      axpy(r, 1 + cm1 - cm1 * dot(y, x, bytes), y, bytes);
    }
    memory.copy(p, r, bytes);
    let rsold = dot(r, r, bytes);
    if (rsold < 1e-20) continue;
    for (let step = 0; step < steps; step++) {
      matVec(gram, p, ap, f4, bytes);
      for (let k = s0; k < s1; k++) {
        const y = other + <usize>load<i32>(indices + ((<usize>k) << 2)) * bytes;
        axpy(ap, alpha * load<f32>(data + ((<usize>k) << 2)) * dot(y, p, bytes), y, bytes);
      }
      const a = rsold / dot(p, ap, bytes);
      const va = f32x4.splat(a);
      for (let t: usize = 0; t < bytes; t += 16) {
        v128.store(x + t, f32x4.add(v128.load(x + t), f32x4.mul(va, v128.load(p + t))));
        v128.store(r + t, f32x4.sub(v128.load(r + t), f32x4.mul(va, v128.load(ap + t))));
      }
      const rsnew = dot(r, r, bytes);
      if (rsnew < 1e-20) break;
      const vb = f32x4.splat(rsnew / rsold);
      for (let t: usize = 0; t < bytes; t += 16) v128.store(p + t, f32x4.add(v128.load(r + t), f32x4.mul(vb, v128.load(p + t))));
      rsold = rsnew;
    }
  }
}

/**
 * out (f4 x f4, float64, row-major) += sum over the n rows y of y y^T, rows of f4 float32.
 * Float64 accumulators: Gram matrices sum hundreds of thousands of rows.
 */
export function gram(rows: usize, n: i32, f4: i32, out: usize): void {
  const bytes = (<usize>f4) << 2;
  const outRow = (<usize>f4) << 3;
  for (let i = 0; i < n; i++) {
    const y = rows + <usize>i * bytes;
    for (let p = 0; p < f4; p++) {
      const yp = f64x2.splat(<f64>load<f32>(y + ((<usize>p) << 2)));
      const o = out + <usize>p * outRow;
      for (let q: usize = 0; q < bytes; q += 16) {
        const v = v128.load(y + q);
        const lo = f64x2.promote_low_f32x4(v);
        const hi = f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 0, 1));
        const oq = o + (q << 1);
        v128.store(oq, f64x2.add(v128.load(oq), f64x2.mul(yp, lo)));
        v128.store(oq + 16, f64x2.add(v128.load(oq + 16), f64x2.mul(yp, hi)));
      }
    }
  }
}

/** out[i] = y_i . x for the n rows y (f4 floats each): every item's score for one user. */
export function scores(rows: usize, n: i32, f4: i32, x: usize, out: usize): void {
  const bytes = (<usize>f4) << 2;
  for (let i = 0; i < n; i++) store<f32>(out + ((<usize>i) << 2), dot(rows + <usize>i * bytes, x, bytes));
}
