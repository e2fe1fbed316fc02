import { checkInteger, checkOneOf, checkOptions, Rng, rangeError } from '@aiffel/core';
import { type DenseMatrix, type MatrixInput, toLabels, toMatrix } from '../core/matrix.js';
import { unitRows } from './row-norms.js';

/**
 * Adjusted Rand index (Hubert and Arabie 1985) between two labelings: 1 for identical partitions
 * (up to renaming), about 0 for random ones, negative when worse than chance. Labels are any
 * integers; -1 is an ordinary label here, as in scikit-learn.
 */
export function adjustedRandScore(labelsTrue: ArrayLike<number>, labelsPred: ArrayLike<number>): number {
  const a = toLabels(labelsTrue, 'labelsTrue');
  const b = toLabels(labelsPred, 'labelsPred', a.length);
  const n = a.length;
  if (n === 0) throw rangeError('labelsTrue', 'a non-empty labeling', labelsTrue);
  const pairs = new Map<string, number>();
  const rowsA = new Map<number, number>();
  const rowsB = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const key = `${a[i]},${b[i]}`;
    pairs.set(key, (pairs.get(key) ?? 0) + 1);
    rowsA.set(a[i] as number, (rowsA.get(a[i] as number) ?? 0) + 1);
    rowsB.set(b[i] as number, (rowsB.get(b[i] as number) ?? 0) + 1);
  }
  const comb2 = (v: number): number => (v * (v - 1)) / 2;
  let sumPairs = 0;
  for (const v of pairs.values()) sumPairs += comb2(v);
  let sumA = 0;
  for (const v of rowsA.values()) sumA += comb2(v);
  let sumB = 0;
  for (const v of rowsB.values()) sumB += comb2(v);
  const expected = (sumA * sumB) / comb2(n);
  const max = (sumA + sumB) / 2;
  // Both labelings put everything in one cluster (or every point alone): identical, by convention 1.
  if (max === expected) return 1;
  return (sumPairs - expected) / (max - expected);
}

export interface SilhouetteOptions {
  /** 'euclidean' (default) or 'cosine' (1 - cos). */
  metric?: 'euclidean' | 'cosine';
  /** Score a random subset of this many rows (O(sampleSize^2) instead of O(n^2)). Default: all rows. */
  sampleSize?: number;
  /** Seed of the subset. Default 0. */
  seed?: number;
}

/**
 * Mean silhouette coefficient (Rousseeuw 1987): for each row, (b - a) / max(a, b) with a the mean
 * distance to its own cluster and b to the nearest other cluster; rows alone in their cluster
 * score 0. Needs 2 <= number of labels <= n - 1, as scikit-learn.
 */
export function silhouetteScore(x: MatrixInput, labels: ArrayLike<number>, options: SilhouetteOptions = {}): number {
  checkOptions('silhouetteScore options', options, ['metric', 'sampleSize', 'seed']);
  let m = toMatrix(x, 'x');
  let lab = toLabels(labels, 'labels', m.rows);
  const metric = checkOneOf('options.metric', options.metric ?? 'euclidean', ['euclidean', 'cosine']);
  if (metric === 'cosine') m = unitRows(m, 'x');
  if (options.sampleSize !== undefined) {
    const size = checkInteger('options.sampleSize', options.sampleSize, 2, m.rows);
    const rng = new Rng(checkInteger('options.seed', options.seed ?? 0, -0x80000000, 0xffffffff));
    const idx = Array.from({ length: m.rows }, (_, i) => i);
    for (let i = 0; i < size; i++) {
      const j = i + rng.int(m.rows - i);
      [idx[i], idx[j]] = [idx[j] as number, idx[i] as number];
    }
    const pick = idx.slice(0, size).sort((p, q) => p - q);
    const data = new Float64Array(size * m.cols);
    pick.forEach((r, i) => {
      data.set(m.data.subarray(r * m.cols, (r + 1) * m.cols), i * m.cols);
    });
    const sub: DenseMatrix = { data, rows: size, cols: m.cols };
    lab = Int32Array.from(pick, (r) => lab[r] as number);
    m = sub;
  }
  const ids = new Map<number, number>();
  for (const l of lab) if (!ids.has(l)) ids.set(l, ids.size);
  const k = ids.size;
  if (k < 2 || k > m.rows - 1) throw rangeError('labels', `between 2 and n - 1 = ${m.rows - 1} distinct labels`, `${k} distinct labels`);
  const dense = Int32Array.from(lab, (l) => ids.get(l) as number);
  const sizes = new Float64Array(k);
  for (const c of dense) sizes[c] = (sizes[c] as number) + 1;
  const { rows: n, cols: d, data } = m;
  const sums = new Float64Array(k);
  let total = 0;
  for (let i = 0; i < n; i++) {
    sums.fill(0);
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      let s = 0;
      for (let t = 0; t < d; t++) {
        const v = (data[i * d + t] as number) - (data[j * d + t] as number);
        s += v * v;
      }
      const dist = metric === 'cosine' ? s / 2 : Math.sqrt(s);
      const c = dense[j] as number;
      sums[c] = (sums[c] as number) + dist;
    }
    const own = dense[i] as number;
    if ((sizes[own] as number) <= 1) continue;
    const a = (sums[own] as number) / ((sizes[own] as number) - 1);
    let b = Number.POSITIVE_INFINITY;
    for (let c = 0; c < k; c++) if (c !== own && (sums[c] as number) / (sizes[c] as number) < b) b = (sums[c] as number) / (sizes[c] as number);
    const denom = Math.max(a, b);
    total += denom > 0 ? (b - a) / denom : 0;
  }
  return total / n;
}
