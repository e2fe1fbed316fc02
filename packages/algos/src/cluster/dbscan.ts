import { checkInteger, checkNumber, checkOneOf, checkOptions, rangeError, typeError } from '@aiffel/core';
import { type DenseMatrix, type MatrixInput, toMatrix } from '../core/matrix.js';
import { BruteIndex } from './brute-index.js';
import type { NormMetric } from './distance.js';
import { GridIndex } from './grid-index.js';
import { KdTree } from './kd-tree.js';
import type { NeighborIndex } from './neighbor-index.js';
import { unitRows } from './row-norms.js';

/** A custom metric: distance between two rows (given as views of the data). */
export type MetricFunction = (a: Float32Array | Float64Array, b: Float32Array | Float64Array) => number;

export interface DBSCANOptions {
  /** Neighbourhood radius (distance <= eps counts, as scikit-learn). Default 0.5. */
  eps?: number;
  /** Neighbours (the point itself included) that make a core point. Default 5. */
  minSamples?: number;
  /** 'euclidean' (default), 'manhattan', 'chebyshev', 'cosine' (1 - cos, eps in (0, 2]) or a function of two rows. */
  metric?: NormMetric | 'cosine' | MetricFunction;
  /** 'auto' (default): grid for 1-3 dimensions, KD-tree above, brute force for a metric function. */
  algorithm?: 'auto' | 'grid' | 'kdtree' | 'brute';
  /** Points per KD-tree leaf. Default 30. */
  leafSize?: number;
}

const KNOWN = ['eps', 'minSamples', 'metric', 'algorithm', 'leafSize'] as const;

/**
 * Density-based clustering (Ester et al. 1996) with scikit-learn's labels: clusters numbered in
 * order of their first core point, -1 for noise, a border point in the first cluster that reaches
 * it. Memory is O(n): neighbourhoods are queried from a grid or KD-tree when needed and never
 * stored (scikit-learn keeps every neighbourhood list, O(n^2) on dense data: scikit-learn#17650).
 */
export class DBSCAN {
  readonly eps: number;
  readonly minSamples: number;
  readonly metric: NormMetric | 'cosine' | MetricFunction;
  readonly algorithm: 'auto' | 'grid' | 'kdtree' | 'brute';
  readonly leafSize: number;
  /** Cluster of every row after fit; -1 is noise. */
  labels: Int32Array | undefined;
  /** Rows that are core points, ascending. */
  coreSampleIndices: Int32Array | undefined;
  /** Number of clusters found (noise excluded). */
  nClusters = 0;
  /** The index fit actually used. */
  algorithmUsed: 'grid' | 'kdtree' | 'brute' | undefined;

  constructor(options: DBSCANOptions = {}) {
    checkOptions('DBSCAN options', options, KNOWN);
    this.eps = checkNumber('options.eps', options.eps ?? 0.5, (v) => v > 0, 'a positive finite number');
    this.minSamples = checkInteger('options.minSamples', options.minSamples ?? 5, 1);
    const metric = options.metric ?? 'euclidean';
    if (typeof metric !== 'function') checkOneOf('options.metric', metric, ['euclidean', 'manhattan', 'chebyshev', 'cosine']);
    if (metric === 'cosine' && this.eps > 2) throw rangeError('options.eps', 'at most 2 for the cosine metric (1 - cos lies in [0, 2])', this.eps);
    this.metric = metric;
    this.algorithm = checkOneOf('options.algorithm', options.algorithm ?? 'auto', ['auto', 'grid', 'kdtree', 'brute']);
    if (typeof metric === 'function' && (this.algorithm === 'grid' || this.algorithm === 'kdtree')) {
      throw rangeError('options.algorithm', "'auto' or 'brute' with a metric function (indexes need a norm metric)", this.algorithm);
    }
    this.leafSize = checkInteger('options.leafSize', options.leafSize ?? 30, 1);
  }

  private buildIndex(m: DenseMatrix): NeighborIndex {
    const metric = this.metric;
    if (typeof metric === 'function') {
      const { data, cols } = m;
      const dist = (i: number, j: number): number => {
        const v = metric(data.subarray(i * cols, (i + 1) * cols), data.subarray(j * cols, (j + 1) * cols));
        if (typeof v !== 'number' || Number.isNaN(v)) throw typeError('options.metric', `a function returning a number (rows ${i} and ${j})`, v);
        // A negative "distance" is within every eps: all points would become one cluster. A
        // formula such as 1 - cos gives -1e-16 for a point and itself: float rounding, read as 0.
        if (v < 0) {
          if (v >= -1e-9) return 0;
          throw rangeError('options.metric', `a distance (>= 0) for rows ${i} and ${j}`, v);
        }
        return v;
      };
      this.algorithmUsed = 'brute';
      return new BruteIndex(m.rows, dist, this.eps);
    }
    // Cosine on unit rows is euclidean: |a - b|^2 = 2 (1 - cos), so eps becomes sqrt(2 eps).
    const norm: NormMetric = metric === 'cosine' ? 'euclidean' : metric;
    const eps = metric === 'cosine' ? Math.sqrt(2 * this.eps) : this.eps;
    let algorithm = this.algorithm;
    if (algorithm === 'auto') algorithm = GridIndex.suits(m, eps) ? 'grid' : m.cols <= 20 ? 'kdtree' : 'brute';
    if (algorithm === 'grid' && !GridIndex.suits(m, eps)) {
      throw rangeError('options.algorithm', "'grid' only for 1-3 dimensions with eps not vanishingly small against the data range", 'grid');
    }
    this.algorithmUsed = algorithm;
    if (algorithm === 'grid') return new GridIndex(m, eps, norm);
    if (algorithm === 'kdtree') return new KdTree(m, eps, norm, this.leafSize);
    const dist = (i: number, j: number): number => {
      let s = 0;
      const { data, cols } = m;
      for (let t = 0; t < cols; t++) {
        const v = Math.abs((data[i * cols + t] as number) - (data[j * cols + t] as number));
        if (norm === 'euclidean') s += v * v;
        else if (norm === 'manhattan') s += v;
        else if (v > s) s = v;
      }
      return s;
    };
    return new BruteIndex(m.rows, dist, norm === 'euclidean' ? eps * eps : eps);
  }

  /** Clusters the rows of `x`. */
  fit(x: MatrixInput): this {
    let m = toMatrix(x, 'x');
    if (this.metric === 'cosine') m = unitRows(m, 'x');
    const n = m.rows;
    const index = this.buildIndex(m);
    const core = new Uint8Array(n);
    for (let i = 0; i < n; i++) if (index.countNeighbors(i, this.minSamples) >= this.minSamples) core[i] = 1;
    const labels = new Int32Array(n).fill(-1);
    const stack = new Int32Array(n);
    let cluster = 0;
    for (let i = 0; i < n; i++) {
      if (labels[i] !== -1 || !core[i]) continue;
      let top = 0;
      labels[i] = cluster;
      stack[top++] = i;
      const claim = (q: number): void => {
        if (labels[q] !== -1) return;
        labels[q] = cluster;
        if (core[q]) stack[top++] = q;
      };
      while (top > 0) index.forEachNeighbor(stack[--top] as number, claim);
      cluster++;
    }
    const cores: number[] = [];
    for (let i = 0; i < n; i++) if (core[i]) cores.push(i);
    this.labels = labels;
    this.coreSampleIndices = Int32Array.from(cores);
    this.nClusters = cluster;
    return this;
  }

  /** fit, then the labels. */
  fitPredict(x: MatrixInput): Int32Array {
    return this.fit(x).labels as Int32Array;
  }
}
