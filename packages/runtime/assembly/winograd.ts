// Winograd F(2x2, 3x3) for stride-1, undilated 3x3 NHWC convolutions (Lavin and Gray 2016): each
// 2x2 block of outputs ("tile") comes from a 4x4 input patch with 16 multiplies per channel pair
// instead of 36, so the convolution's products shrink 2.25x. Three passes, each one thread's
// share of tiles; the 16 products between them run on the GEMM kernel (gemm.ts, batch 16):
//   filter:  U[xi][ic][oc] = (G g G^T)[xi]            G  = [1 0 0; .5 .5 .5; .5 -.5 .5; 0 0 1]
//   input:   V[xi][t][ic]  = (B^T d B)[xi]            B^T = [1 0 -1 0; 0 1 1 0; 0 -1 1 0; 0 1 0 -1]
//   product: M[xi] = V[xi] U[xi]                      (gemm, batch xi)
//   output:  Y[2x2 of t][oc] = (A^T m A) + bias, act  A^T = [1 1 1 0; 0 1 -1 -1]
// The filter gradient is the adjoint of the same algebra (dU = sum over tiles of V^T dM):
//   dy:      dM[xi][t][oc] = (A dY A^T)[xi]          (winogradGradOutput: the 2x2 of dy, zero past the edge)
//   product: dU[xi] += V[xi]^T dM[xi]                 (gemm, batch xi, accumulated chunk by chunk)
//   filter:  dg = G^T dU G                            (winogradGradFilter)
// The transforms' coefficients are 0, ±1 and ±1/2, exact in float32, so the only extra rounding
// is that of the additions: a few units in the last place of the patch's magnitude.
// Channels go four at a time (v128), so IC and OC must be multiples of 4.

// Parameter block layout (i32 words).
const W_T0 = 0; // tiles [t0, t1) of this call, counted within the chunk starting at tile T_BASE
const W_T1 = 1;
const W_BASE = 2; // first tile of the chunk (global tile number)
const W_TC = 3; // tiles in the chunk (V's and M's row count)
const W_X = 4; // input (byte offset)
const W_V = 5; // V: 16 x TC x IC
const W_M = 6; // M: 16 x TC x OC
const W_Y = 7; // output
const W_BIAS = 8; // 0: none
const W_ACT = 9;
const W_H = 10;
const W_W = 11;
const W_IC = 12;
const W_OC = 13;
const W_OH = 14;
const W_OW = 15;
const W_PT = 16;
const W_PL = 17;
const W_G = 18; // filter [3, 3, IC, OC]
const W_U = 19; // U: 16 x IC x OC
const W_C0 = 20; // filter pass: input channels [c0, c1)
const W_C1 = 21;

@inline function param(p: usize, i: i32): i32 {
  return load<i32>(p + (<usize>i << 2));
}

// Set by outputTile: whether the tile's 2x2 block has its right column and lower row inside the
// output. Globals are per instance, and each thread has its own instance.
let tileRight = false;
let tileBelow = false;

/** The output pixel (counted over the whole batch) of tile g's top-left corner; sets tileRight / tileBelow. */
@inline function outputTile(g: i32, oh: i32, ow: i32): i32 {
  const tw = (ow + 1) >> 1;
  const th = (oh + 1) >> 1;
  const tx = g % tw;
  const rest = g / tw;
  const oy = (rest % th) * 2;
  const ox = tx * 2;
  tileRight = ox + 1 < ow;
  tileBelow = oy + 1 < oh;
  return ((rest / th) * oh + oy) * ow + ox;
}

@inline function activate(v: v128, act: i32): v128 {
  if (act == 1) return f32x4.max(v, f32x4.splat(0));
  if (act == 2) return f32x4.min(f32x4.max(v, f32x4.splat(0)), f32x4.splat(6));
  return v;
}

/** U = G g G^T for input channels [c0, c1), all output channels. */
export function winogradFilter(p: usize): void {
  const ic = param(p, W_IC);
  const oc = param(p, W_OC);
  const g = <usize>param(p, W_G);
  const u = <usize>param(p, W_U);
  const half = f32x4.splat(0.5);
  const plane = <usize>(ic * oc) << 2; // bytes between the 16 (or 9) matrices
  for (let c = param(p, W_C0); c < param(p, W_C1); c++) {
    for (let o = 0; o < oc; o += 4) {
      const at = <usize>(c * oc + o) << 2;
      // t[i][j] = (G g)[i][j]: rows of G applied down the filter's columns.
      for (let j = 0; j < 3; j++) {
        const g0 = v128.load(g + at + <usize>j * plane);
        const g1 = v128.load(g + at + <usize>(3 + j) * plane);
        const g2 = v128.load(g + at + <usize>(6 + j) * plane);
        const t0 = g0;
        const t1 = f32x4.mul(f32x4.add(f32x4.add(g0, g1), g2), half);
        const t2 = f32x4.mul(f32x4.add(f32x4.sub(g0, g1), g2), half);
        const t3 = g2;
        // Parked in U's slots for column j of rows 0..3; the row pass below reads them back.
        v128.store(u + at + <usize>(0 * 4 + j) * plane, t0);
        v128.store(u + at + <usize>(1 * 4 + j) * plane, t1);
        v128.store(u + at + <usize>(2 * 4 + j) * plane, t2);
        v128.store(u + at + <usize>(3 * 4 + j) * plane, t3);
      }
      // (G g) G^T: the same combination along each row.
      for (let i = 0; i < 4; i++) {
        const r = u + at + <usize>(i * 4) * plane;
        const a0 = v128.load(r);
        const a1 = v128.load(r + plane);
        const a2 = v128.load(r + 2 * plane);
        v128.store(r, a0);
        v128.store(r + plane, f32x4.mul(f32x4.add(f32x4.add(a0, a1), a2), half));
        v128.store(r + 2 * plane, f32x4.mul(f32x4.add(f32x4.sub(a0, a1), a2), half));
        v128.store(r + 3 * plane, a2);
      }
    }
  }
}

/** V = B^T d B for tiles [t0, t1) of the chunk: the 4x4 input patch of each tile, zero outside the image. */
export function winogradInput(p: usize): void {
  const ic = param(p, W_IC);
  const h = param(p, W_H);
  const w = param(p, W_W);
  const tw = (param(p, W_OW) + 1) >> 1;
  const th = (param(p, W_OH) + 1) >> 1;
  const x = <usize>param(p, W_X);
  const v = <usize>param(p, W_V);
  const tc = param(p, W_TC);
  const base = param(p, W_BASE);
  const pt = param(p, W_PT);
  const pl = param(p, W_PL);
  const plane = <usize>(tc * ic) << 2;
  const row = <usize>(w * ic) << 2;
  for (let t = param(p, W_T0); t < param(p, W_T1); t++) {
    const g = base + t;
    const tx = g % tw;
    const rest = g / tw;
    const ty = rest % th;
    const img = rest / th;
    const y0 = ty * 2 - pt;
    const x0 = tx * 2 - pl;
    const inside = y0 >= 0 && x0 >= 0 && y0 + 4 <= h && x0 + 4 <= w;
    const origin = x + (<usize>(((img * h + y0) * w + x0) * ic) << 2);
    const out = v + (<usize>(t * ic) << 2);
    for (let c = 0; c < ic; c += 4) {
      const cb = <usize>c << 2;
      // Rows of B^T d: for each patch column j, combine the four patch rows.
      let s00 = f32x4.splat(0), s01 = s00, s02 = s00, s03 = s00;
      let s10 = s00, s11 = s00, s12 = s00, s13 = s00;
      let s20 = s00, s21 = s00, s22 = s00, s23 = s00;
      let s30 = s00, s31 = s00, s32 = s00, s33 = s00;
      for (let j = 0; j < 4; j++) {
        let d0 = f32x4.splat(0), d1 = d0, d2 = d0, d3 = d0;
        const col = origin + (<usize>(j * ic) << 2) + cb;
        if (inside) {
          d0 = v128.load(col);
          d1 = v128.load(col + row);
          d2 = v128.load(col + 2 * row);
          d3 = v128.load(col + 3 * row);
        } else {
          const xx = x0 + j;
          if (<u32>xx < <u32>w) {
            if (<u32>y0 < <u32>h) d0 = v128.load(col);
            if (<u32>(y0 + 1) < <u32>h) d1 = v128.load(col + row);
            if (<u32>(y0 + 2) < <u32>h) d2 = v128.load(col + 2 * row);
            if (<u32>(y0 + 3) < <u32>h) d3 = v128.load(col + 3 * row);
          }
        }
        const e0 = f32x4.sub(d0, d2);
        const e1 = f32x4.add(d1, d2);
        const e2 = f32x4.sub(d2, d1);
        const e3 = f32x4.sub(d1, d3);
        if (j == 0) { s00 = e0; s10 = e1; s20 = e2; s30 = e3; }
        else if (j == 1) { s01 = e0; s11 = e1; s21 = e2; s31 = e3; }
        else if (j == 2) { s02 = e0; s12 = e1; s22 = e2; s32 = e3; }
        else { s03 = e0; s13 = e1; s23 = e2; s33 = e3; }
      }
      // (B^T d) B: the same combination along each row; element (i, j) goes to matrix 4i + j.
      const o = out + cb;
      v128.store(o, f32x4.sub(s00, s02));
      v128.store(o + plane, f32x4.add(s01, s02));
      v128.store(o + 2 * plane, f32x4.sub(s02, s01));
      v128.store(o + 3 * plane, f32x4.sub(s01, s03));
      v128.store(o + 4 * plane, f32x4.sub(s10, s12));
      v128.store(o + 5 * plane, f32x4.add(s11, s12));
      v128.store(o + 6 * plane, f32x4.sub(s12, s11));
      v128.store(o + 7 * plane, f32x4.sub(s11, s13));
      v128.store(o + 8 * plane, f32x4.sub(s20, s22));
      v128.store(o + 9 * plane, f32x4.add(s21, s22));
      v128.store(o + 10 * plane, f32x4.sub(s22, s21));
      v128.store(o + 11 * plane, f32x4.sub(s21, s23));
      v128.store(o + 12 * plane, f32x4.sub(s30, s32));
      v128.store(o + 13 * plane, f32x4.add(s31, s32));
      v128.store(o + 14 * plane, f32x4.sub(s32, s31));
      v128.store(o + 15 * plane, f32x4.sub(s31, s33));
    }
  }
}

/** Y = A^T m A (+ bias, activation) for tiles [t0, t1) of the chunk; outputs past the edge are dropped. */
export function winogradOutput(p: usize): void {
  const oc = param(p, W_OC);
  const oh = param(p, W_OH);
  const ow = param(p, W_OW);
  const m = <usize>param(p, W_M);
  const y = <usize>param(p, W_Y);
  const tc = param(p, W_TC);
  const base = param(p, W_BASE);
  const bias = <usize>param(p, W_BIAS);
  const act = param(p, W_ACT);
  const plane = <usize>(tc * oc) << 2;
  const row = <usize>(ow * oc) << 2;
  for (let t = param(p, W_T0); t < param(p, W_T1); t++) {
    const at = y + (<usize>(outputTile(base + t, oh, ow) * oc) << 2);
    const right = tileRight;
    const below = tileBelow;
    const src = m + (<usize>(t * oc) << 2);
    for (let c = 0; c < oc; c += 4) {
      const cb = <usize>c << 2;
      const s = src + cb;
      // Rows of A^T m: r0 = m0 + m1 + m2, r1 = m1 - m2 - m3, for each of the four columns.
      const a0 = f32x4.add(f32x4.add(v128.load(s), v128.load(s + 4 * plane)), v128.load(s + 8 * plane));
      const a1 = f32x4.add(f32x4.add(v128.load(s + plane), v128.load(s + 5 * plane)), v128.load(s + 9 * plane));
      const a2 = f32x4.add(f32x4.add(v128.load(s + 2 * plane), v128.load(s + 6 * plane)), v128.load(s + 10 * plane));
      const a3 = f32x4.add(f32x4.add(v128.load(s + 3 * plane), v128.load(s + 7 * plane)), v128.load(s + 11 * plane));
      const b0 = f32x4.sub(f32x4.sub(v128.load(s + 4 * plane), v128.load(s + 8 * plane)), v128.load(s + 12 * plane));
      const b1 = f32x4.sub(f32x4.sub(v128.load(s + 5 * plane), v128.load(s + 9 * plane)), v128.load(s + 13 * plane));
      const b2 = f32x4.sub(f32x4.sub(v128.load(s + 6 * plane), v128.load(s + 10 * plane)), v128.load(s + 14 * plane));
      const b3 = f32x4.sub(f32x4.sub(v128.load(s + 7 * plane), v128.load(s + 11 * plane)), v128.load(s + 15 * plane));
      let y00 = f32x4.add(f32x4.add(a0, a1), a2);
      let y01 = f32x4.sub(f32x4.sub(a1, a2), a3);
      let y10 = f32x4.add(f32x4.add(b0, b1), b2);
      let y11 = f32x4.sub(f32x4.sub(b1, b2), b3);
      if (bias != 0) {
        const d = v128.load(bias + cb);
        y00 = f32x4.add(y00, d);
        y01 = f32x4.add(y01, d);
        y10 = f32x4.add(y10, d);
        y11 = f32x4.add(y11, d);
      }
      const o = at + cb;
      v128.store(o, activate(y00, act));
      if (right) v128.store(o + (<usize>oc << 2), activate(y01, act));
      if (below) {
        v128.store(o + row, activate(y10, act));
        if (right) v128.store(o + row + (<usize>oc << 2), activate(y11, act));
      }
    }
  }
}

/** dM = A dY A^T for tiles [t0, t1) of the chunk: dY (at W_Y) read as 2x2 blocks, zero past the edge. */
export function winogradGradOutput(p: usize): void {
  const oc = param(p, W_OC);
  const oh = param(p, W_OH);
  const ow = param(p, W_OW);
  const m = <usize>param(p, W_M);
  const y = <usize>param(p, W_Y);
  const tc = param(p, W_TC);
  const base = param(p, W_BASE);
  const plane = <usize>(tc * oc) << 2;
  const row = <usize>(ow * oc) << 2;
  const z = f32x4.splat(0);
  for (let t = param(p, W_T0); t < param(p, W_T1); t++) {
    const at = y + (<usize>(outputTile(base + t, oh, ow) * oc) << 2);
    const right = tileRight;
    const below = tileBelow;
    const dst = m + (<usize>(t * oc) << 2);
    for (let c = 0; c < oc; c += 4) {
      const cb = <usize>c << 2;
      const i = at + cb;
      const y00 = v128.load(i);
      const y01 = right ? v128.load(i + (<usize>oc << 2)) : z;
      const y10 = below ? v128.load(i + row) : z;
      const y11 = below && right ? v128.load(i + row + (<usize>oc << 2)) : z;
      // A dY: rows y0, y0 + y1, y0 - y1, -y1 (y0, y1 the rows of the 2x2 block); then the same
      // along each row: (a, b) -> (a, a + b, a - b, -b). Element (i, j) goes to matrix 4i + j.
      const r10 = f32x4.add(y00, y10), r11 = f32x4.add(y01, y11);
      const r20 = f32x4.sub(y00, y10), r21 = f32x4.sub(y01, y11);
      const r30 = f32x4.neg(y10), r31 = f32x4.neg(y11);
      const o = dst + cb;
      v128.store(o, y00);
      v128.store(o + plane, f32x4.add(y00, y01));
      v128.store(o + 2 * plane, f32x4.sub(y00, y01));
      v128.store(o + 3 * plane, f32x4.neg(y01));
      v128.store(o + 4 * plane, r10);
      v128.store(o + 5 * plane, f32x4.add(r10, r11));
      v128.store(o + 6 * plane, f32x4.sub(r10, r11));
      v128.store(o + 7 * plane, f32x4.neg(r11));
      v128.store(o + 8 * plane, r20);
      v128.store(o + 9 * plane, f32x4.add(r20, r21));
      v128.store(o + 10 * plane, f32x4.sub(r20, r21));
      v128.store(o + 11 * plane, f32x4.neg(r21));
      v128.store(o + 12 * plane, r30);
      v128.store(o + 13 * plane, f32x4.add(r30, r31));
      v128.store(o + 14 * plane, f32x4.sub(r30, r31));
      v128.store(o + 15 * plane, f32x4.neg(r31));
    }
  }
}

/** dg = G^T dU G for input channels [c0, c1): dU (at W_U, 16 x IC x OC) into the filter layout [3, 3, IC, OC] (at W_G). */
export function winogradGradFilter(p: usize): void {
  const ic = param(p, W_IC);
  const oc = param(p, W_OC);
  const g = <usize>param(p, W_G);
  const u = <usize>param(p, W_U);
  const half = f32x4.splat(0.5);
  const plane = <usize>(ic * oc) << 2;
  for (let c = param(p, W_C0); c < param(p, W_C1); c++) {
    for (let o = 0; o < oc; o += 4) {
      const at = <usize>(c * oc + o) << 2;
      // G^T dU: rows u0 + (u1 + u2)/2, (u1 - u2)/2, (u1 + u2)/2 + u3 for each of the four columns j;
      // then the same along each of the three rows, written to filter tap (i, j) = plane 3i + j.
      let q00 = f32x4.splat(0), q01 = q00, q02 = q00, q03 = q00;
      let q10 = q00, q11 = q00, q12 = q00, q13 = q00;
      let q20 = q00, q21 = q00, q22 = q00, q23 = q00;
      for (let j = 0; j < 4; j++) {
        const u0 = v128.load(u + at + <usize>j * plane);
        const u1 = v128.load(u + at + <usize>(4 + j) * plane);
        const u2 = v128.load(u + at + <usize>(8 + j) * plane);
        const u3 = v128.load(u + at + <usize>(12 + j) * plane);
        const s = f32x4.mul(f32x4.add(u1, u2), half);
        const e0 = f32x4.add(u0, s);
        const e1 = f32x4.mul(f32x4.sub(u1, u2), half);
        const e2 = f32x4.add(s, u3);
        if (j == 0) { q00 = e0; q10 = e1; q20 = e2; }
        else if (j == 1) { q01 = e0; q11 = e1; q21 = e2; }
        else if (j == 2) { q02 = e0; q12 = e1; q22 = e2; }
        else { q03 = e0; q13 = e1; q23 = e2; }
      }
      const s0 = f32x4.mul(f32x4.add(q01, q02), half);
      const s1 = f32x4.mul(f32x4.add(q11, q12), half);
      const s2 = f32x4.mul(f32x4.add(q21, q22), half);
      const out = g + at;
      v128.store(out, f32x4.add(q00, s0));
      v128.store(out + plane, f32x4.mul(f32x4.sub(q01, q02), half));
      v128.store(out + 2 * plane, f32x4.add(s0, q03));
      v128.store(out + 3 * plane, f32x4.add(q10, s1));
      v128.store(out + 4 * plane, f32x4.mul(f32x4.sub(q11, q12), half));
      v128.store(out + 5 * plane, f32x4.add(s1, q13));
      v128.store(out + 6 * plane, f32x4.add(q20, s2));
      v128.store(out + 7 * plane, f32x4.mul(f32x4.sub(q21, q22), half));
      v128.store(out + 8 * plane, f32x4.add(s2, q23));
    }
  }
}
