/**
 * Autoregressive coefficients by Burg's method (MATLAB's arburg): a[1..order] of
 * x[t] + a1 x[t-1] + ... + ap x[t-p] = e[t], into `out`. Burg's estimate minimises the forward and
 * backward prediction errors together and always gives a stable model, which is why UCI HAR used it
 * on 128-sample windows. An all-zero window (nothing to predict) gives zeros.
 */
export function arBurg(x: ArrayLike<number>, order: number, out = new Float64Array(order)): Float64Array {
  const n = x.length;
  const f = Float64Array.from(x as ArrayLike<number>);
  const b = Float64Array.from(x as ArrayLike<number>);
  const a = new Float64Array(order + 1);
  a[0] = 1;
  const prev = new Float64Array(order + 1);
  for (let m = 1; m <= order; m++) {
    let num = 0;
    let den = 0;
    for (let t = m; t < n; t++) {
      const ft = f[t] as number;
      const bt = b[t - 1] as number;
      num += ft * bt;
      den += ft * ft + bt * bt;
    }
    const k = den > 0 ? (-2 * num) / den : 0;
    prev.set(a);
    for (let i = 1; i <= m; i++) a[i] = (prev[i] as number) + k * (prev[m - i] as number);
    for (let t = n - 1; t >= m; t--) {
      const ft = f[t] as number;
      const bt = b[t - 1] as number;
      f[t] = ft + k * bt;
      b[t] = bt + k * ft;
    }
  }
  for (let i = 0; i < order; i++) out[i] = a[i + 1] as number;
  return out;
}
