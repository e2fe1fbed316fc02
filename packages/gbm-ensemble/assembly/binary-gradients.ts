/**
 * Binary log-loss gradients, two rows per step in f64x2 lanes: p = sigmoid(score), g = p - y,
 * h = max(p (1 - p), 1e-16), stored as f32 (as the JavaScript objective does). One row alone takes
 * the same vector path with both lanes equal, so every row's numbers are the same whichever way
 * it is computed.
 */
export function binaryGradients(scores: usize, labels: usize, grad: usize, hess: usize, begin: i32, end: i32): void {
  let i = begin;
  for (; i + 2 <= end; i += 2) adjacentGradients(v128.load(scores + (<usize>i << 3)), labels, grad, hess, <usize>i);
  if (i < end) binaryGradient(scores, labels, grad, hess, <usize>i);
}

/** Rows r and r + 1 from their scores s (f64x2). */
// @ts-ignore: decorator
@inline
export function adjacentGradients(s: v128, labels: usize, grad: usize, hess: usize, r: usize): void {
  const p = sigmoid2(s);
  storePair(grad + (r << 2), f64x2.sub(p, v128.load(labels + (r << 3))));
  storePair(hess + (r << 2), hessian2(p));
}

/** Row r's gradient and hessian from its score (score column 0) and label. */
// @ts-ignore: decorator
@inline
export function binaryGradient(scores: usize, labels: usize, grad: usize, hess: usize, r: usize): void {
  const p = sigmoid2(f64x2.splat(load<f64>(scores + (r << 3))));
  store<f32>(grad + (r << 2), <f32>(f64x2.extract_lane(p, 0) - load<f64>(labels + (r << 3))));
  store<f32>(hess + (r << 2), <f32>f64x2.extract_lane(hessian2(p), 0));
}

// @ts-ignore: decorator
@inline
function hessian2(p: v128): v128 {
  return f64x2.pmax(f64x2.mul(p, f64x2.sub(f64x2.splat(1.0), p)), f64x2.splat(1e-16));
}

/** Two f64 lanes stored as two consecutive f32. */
// @ts-ignore: decorator
@inline
function storePair(at: usize, v: v128): void {
  v128.store64_lane(at, f32x4.demote_f64x2_zero(v), 0);
}

const LN2_HI: f64 = 6.93147180369123816490e-1;
const LN2_LO: f64 = 1.90821492927058770002e-10;
const LOG2E: f64 = 1.44269504088896338700;
// 1.5 * 2^52: adding it rounds to an integer (ties to even, as `nearest`) held in the low
// mantissa bits, so 2^n needs no float-to-integer conversion.
const SHIFT: f64 = 6755399441055744.0;

/**
 * 1 / (1 + e^-x) of both lanes. WebAssembly has no exp instruction and Math.exp cost about 15 ns
 * a row: -x = n ln2 + r with |r| <= ln2 / 2, e^r by its Taylor series to r^10 (relative error
 * below 1e-15, far below the f32 the gradients are stored in) summed in Estrin's scheme (pairs,
 * then r^2, r^4, r^8: Horner's chain of ten dependent multiply-adds was the latency of the whole
 * pass), 2^n from the exponent bits. Past +-700 the sigmoid is 0 or 1 to double precision anyway;
 * pmin / pmax keep a NaN score NaN.
 */
// @ts-ignore: decorator
@inline
function sigmoid2(x: v128): v128 {
  const c = f64x2.pmin(f64x2.pmax(f64x2.neg(x), f64x2.splat(-700.0)), f64x2.splat(700.0));
  const t = f64x2.add(f64x2.mul(c, f64x2.splat(LOG2E)), f64x2.splat(SHIFT));
  const n = f64x2.sub(t, f64x2.splat(SHIFT));
  const r = f64x2.sub(f64x2.sub(c, f64x2.mul(n, f64x2.splat(LN2_HI))), f64x2.mul(n, f64x2.splat(LN2_LO)));
  const r2 = f64x2.mul(r, r);
  const r4 = f64x2.mul(r2, r2);
  const r8 = f64x2.mul(r4, r4);
  const p01 = f64x2.add(f64x2.splat(1.0), r);
  const p23 = f64x2.add(f64x2.splat(0.5), f64x2.mul(r, f64x2.splat(1.0 / 6.0)));
  const p45 = f64x2.add(f64x2.splat(1.0 / 24.0), f64x2.mul(r, f64x2.splat(1.0 / 120.0)));
  const p67 = f64x2.add(f64x2.splat(1.0 / 720.0), f64x2.mul(r, f64x2.splat(1.0 / 5040.0)));
  const p89 = f64x2.add(f64x2.splat(1.0 / 40320.0), f64x2.mul(r, f64x2.splat(1.0 / 362880.0)));
  const q03 = f64x2.add(p01, f64x2.mul(r2, p23));
  const q47 = f64x2.add(p45, f64x2.mul(r2, p67));
  const q8a = f64x2.add(p89, f64x2.mul(r2, f64x2.splat(1.0 / 3628800.0)));
  const e = f64x2.add(f64x2.add(q03, f64x2.mul(r4, q47)), f64x2.mul(r8, q8a));
  const scale = i64x2.shl(i64x2.add(t, i64x2.splat(1023)), 52);
  return f64x2.div(f64x2.splat(1.0), f64x2.add(f64x2.splat(1.0), f64x2.mul(e, scale)));
}
