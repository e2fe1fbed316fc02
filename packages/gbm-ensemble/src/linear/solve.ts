/** Solves A x = b (A n x n row-major, overwritten) by Gaussian elimination with partial pivoting. */
export function solve(A: Float64Array, b: Float64Array, n: number): Float64Array {
  const x = Float64Array.from(b);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(A[r * n + c] as number) > Math.abs(A[p * n + c] as number)) p = r;
    if (p !== c) {
      for (let k = 0; k < n; k++) {
        const t = A[c * n + k] as number;
        A[c * n + k] = A[p * n + k] as number;
        A[p * n + k] = t;
      }
      const t = x[c] as number;
      x[c] = x[p] as number;
      x[p] = t;
    }
    const d = A[c * n + c] as number;
    if (Math.abs(d) < 1e-300) throw new Error('singular system in a linear model fit (add regularisation)');
    for (let r = c + 1; r < n; r++) {
      const f = (A[r * n + c] as number) / d;
      if (f === 0) continue;
      for (let k = c; k < n; k++) A[r * n + k] = (A[r * n + k] as number) - f * (A[c * n + k] as number);
      x[r] = (x[r] as number) - f * (x[c] as number);
    }
  }
  for (let c = n - 1; c >= 0; c--) {
    let s = x[c] as number;
    for (let k = c + 1; k < n; k++) s -= (A[c * n + k] as number) * (x[k] as number);
    x[c] = s / (A[c * n + c] as number);
  }
  return x;
}
