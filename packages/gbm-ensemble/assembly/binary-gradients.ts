/**
 * Binary log-loss gradients for rows [begin, end): p = sigmoid(score), g = p - y,
 * h = max(p (1 - p), 1e-16), stored as f32 (as the JavaScript objective does). WebAssembly has no
 * exp instruction and Math.exp cost about 15 ns a row, so e^x is computed here: x = n ln2 + r with
 * |r| <= ln2 / 2, e^r by its Taylor series to r^10 (relative error below 1e-15, far below the
 * f32 the gradients are stored in), 2^n from the exponent bits.
 */
export function binaryGradients(scores: usize, labels: usize, grad: usize, hess: usize, begin: i32, end: i32): void {
  for (let i = begin; i < end; i++) {
    const at = <usize>i;
    const p = 1.0 / (1.0 + exp(-load<f64>(scores + (at << 3))));
    store<f32>(grad + (at << 2), <f32>(p - load<f64>(labels + (at << 3))));
    store<f32>(hess + (at << 2), <f32>max(p * (1.0 - p), 1e-16));
  }
}

const LN2_HI: f64 = 6.93147180369123816490e-1;
const LN2_LO: f64 = 1.90821492927058770002e-10;
const LOG2E: f64 = 1.44269504088896338700;

// @ts-ignore: decorator
@inline
function exp(x: f64): f64 {
  // Past +-700 the sigmoid is 0 or 1 to double precision anyway; NaN stays NaN.
  const c = min(max(x, -700.0), 700.0);
  const n = nearest(c * LOG2E);
  const r = c - n * LN2_HI - n * LN2_LO;
  let e = 1.0 + r * (1.0 + r * (0.5 + r * (1.0 / 6.0 + r * (1.0 / 24.0 + r * (1.0 / 120.0 + r * (1.0 / 720.0 + r * (1.0 / 5040.0 + r * (1.0 / 40320.0 + r * (1.0 / 362880.0 + r / 3628800.0)))))))));
  return e * reinterpret<f64>((<i64>n + 1023) << 52);
}
