// The M-step's per-cluster sums of k-means: each row added to its cluster's row of float64 sums.
// In JavaScript this was a third of a Lloyd iteration on 128 features (one load, add and store
// per value); here two f64x2 adds per four values.

/**
 * sums[labels[i]] += x_i for rows i in [0, n): x is n rows of d4 f32 (d4 a multiple of 4), sums
 * k rows of d4 f64, labels n i32 in [0, k). Each value is promoted to f64 exactly and rows are
 * added in row order, so the sums are bit-identical to a float64 loop in JavaScript.
 */
export function clusterSums(x: usize, n: i32, d4: i32, labels: usize, sums: usize): void {
  const stride = (<usize>d4) << 2;
  for (let i = 0; i < n; i++) {
    const xi = x + <usize>i * stride;
    const si = sums + (<usize>load<i32>(labels + ((<usize>i) << 2))) * (stride << 1);
    for (let t: usize = 0; t < stride; t += 16) {
      const v = v128.load(xi + t);
      const s = si + (t << 1);
      v128.store(s, f64x2.add(v128.load(s), f64x2.promote_low_f32x4(v)));
      v128.store(s + 16, f64x2.add(v128.load(s + 16), f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 2, 3))));
    }
  }
}
