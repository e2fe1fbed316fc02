// The GEMM engine: C = op(A) · op(B) (+ bias, activation), blocked as BLIS does (Goto's loop
// order: NC columns of B, KC of the depth, MC rows of A; packed panels; a 4x8 register tile).
// One call runs one thread's share, described by a block of i32 parameters in memory (P_* below)
// so that the JS side can hand the other share to a worker instance over the same shared memory.
// Built twice: with relaxed SIMD (f32x4.relaxed_madd, a fused multiply-add on FMA hardware) and
// without (mul + add), for engines where relaxed SIMD does not validate.
//
// A's "modes" let the same blocked loops serve every product the network kernels need without
// materialising a matrix first: a plain or transposed matrix, and the im2col matrix of an NHWC
// convolution (or its transpose, for the filter gradient), gathered straight from the image while
// packing. No static data and no allocation: the module has no data segment to re-apply when a
// second instance is made over the same memory.

const MR: i32 = 6;
const NR: i32 = 8;
const KC: i32 = 256;
const MC: i32 = 120; // a multiple of MR
const NC: i32 = 4096;

// Parameter block layout (i32 words).
const P_M0 = 0; // rows [m0, m1) of C this call computes
const P_M1 = 1;
const P_N0 = 2; // columns [n0, n1)
const P_N1 = 3;
const P_K = 4; // depth
const P_AMODE = 5; // 0 A[m*lda+k], 1 A[k*lda+m], 2 im2col(X)[m][k], 3 im2col(X)[k][m]
const P_A = 6;
const P_LDA = 7;
const P_BMODE = 8; // 0 B[k*ldb+n], 1 B[n*ldb+k]
const P_B = 9;
const P_LDB = 10;
const P_C = 11;
const P_LDC = 12;
const P_BIAS = 13; // 0: none; else N floats (plus slack)
const P_ACT = 14; // 0 linear, 1 relu, 2 relu6
const P_PACKA = 15; // scratch: MC*KC floats
const P_PACKB = 16; // scratch: KC*NC floats
const P_TILE = 17; // scratch: MR*NR floats
const P_BATCH0 = 18; // batches [b0, b1)
const P_BATCH1 = 19;
const P_SA = 20; // batch strides in floats
const P_SB = 21;
const P_SC = 22;
// Convolution geometry (modes 2 and 3): input [.., H, W, IC], output [.., OH, OW], filter KH x KW.
const P_H = 23;
const P_W = 24;
const P_IC = 25;
const P_OH = 26;
const P_OW = 27;
const P_KH = 28;
const P_KW = 29;
const P_SH = 30;
const P_SW = 31;
const P_DH = 32;
const P_DW = 33;
const P_PT = 34;
const P_PL = 35;
const P_ACC = 36; // 1: add the product to C as it is (C += op(A) op(B)), for products summed chunk by chunk

@inline function param(p: usize, i: i32): i32 {
  return load<i32>(p + (<usize>i << 2));
}

@inline function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}

@inline function activate(v: v128, act: i32): v128 {
  if (act == 1) return f32x4.max(v, f32x4.splat(0));
  if (act == 2) return f32x4.min(f32x4.max(v, f32x4.splat(0)), f32x4.splat(6));
  return v;
}

// The 6x8 register tile: c[0..6][0..8] (ldc floats apart) = (accumulate ? c : 0) + pa · pb over
// kc. pa holds kc groups of 6 A values, pb kc groups of 8 B values. 6 rows x 2 vectors is 12
// accumulators: with the two B vectors and the broadcast A value that is 15 SIMD registers, all V8
// allocates on x64. The shape of this function is measured, not guessed (one core, AMD EPYC,
// panels in L1, 128-bit FMA peak 50 GFLOPS): as written, 45-49 GFLOPS; adding C after the loop
// instead of starting from it, or the bias/activation epilogue in the same function, or unrolling
// the loop by two, each halved it (about 20), as V8 then spills accumulators.
function tile(kc: i32, pa: usize, pb: usize, c: usize, ldc: i32, accumulate: bool): void {
  const row = <usize>ldc << 2;
  const z = f32x4.splat(0);
  let c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z, c40 = z, c41 = z, c50 = z, c51 = z;
  if (accumulate) {
    c00 = v128.load(c); c01 = v128.load(c, 16);
    c10 = v128.load(c + row); c11 = v128.load(c + row, 16);
    c20 = v128.load(c + 2 * row); c21 = v128.load(c + 2 * row, 16);
    c30 = v128.load(c + 3 * row); c31 = v128.load(c + 3 * row, 16);
    c40 = v128.load(c + 4 * row); c41 = v128.load(c + 4 * row, 16);
    c50 = v128.load(c + 5 * row); c51 = v128.load(c + 5 * row, 16);
  }
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(pb), b1 = v128.load(pb, 16);
    let a = v128.load32_splat(pa);
    c00 = madd(a, b0, c00); c01 = madd(a, b1, c01);
    a = v128.load32_splat(pa, 4);
    c10 = madd(a, b0, c10); c11 = madd(a, b1, c11);
    a = v128.load32_splat(pa, 8);
    c20 = madd(a, b0, c20); c21 = madd(a, b1, c21);
    a = v128.load32_splat(pa, 12);
    c30 = madd(a, b0, c30); c31 = madd(a, b1, c31);
    a = v128.load32_splat(pa, 16);
    c40 = madd(a, b0, c40); c41 = madd(a, b1, c41);
    a = v128.load32_splat(pa, 20);
    c50 = madd(a, b0, c50); c51 = madd(a, b1, c51);
    pa += 24;
    pb += 32;
  }
  v128.store(c, c00); v128.store(c, c01, 16);
  v128.store(c + row, c10); v128.store(c + row, c11, 16);
  v128.store(c + 2 * row, c20); v128.store(c + 2 * row, c21, 16);
  v128.store(c + 3 * row, c30); v128.store(c + 3 * row, c31, 16);
  v128.store(c + 4 * row, c40); v128.store(c + 4 * row, c41, 16);
  v128.store(c + 5 * row, c50); v128.store(c + 5 * row, c51, 16);
}

// The epilogue of a finished tile, while it is still in L1: + bias (8 values), then the activation.
function finishTile(c: usize, ldc: i32, bias: usize, act: i32): void {
  const row = <usize>ldc << 2;
  const d0 = bias == 0 ? f32x4.splat(0) : v128.load(bias);
  const d1 = bias == 0 ? f32x4.splat(0) : v128.load(bias, 16);
  for (let i = 0; i < MR; i++) {
    const r = c + <usize>i * row;
    v128.store(r, activate(f32x4.add(v128.load(r), d0), act));
    v128.store(r, activate(f32x4.add(v128.load(r, 16), d1), act), 16);
  }
}

// A tile cut by the edge of C: computed in the scratch tile (ldc 8) and the valid part copied.
function edgeTile(kc: i32, pa: usize, pb: usize, c: usize, ldc: i32, mr: i32, nr: i32, accumulate: bool, last: bool, bias: usize, act: i32, scratch: usize): void {
  for (let i = 0; i < MR; i++)
    for (let j = 0; j < NR; j++) {
      const inside = i < mr && j < nr;
      store<f32>(scratch + (<usize>(i * NR + j) << 2), accumulate && inside ? load<f32>(c + (<usize>(i * ldc + j) << 2)) : 0);
    }
  tile(kc, pa, pb, scratch, NR, accumulate);
  if (last && (bias != 0 || act != 0)) finishTile(scratch, NR, bias, act);
  for (let i = 0; i < mr; i++)
    for (let j = 0; j < nr; j++) store<f32>(c + (<usize>(i * ldc + j) << 2), load<f32>(scratch + (<usize>(i * NR + j) << 2)));
}

// B[k0 .. k0+kc, n0 .. n0+nc] into strips of NR columns: strip s holds kc rows of NR values,
// zero past the edge.
function packB(p: usize, b: usize, k0: i32, kc: i32, n0: i32, nc: i32, dst: usize): void {
  const mode = param(p, P_BMODE);
  const ldb = param(p, P_LDB);
  for (let s = 0; s < nc; s += NR) {
    const w = min(NR, nc - s);
    const out = dst + (<usize>(s * kc) << 2);
    if (mode == 0) {
      let src = b + (<usize>(k0 * ldb + n0 + s) << 2);
      const step = <usize>ldb << 2;
      if (w == NR) {
        for (let k = 0; k < kc; k++) {
          v128.store(out + (<usize>k << 5), v128.load(src));
          v128.store(out + (<usize>k << 5), v128.load(src, 16), 16);
          src += step;
        }
      } else {
        for (let k = 0; k < kc; k++) {
          for (let j = 0; j < NR; j++) store<f32>(out + (<usize>(k * NR + j) << 2), j < w ? load<f32>(src + (<usize>j << 2)) : 0);
          src += step;
        }
      }
    } else {
      // B[n*ldb + k]: read each column's run of depth, write it down the strip.
      for (let j = 0; j < NR; j++) {
        const o = out + (<usize>j << 2);
        if (j < w) {
          const src = b + (<usize>((n0 + s + j) * ldb + k0) << 2);
          for (let k = 0; k < kc; k++) store<f32>(o + (<usize>(k * NR) << 2), load<f32>(src + (<usize>k << 2)));
        } else {
          for (let k = 0; k < kc; k++) store<f32>(o + (<usize>(k * NR) << 2), 0);
        }
      }
    }
  }
}

// Columns q0 .. q0+mr of the im2col matrix (the strip's MR rows of its transpose), rows
// r0 .. r0+kc (the depth): each column's channel and tap offsets are worked out once, and the
// output position walks forward one row at a time.
function packIm2colColumns(p: usize, x: usize, q0: i32, mr: i32, r0: i32, kc: i32, out: usize): void {
  const ic = param(p, P_IC);
  const ow = param(p, P_OW);
  const oh = param(p, P_OH);
  const kw = param(p, P_KW);
  const h = param(p, P_H);
  const w = param(p, P_W);
  const sh = param(p, P_SH);
  const sw = param(p, P_SW);
  const ox0 = r0 % ow;
  const t0 = r0 / ow;
  const oy0 = t0 % oh;
  const img0 = t0 / oh;
  for (let i = 0; i < MR; i++) {
    let o = out + (<usize>i << 2);
    if (i >= mr) {
      for (let k = 0; k < kc; k++) store<f32>(o + (<usize>(k * MR) << 2), 0);
      continue;
    }
    const q = q0 + i;
    const tap = q / ic;
    const ch = q - tap * ic;
    const dy = (tap / kw) * param(p, P_DH) - param(p, P_PT);
    const dx = (tap % kw) * param(p, P_DW) - param(p, P_PL);
    let ox = ox0, oy = oy0, img = img0;
    for (let k = 0; k < kc; k++) {
      const iy = oy * sh + dy;
      const ix = ox * sw + dx;
      store<f32>(o, <u32>iy < <u32>h && <u32>ix < <u32>w ? load<f32>(x + (<usize>(((img * h + iy) * w + ix) * ic + ch) << 2)) : 0);
      o += MR << 2;
      if (++ox == ow) {
        ox = 0;
        if (++oy == oh) {
          oy = 0;
          img++;
        }
      }
    }
  }
}

// Rows r0 .. r0+mr of the im2col matrix, columns q0 .. q0+kc, into one strip (column k holds the
// MR row values): each row walks its filter taps and copies the run of channels each tap gives.
function packIm2colRows(p: usize, x: usize, r0: i32, mr: i32, q0: i32, kc: i32, out: usize): void {
  const ic = param(p, P_IC);
  const ow = param(p, P_OW);
  const oh = param(p, P_OH);
  const kw = param(p, P_KW);
  const h = param(p, P_H);
  const w = param(p, P_W);
  for (let i = 0; i < MR; i++) {
    const o = out + (<usize>i << 2);
    if (i >= mr) {
      for (let k = 0; k < kc; k++) store<f32>(o + (<usize>(k * MR) << 2), 0);
      continue;
    }
    const r = r0 + i;
    const ox = r % ow;
    const t = r / ow;
    const oy = t % oh;
    const img = t / oh;
    const y0 = oy * param(p, P_SH) - param(p, P_PT);
    const x0 = ox * param(p, P_SW) - param(p, P_PL);
    let q = q0;
    const qEnd = q0 + kc;
    while (q < qEnd) {
      const tap = q / ic;
      const c0 = q - tap * ic;
      const run = min(ic - c0, qEnd - q);
      const iy = y0 + (tap / kw) * param(p, P_DH);
      const ix = x0 + (tap % kw) * param(p, P_DW);
      let d = o + (<usize>((q - q0) * MR) << 2);
      if (<u32>iy >= <u32>h || <u32>ix >= <u32>w) {
        for (let c = 0; c < run; c++) {
          store<f32>(d, 0);
          d += MR << 2;
        }
      } else {
        let s = x + (<usize>(((img * h + iy) * w + ix) * ic + c0) << 2);
        for (let c = 0; c < run; c++) {
          store<f32>(d, load<f32>(s));
          d += MR << 2;
          s += 4;
        }
      }
      q += run;
    }
  }
}

// A[m0 .. m0+mc, k0 .. k0+kc] into strips of MR rows: strip s holds kc columns of MR values.
function packA(p: usize, a: usize, m0: i32, mc: i32, k0: i32, kc: i32, dst: usize): void {
  const mode = param(p, P_AMODE);
  const lda = param(p, P_LDA);
  for (let s = 0; s < mc; s += MR) {
    const h = min(MR, mc - s);
    const out = dst + (<usize>(s * kc) << 2);
    if (mode == 0) {
      for (let i = 0; i < MR; i++) {
        const o = out + (<usize>i << 2);
        if (i < h) {
          const src = a + (<usize>((m0 + s + i) * lda + k0) << 2);
          for (let k = 0; k < kc; k++) store<f32>(o + (<usize>(k * MR) << 2), load<f32>(src + (<usize>k << 2)));
        } else {
          for (let k = 0; k < kc; k++) store<f32>(o + (<usize>(k * MR) << 2), 0);
        }
      }
    } else if (mode == 1) {
      let src = a + (<usize>(k0 * lda + m0 + s) << 2);
      const step = <usize>lda << 2;
      for (let k = 0; k < kc; k++) {
        const o = out + (<usize>(k * MR) << 2);
        for (let i = 0; i < MR; i++) store<f32>(o + (<usize>i << 2), i < h ? load<f32>(src + (<usize>i << 2)) : 0);
        src += step;
      }
    } else if (mode == 2) {
      packIm2colRows(p, a, m0 + s, h, k0, kc, out);
    } else {
      // Transposed im2col: row m of A is im2col column m, depth k is im2col row k.
      packIm2colColumns(p, a, m0 + s, h, k0, kc, out);
    }
  }
}

/** This thread's share of C = op(A) op(B) (+ bias, act), as the parameter block at `p` says. */
export function gemm(p: usize): void {
  const m0 = param(p, P_M0), m1 = param(p, P_M1);
  const n0 = param(p, P_N0), n1 = param(p, P_N1);
  const depth = param(p, P_K);
  const ldc = param(p, P_LDC);
  const act = param(p, P_ACT);
  const biasAt = <usize>param(p, P_BIAS);
  const pa = <usize>param(p, P_PACKA);
  const pb = <usize>param(p, P_PACKB);
  const scratch = <usize>param(p, P_TILE);
  for (let batch = param(p, P_BATCH0); batch < param(p, P_BATCH1); batch++) {
    const a = <usize>param(p, P_A) + (<usize>(batch * param(p, P_SA)) << 2);
    const b = <usize>param(p, P_B) + (<usize>(batch * param(p, P_SB)) << 2);
    const c = <usize>param(p, P_C) + (<usize>(batch * param(p, P_SC)) << 2);
    for (let jc = n0; jc < n1; jc += NC) {
      const nc = min(NC, n1 - jc);
      // Depth 0 still has to write C (zeros, then bias and activation): one empty block.
      for (let pc = 0; pc < max(depth, 1); pc += KC) {
        const kc = min(KC, depth - pc);
        const first = pc == 0 && param(p, P_ACC) == 0;
        const last = pc + KC >= depth;
        const epilogue = last && (biasAt != 0 || act != 0);
        packB(p, b, pc, kc, jc, nc, pb);
        for (let ic = m0; ic < m1; ic += MC) {
          const mc = min(MC, m1 - ic);
          packA(p, a, ic, mc, pc, kc, pa);
          for (let jr = 0; jr < nc; jr += NR) {
            const nr = min(NR, nc - jr);
            const bias: usize = biasAt == 0 ? 0 : biasAt + (<usize>(jc + jr) << 2);
            const bStrip = pb + (<usize>(jr * kc) << 2);
            for (let ir = 0; ir < mc; ir += MR) {
              const mr = min(MR, mc - ir);
              const cAt = c + (<usize>((ic + ir) * ldc + jc + jr) << 2);
              const aStrip = pa + (<usize>(ir * kc) << 2);
              if (mr == MR && nr == NR) {
                tile(kc, aStrip, bStrip, cAt, ldc, !first);
                if (epilogue) finishTile(cAt, ldc, bias, act);
              } else edgeTile(kc, aStrip, bStrip, cAt, ldc, mr, nr, !first, last, bias, act, scratch);
            }
          }
        }
      }
    }
  }
}

/** Floats of one thread's packed A block (the first part of its scratch). */
export function packAFloats(): i32 {
  return MC * KC;
}

/** Floats of one thread's packed B panel (after the packed A block). */
export function packBFloats(): i32 {
  return KC * NC;
}

/** Scratch floats one thread needs: packed A, packed B, then the edge tile. */
export function scratchFloats(): i32 {
  return MC * KC + KC * NC + MR * NR + 64;
}
