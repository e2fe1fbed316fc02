import { describe, expect, it } from 'vitest';
import { DBSCAN } from '../src/index.js';
import { makeBlobs, uniformPoints } from './blobs.js';

/** Textbook DBSCAN with stored neighbourhoods (the O(n^2) memory version), in the same visiting order. */
function bruteDbscan(rows: number[][], eps: number, minSamples: number, dist: (a: number[], b: number[]) => number): Int32Array {
  const n = rows.length;
  const nb = rows.map((a) => rows.map((b, j) => (dist(a, b) <= eps ? j : -1)).filter((j) => j >= 0));
  const core = nb.map((l) => l.length >= minSamples);
  const labels = new Int32Array(n).fill(-1);
  let c = 0;
  for (let i = 0; i < n; i++) {
    if (labels[i] !== -1 || !core[i]) continue;
    const stack = [i];
    labels[i] = c;
    while (stack.length) {
      const p = stack.pop() as number;
      for (const q of nb[p] as number[]) {
        if (labels[q] !== -1) continue;
        labels[q] = c;
        if (core[q]) stack.push(q);
      }
    }
    c++;
  }
  return labels;
}

const euclid = (a: number[], b: number[]) => Math.hypot(...a.map((v, i) => v - (b[i] as number)));
const manhattan = (a: number[], b: number[]) => a.reduce((s, v, i) => s + Math.abs(v - (b[i] as number)), 0);
const toRows = (m: { data: Float64Array; rows: number; cols: number }) =>
  Array.from({ length: m.rows }, (_, i) => Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));

describe('DBSCAN', () => {
  it.each([
    ['grid', 2, 'euclidean'],
    ['grid', 3, 'manhattan'],
    ['kdtree', 2, 'euclidean'],
    ['kdtree', 5, 'euclidean'],
    ['kdtree', 4, 'chebyshev'],
    ['brute', 6, 'euclidean'],
  ] as const)('equals brute-force DBSCAN exactly (%s, %i-d, %s)', (algorithm, d, metric) => {
    for (const seed of [1, 2, 3]) {
      const m = uniformPoints(400, d, seed, 10);
      const rows = toRows(m);
      const eps = d <= 2 ? 0.7 : 2.5;
      const dist =
        metric === 'manhattan'
          ? manhattan
          : metric === 'chebyshev'
            ? (a: number[], b: number[]) => Math.max(...a.map((v, i) => Math.abs(v - (b[i] as number))))
            : euclid;
      const db = new DBSCAN({ eps, minSamples: 4, algorithm, metric }).fit(m);
      expect(db.algorithmUsed).toBe(algorithm);
      expect(Array.from(db.labels as Int32Array)).toEqual(Array.from(bruteDbscan(rows, eps, 4, dist)));
    }
  });

  it('finds blobs, marks noise -1 and lists core samples', () => {
    const { x, labels } = makeBlobs(600, 2, 3, 30, 4, 0.5);
    const noise = [
      [500, 500],
      [-500, 500],
    ];
    const rows = [...toRows(x), ...noise];
    const db = new DBSCAN({ eps: 0.8, minSamples: 5 }).fit(rows);
    expect(db.nClusters).toBe(3);
    const out = db.labels as Int32Array;
    expect(out[600]).toBe(-1);
    expect(out[601]).toBe(-1);
    // Each blob maps to one cluster label.
    for (let k = 0; k < 3; k++) {
      const seen = new Set<number>();
      for (let i = 0; i < 600; i++) if (labels[i] === k && out[i] !== -1) seen.add(out[i] as number);
      expect(seen.size).toBe(1);
    }
    const cores = db.coreSampleIndices as Int32Array;
    expect(cores.length).toBeGreaterThan(500);
    for (const c of cores) expect(out[c]).not.toBe(-1);
  });

  it('supports cosine distance and a custom metric function', () => {
    const m = uniformPoints(200, 3, 9, 1);
    for (let i = 0; i < m.data.length; i++) m.data[i] = (m.data[i] as number) + 0.05;
    const rows = toRows(m);
    const cos = (a: number[], b: number[]) => 1 - a.reduce((s, v, i) => s + v * (b[i] as number), 0) / (Math.hypot(...a) * Math.hypot(...b));
    const expected = Array.from(bruteDbscan(rows, 0.02, 5, cos));
    expect(Array.from(new DBSCAN({ eps: 0.02, minSamples: 5, metric: 'cosine' }).fitPredict(m))).toEqual(expected);
    const custom = new DBSCAN({ eps: 0.02, minSamples: 5, metric: (a, b) => cos(Array.from(a), Array.from(b)) });
    expect(Array.from(custom.fitPredict(m))).toEqual(expected);
    expect(custom.algorithmUsed).toBe('brute');
  });

  it('handles a large 2-d set without storing neighbourhoods', () => {
    const { x } = makeBlobs(100_000, 2, 10, 50, 6, 1);
    const db = new DBSCAN({ eps: 0.3, minSamples: 10 }).fit(x);
    expect(db.algorithmUsed).toBe('grid');
    expect(db.nClusters).toBeGreaterThanOrEqual(10);
  });

  it('rejects bad options and input', () => {
    expect(() => new DBSCAN({ eps: 0 })).toThrow(/options.eps must be a positive finite number, got 0/);
    expect(() => new DBSCAN({ eps: -1 })).toThrow(/options.eps must be a positive finite number, got -1/);
    expect(() => new DBSCAN({ minSamples: 0 })).toThrow(/options.minSamples must be a positive integer, got 0/);
    expect(() => new DBSCAN({ metric: 'hamming' as never })).toThrow(/options.metric must be one of/);
    expect(() => new DBSCAN({ metric: 'cosine', eps: 3 })).toThrow(/options.eps must be at most 2 for the cosine metric/);
    expect(() => new DBSCAN({ metric: () => 0, algorithm: 'kdtree' })).toThrow(/options.algorithm must be 'auto' or 'brute' with a metric function/);
    expect(() => new DBSCAN({ algorithm: 'grid' }).fit(uniformPoints(10, 5, 1))).toThrow(/'grid' only for 1-3 dimensions/);
    expect(() =>
      new DBSCAN().fit([
        [1, 2],
        [Number.POSITIVE_INFINITY, 1],
      ]),
    ).toThrow(/x must contain only finite numbers, got Infinity at row 1, column 0/);
    expect(() => new DBSCAN().fit([[1, 2], [3]])).toThrow(/x\[1\].length must be 2/);
    expect(() => new DBSCAN({ metric: () => Number.NaN }).fit([[1], [2]])).toThrow(/options.metric must be a function returning a number/);
    // A negative distance is inside every eps: it used to put all points in one cluster.
    expect(() => new DBSCAN({ metric: () => -1 }).fit([[1], [2]])).toThrow(/options.metric must be a distance \(>= 0\) for rows 0 and 0, got -1/);
    // Squares of values past 1e100 overflow: every distance would be Infinity.
    expect(() =>
      new DBSCAN().fit([
        [1, 2],
        [3e200, 1],
      ]),
    ).toThrow(/x must hold values within ±1e100 .*got 3e\+200 at row 1, column 0; rescale the data/);
  });
});
