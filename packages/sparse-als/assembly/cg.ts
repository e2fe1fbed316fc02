// Conjugate-gradient ALS half-step for @aiffel/sparse-als, compiled to WebAssembly with 128-bit
// SIMD by `npm run build` (AssemblyScript). Same algorithm as cgRows in src/als-solvers.ts, in
// float32 with vectors of f4 = f rounded up to 4 (padding lanes are zero and stay zero).

@inline
function hsum(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3);
}

/**
 * acc + a * b. Relaxed SIMD's fused multiply-add (f32x4.relaxed_madd) was measured here at 3-5%
 * faster on this kernel, which is bound by loads, not arithmetic: not worth a second build and a
 * V8 flag on Node 20.
 */
@inline
function madd(a: v128, b: v128, acc: v128): v128 {
  return f32x4.add(acc, f32x4.mul(a, b));
}

@inline
function dot(a: usize, b: usize, bytes: usize): f32 {
  let s0 = f32x4.splat(0);
  let s1 = f32x4.splat(0);
  let t: usize = 0;
  for (; t + 32 <= bytes; t += 32) {
    s0 = madd(v128.load(a + t), v128.load(b + t), s0);
    s1 = madd(v128.load(a + t + 16), v128.load(b + t + 16), s1);
  }
  for (; t < bytes; t += 16) s0 = madd(v128.load(a + t), v128.load(b + t), s0);
  return hsum(f32x4.add(s0, s1));
}

/**
 * [a0 . v, a1 . v, a2 . v, a3 . v]: four dot products against one vector in one pass, so v is
 * loaded once for four rows and the four sums are independent chains (one dot at a time is
 * bound by the latency of its additions, not by arithmetic).
 */
@inline
function dot4(a0: usize, a1: usize, a2: usize, a3: usize, v: usize, bytes: usize): v128 {
  let s0 = f32x4.splat(0);
  let s1 = f32x4.splat(0);
  let s2 = f32x4.splat(0);
  let s3 = f32x4.splat(0);
  for (let t: usize = 0; t < bytes; t += 16) {
    const vt = v128.load(v + t);
    s0 = madd(v128.load(a0 + t), vt, s0);
    s1 = madd(v128.load(a1 + t), vt, s1);
    s2 = madd(v128.load(a2 + t), vt, s2);
    s3 = madd(v128.load(a3 + t), vt, s3);
  }
  // Transpose-and-add: lane i of the result is the sum of the lanes of s_i.
  const s01 = f32x4.add(i32x4.shuffle(s0, s1, 0, 4, 1, 5), i32x4.shuffle(s0, s1, 2, 6, 3, 7));
  const s23 = f32x4.add(i32x4.shuffle(s2, s3, 0, 4, 1, 5), i32x4.shuffle(s2, s3, 2, 6, 3, 7));
  return f32x4.add(i32x4.shuffle(s01, s23, 0, 1, 4, 5), i32x4.shuffle(s01, s23, 2, 3, 6, 7));
}

/** out += w * a */
@inline
function axpy(out: usize, w: f32, a: usize, bytes: usize): void {
  const vw = f32x4.splat(w);
  for (let t: usize = 0; t < bytes; t += 16) v128.store(out + t, madd(vw, v128.load(a + t), v128.load(out + t)));
}

/** out += w0 a0 + w1 a1 + w2 a2 + w3 a3, with the weights in the lanes of w: out is loaded and stored once for four rows. */
@inline
function axpy4(out: usize, w: v128, a0: usize, a1: usize, a2: usize, a3: usize, bytes: usize): void {
  const w0 = i32x4.shuffle(w, w, 0, 0, 0, 0);
  const w1 = i32x4.shuffle(w, w, 1, 1, 1, 1);
  const w2 = i32x4.shuffle(w, w, 2, 2, 2, 2);
  const w3 = i32x4.shuffle(w, w, 3, 3, 3, 3);
  for (let t: usize = 0; t < bytes; t += 16) {
    let o = v128.load(out + t);
    o = madd(w0, v128.load(a0 + t), o);
    o = madd(w1, v128.load(a1 + t), o);
    o = madd(w2, v128.load(a2 + t), o);
    o = madd(w3, v128.load(a3 + t), o);
    v128.store(out + t, o);
  }
}

/** out = G v for the f4 x f4 matrix G (row-major; f4 is a multiple of 4), four rows of G at a time. */
@inline
function matVec(g: usize, v: usize, out: usize, f4: i32, bytes: usize): void {
  for (let p = 0; p < f4; p += 4) {
    const row = g + <usize>p * bytes;
    v128.store(out + ((<usize>p) << 2), dot4(row, row + bytes, row + 2 * bytes, row + 3 * bytes, v, bytes));
  }
}

@inline
function rowOf(other: usize, indices: usize, k: i32, bytes: usize): usize {
  return other + <usize>load<i32>(indices + ((<usize>k) << 2)) * bytes;
}

/**
 * out += sum over the row's interactions k of (base + scale * data_k * (y_k . v)) y_k, where y_k is
 * row indices[k] of `other`: the interaction part of both the CG residual (base 1 + alpha r and
 * scale -alpha r, folded in below) and of A p. Four interactions at a time.
 */
@inline
function interactions(
  indices: usize,
  data: usize,
  s0: i32,
  s1: i32,
  other: usize,
  v: usize,
  out: usize,
  alpha: f32,
  residual: bool,
  bytes: usize,
): void {
  const va = f32x4.splat(alpha);
  const one = f32x4.splat(1);
  let k = s0;
  for (; k + 4 <= s1; k += 4) {
    const y0 = rowOf(other, indices, k, bytes);
    const y1 = rowOf(other, indices, k + 1, bytes);
    const y2 = rowOf(other, indices, k + 2, bytes);
    const y3 = rowOf(other, indices, k + 3, bytes);
    const cm1 = f32x4.mul(va, v128.load(data + ((<usize>k) << 2)));
    const d = dot4(y0, y1, y2, y3, v, bytes);
    // residual: 1 + cm1 - cm1 (y . x); A p: cm1 (y . p)
    const w = residual ? f32x4.sub(f32x4.add(one, cm1), f32x4.mul(cm1, d)) : f32x4.mul(cm1, d);
    axpy4(out, w, y0, y1, y2, y3, bytes);
  }
  for (; k < s1; k++) {
    const y = rowOf(other, indices, k, bytes);
    const cm1 = alpha * load<f32>(data + ((<usize>k) << 2));
    const d = dot(y, v, bytes);
    axpy(out, residual ? 1 + cm1 - cm1 * d : cm1 * d, y, bytes);
  }
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
    interactions(indices, data, s0, s1, other, x, r, alpha, true, bytes);
    memory.copy(p, r, bytes);
    let rsold = dot(r, r, bytes);
    if (rsold < 1e-20) continue;
    for (let step = 0; step < steps; step++) {
      matVec(gram, p, ap, f4, bytes);
      interactions(indices, data, s0, s1, other, p, ap, alpha, false, bytes);
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
