import { checkFunction, checkInteger, checkNumber, checkOneOf, checkOptions, notFitted, Rng, rangeError } from '@aiffel/core';
import { centredSquares, columnMeans, type DenseMatrix, type MatrixInput, toMatrix } from '../core/matrix.js';
import { parallelFor, resolveThreads, shareArray, sharedFloat64, sharedInt32, threadsFor, warmUp } from '../parallel/pool.js';
import { nextDataId, simdFor } from '../wasm/dot-engine.js';
import { kmeansPlusPlus, randomRows } from './kmeans-init.js';
import { type ElkanArgs, type LloydArgs, lloydAssign } from './kmeans-kernels.js';
import { rowNorms, unitRows } from './row-norms.js';

export interface KMeansProgress {
  /** Restart index (0-based) out of nInit, iteration within it, the step's inertia, and how far the centres moved (sum of squared shifts). */
  run: number;
  iteration: number;
  inertia: number;
  centerShift: number;
}

export interface KMeansOptions {
  /** Number of clusters k. Default 8 (as scikit-learn). */
  nClusters?: number;
  /** 'k-means++' (default; greedy, 2 + ln k trials), 'random' rows, or a k x d matrix of starting centres. */
  init?: 'k-means++' | 'random' | MatrixInput;
  /** Restarts with different seeds; the lowest inertia wins. 'auto' (default): 1 for k-means++ or explicit centres, 10 for 'random'. */
  nInit?: number | 'auto';
  /** Iterations per restart. Default 300. */
  maxIter?: number;
  /** Convergence when the squared centre shift falls below tol x the mean feature variance. Default 1e-4. */
  tol?: number;
  /** 'lloyd' (default) or 'elkan' (triangle-inequality pruning; same result, fewer distances when clusters are well separated). */
  algorithm?: 'lloyd' | 'elkan';
  /** 'euclidean' (default) or 'cosine': spherical k-means on unit-normalised rows with unit-length centres. */
  metric?: 'euclidean' | 'cosine';
  /** Seed of every random choice. Default 0. */
  seed?: number;
  /** Threads: 'auto' (default, every core) or a count. Small inputs always run on one. */
  threads?: number | 'auto';
  /** Called after every iteration. */
  onProgress?: (p: KMeansProgress) => void;
}

const KNOWN = ['nClusters', 'init', 'nInit', 'maxIter', 'tol', 'algorithm', 'metric', 'seed', 'threads', 'onProgress'] as const;

interface RunResult {
  centers: Float64Array;
  labels: Int32Array;
  inertia: number;
  nIter: number;
}

/** Serialised form of a fitted KMeans (`toJSON` / `KMeans.fromJSON`). */
export interface KMeansJSON {
  type: 'KMeans';
  version: 1;
  nClusters: number;
  nFeatures: number;
  metric: 'euclidean' | 'cosine';
  centers: number[];
  inertia: number;
  nIter: number;
}

/**
 * k-means clustering (scikit-learn's KMeans semantics: greedy k-means++, Lloyd or Elkan, restarts,
 * relative tolerance, empty clusters re-seeded from the farthest points), with spherical k-means
 * for cosine distance, on typed arrays over both cores.
 */
export class KMeans {
  readonly nClusters: number;
  readonly options: Readonly<Required<Omit<KMeansOptions, 'init' | 'onProgress'>>> & Pick<KMeansOptions, 'init' | 'onProgress'>;
  /** k x d centres after fit. */
  clusterCenters: DenseMatrix<Float64Array> | undefined;
  /** Label of each training row after fit. */
  labels: Int32Array | undefined;
  /** Sum of squared distances to the nearest centre (cosine: sum of 1 - cos). */
  inertia = Number.NaN;
  nIter = 0;

  constructor(options: KMeansOptions = {}) {
    checkOptions('KMeans options', options, KNOWN);
    const nClusters = checkInteger('options.nClusters', options.nClusters ?? 8, 1);
    const nInit = options.nInit ?? 'auto';
    if (nInit !== 'auto') checkInteger('options.nInit', nInit, 1);
    const init = options.init ?? 'k-means++';
    if (typeof init === 'string') checkOneOf('options.init', init, ['k-means++', 'random']);
    if (options.onProgress !== undefined) checkFunction('options.onProgress', options.onProgress);
    this.nClusters = nClusters;
    this.options = {
      nClusters,
      init,
      nInit,
      maxIter: checkInteger('options.maxIter', options.maxIter ?? 300, 1),
      tol: checkNumber('options.tol', options.tol ?? 1e-4, (v) => v >= 0, 'a non-negative number'),
      algorithm: checkOneOf('options.algorithm', options.algorithm ?? 'lloyd', ['lloyd', 'elkan']),
      metric: checkOneOf('options.metric', options.metric ?? 'euclidean', ['euclidean', 'cosine']),
      seed: checkInteger('options.seed', options.seed ?? 0, -0x80000000, 0xffffffff),
      threads: options.threads === undefined || options.threads === 'auto' ? 'auto' : resolveThreads(options.threads),
      onProgress: options.onProgress,
    };
  }

  /** Clusters the rows of `x`. Resolves to this model. */
  async fit(x: MatrixInput): Promise<this> {
    let m = toMatrix(x, 'x');
    const k = this.nClusters;
    if (k > m.rows) throw rangeError('options.nClusters', `at most the number of samples (${m.rows})`, k);
    const { init, metric } = this.options;
    let initCenters: Float64Array | undefined;
    if (typeof init !== 'string') {
      const c = toMatrix(init, 'options.init');
      if (c.rows !== k || c.cols !== m.cols) throw rangeError('options.init', `a ${k} x ${m.cols} matrix of centres`, `${c.rows} x ${c.cols}`);
      initCenters = Float64Array.from(c.data);
      if (metric === 'cosine') initCenters = unitRows({ data: initCenters, rows: k, cols: m.cols }, 'options.init').data as Float64Array;
    }
    if (metric === 'cosine') m = unitRows(m, 'x');
    const threads = threadsFor(m.rows * m.cols * k, resolveThreads(this.options.threads));
    warmUp(threads);
    m = { data: shareArray(m.data, threads), rows: m.rows, cols: m.cols };
    const xNorm = rowNorms(m, threads);
    const tol = this.options.tol * meanVariance(m);
    const nInit = this.options.nInit === 'auto' ? (init === 'random' ? 10 : 1) : this.options.nInit;
    const rng = new Rng(this.options.seed);
    let best: RunResult | undefined;
    for (let run = 0; run < nInit; run++) {
      const runRng = new Rng(rng.seed() | 0);
      let centers: Float64Array;
      if (initCenters) centers = initCenters.slice();
      else {
        const rows = init === 'random' ? randomRows(m.rows, k, runRng) : await kmeansPlusPlus(m, xNorm, k, runRng, threads);
        centers = new Float64Array(k * m.cols);
        rows.forEach((r, c) => {
          centers.set(m.data.subarray(r * m.cols, (r + 1) * m.cols), c * m.cols);
        });
      }
      const result = await this.runOnce(m, xNorm, centers, tol, threads, run);
      if (best === undefined || result.inertia < best.inertia) best = result;
    }
    const b = best as RunResult;
    this.clusterCenters = { data: b.centers, rows: k, cols: m.cols };
    this.labels = b.labels;
    this.inertia = b.inertia;
    this.nIter = b.nIter;
    return this;
  }

  /** fit, then the training labels. */
  async fitPredict(x: MatrixInput): Promise<Int32Array> {
    await this.fit(x);
    return this.labels as Int32Array;
  }

  private async runOnce(m: DenseMatrix, xNorm: Float64Array, start: Float64Array, tol: number, threads: number, run: number): Promise<RunResult> {
    const { rows: n, cols: d } = m;
    const k = this.nClusters;
    const cosine = this.options.metric === 'cosine';
    const centers = sharedFloat64(k * d, threads);
    centers.set(start);
    const lloyd: LloydArgs = {
      x: m.data,
      xNorm,
      d,
      k,
      centers,
      cNorm: sharedFloat64(k, threads),
      labels: sharedInt32(n, threads).fill(-1),
      minDist: sharedFloat64(n, threads),
      sums: sharedFloat64(threads * k * d, threads),
      counts: sharedFloat64(threads * k, threads),
      inertia: sharedFloat64(threads, threads),
      changed: sharedFloat64(threads, threads),
      simd: simdFor(m.data),
      dataId: nextDataId(),
    };
    const elkan: ElkanArgs | undefined =
      this.options.algorithm === 'elkan'
        ? {
            ...lloyd,
            upper: sharedFloat64(n, threads),
            lower: sharedFloat64(n * k, threads),
            cc: sharedFloat64(k * k, threads),
            halfNearest: sharedFloat64(k, threads),
            shift: sharedFloat64(k, threads),
            initial: 1,
          }
        : undefined;
    const newCenters = new Float64Array(k * d);
    let iter = 0;
    while (iter < this.options.maxIter) {
      iter++;
      updateNorms(centers, lloyd.cNorm, k, d);
      if (elkan) {
        centreDistances(elkan);
        await parallelFor('elkanAssign', elkan, n, threads);
        elkan.initial = 0;
      } else await parallelFor('lloydAssign', lloyd, n, threads);
      const counts = reduceSlots(lloyd, newCenters, threads);
      if (elkan === undefined) relocateEmpty(lloyd, newCenters, counts);
      else if (counts.some((c) => c === 0)) {
        // Elkan's bounds do not hold the exact distances empty-cluster relocation needs: one exact pass.
        await parallelFor('lloydAssign', lloyd, n, threads);
        relocateEmpty(lloyd, newCenters, reduceSlots(lloyd, newCenters, threads));
        elkan.initial = 1;
      }
      for (let c = 0; c < k; c++) {
        const cnt = counts[c] as number;
        if (cnt > 0) for (let j = 0; j < d; j++) newCenters[c * d + j] = (newCenters[c * d + j] as number) / cnt;
      }
      if (cosine) normaliseCentres(newCenters, k, d);
      let shiftTotal = 0;
      for (let c = 0; c < k; c++) {
        let s = 0;
        for (let j = 0; j < d; j++) {
          const diff = (newCenters[c * d + j] as number) - (centers[c * d + j] as number);
          s += diff * diff;
        }
        shiftTotal += s;
        if (elkan) elkan.shift[c] = Math.sqrt(s);
      }
      centers.set(newCenters);
      const changed = lloyd.changed.reduce((s, v) => s + v, 0);
      const inertia = elkan ? Number.NaN : lloyd.inertia.reduce((s, v) => s + v, 0);
      this.options.onProgress?.({ run, iteration: iter, inertia: cosine ? inertia / 2 : inertia, centerShift: shiftTotal });
      if (changed === 0 && iter > 1) break;
      if (shiftTotal <= tol) break;
    }
    // Final E-step so labels and inertia match the returned centres exactly.
    updateNorms(centers, lloyd.cNorm, k, d);
    await parallelFor('lloydAssign', lloyd, n, threads);
    const inertia = lloyd.inertia.reduce((s, v) => s + v, 0);
    return { centers: Float64Array.from(centers), labels: Int32Array.from(lloyd.labels), inertia: cosine ? inertia / 2 : inertia, nIter: iter };
  }

  private fitted(method: string): DenseMatrix<Float64Array> {
    if (this.clusterCenters === undefined) throw notFitted('KMeans', method);
    return this.clusterCenters;
  }

  private prepare(x: MatrixInput, method: string): DenseMatrix {
    const c = this.fitted(method);
    let m = toMatrix(x, 'x');
    if (m.cols !== c.cols) throw rangeError('x', `${c.cols} columns like the training data`, `${m.cols} columns`);
    if (this.options.metric === 'cosine') m = unitRows(m, 'x');
    return m;
  }

  /** Nearest centre of each row. */
  predict(x: MatrixInput): Int32Array {
    const m = this.prepare(x, 'predict');
    const c = this.clusterCenters as DenseMatrix<Float64Array>;
    const args = this.singleThreadArgs(m, c);
    assignAll(args);
    return Int32Array.from(args.labels);
  }

  /** Distance of every row to every centre (rows x k): euclidean, or 1 - cos for cosine. */
  transform(x: MatrixInput): DenseMatrix<Float64Array> {
    const m = this.prepare(x, 'transform');
    const c = this.clusterCenters as DenseMatrix<Float64Array>;
    const k = c.rows;
    const out = new Float64Array(m.rows * k);
    for (let i = 0; i < m.rows; i++) {
      for (let ci = 0; ci < k; ci++) {
        let s = 0;
        for (let j = 0; j < m.cols; j++) {
          const diff = (m.data[i * m.cols + j] as number) - (c.data[ci * m.cols + j] as number);
          s += diff * diff;
        }
        out[i * k + ci] = this.options.metric === 'cosine' ? s / 2 : Math.sqrt(s);
      }
    }
    return { data: out, rows: m.rows, cols: k };
  }

  /** Negative inertia of `x` under the fitted centres (higher is better, as scikit-learn's score). */
  score(x: MatrixInput): number {
    const m = this.prepare(x, 'score');
    const args = this.singleThreadArgs(m, this.clusterCenters as DenseMatrix<Float64Array>);
    assignAll(args);
    const inertia = args.inertia[0] as number;
    return -(this.options.metric === 'cosine' ? inertia / 2 : inertia);
  }

  private singleThreadArgs(m: DenseMatrix, c: DenseMatrix<Float64Array>): LloydArgs {
    const k = c.rows;
    const cNorm = new Float64Array(k);
    updateNorms(c.data, cNorm, k, c.cols);
    return {
      x: m.data,
      xNorm: rowNorms(m, 1),
      d: m.cols,
      k,
      centers: c.data,
      cNorm,
      labels: new Int32Array(m.rows).fill(-1),
      minDist: new Float64Array(m.rows),
      sums: new Float64Array(k * m.cols),
      counts: new Float64Array(k),
      inertia: new Float64Array(1),
      changed: new Float64Array(1),
      simd: simdFor(m.data),
      dataId: nextDataId(),
    };
  }

  toJSON(): KMeansJSON {
    const c = this.fitted('toJSON');
    return {
      type: 'KMeans',
      version: 1,
      nClusters: c.rows,
      nFeatures: c.cols,
      metric: this.options.metric,
      centers: Array.from(c.data),
      inertia: this.inertia,
      nIter: this.nIter,
    };
  }

  /** Restores a fitted model from toJSON output (validated: sizes, finite centres). */
  static fromJSON(json: unknown): KMeans {
    const j = json as KMeansJSON;
    if (j === null || typeof j !== 'object' || j.type !== 'KMeans') throw rangeError('json', 'the output of KMeans.toJSON()', json);
    if (j.version !== 1) throw rangeError('json.version', '1', j.version);
    const k = checkInteger('json.nClusters', j.nClusters, 1, 1e6);
    const d = checkInteger('json.nFeatures', j.nFeatures, 1, 1e7);
    if (!Array.isArray(j.centers) || j.centers.length !== k * d)
      throw rangeError('json.centers', `an array of nClusters * nFeatures = ${k * d} numbers`, j.centers);
    const model = new KMeans({ nClusters: k, metric: checkOneOf('json.metric', j.metric, ['euclidean', 'cosine'] as const) });
    const centers = toMatrix({ data: Float64Array.from(j.centers), rows: k, cols: d }, 'json.centers');
    model.clusterCenters = centers as DenseMatrix<Float64Array>;
    model.inertia = typeof j.inertia === 'number' ? j.inertia : Number.NaN;
    model.nIter = typeof j.nIter === 'number' ? j.nIter : 0;
    return model;
  }
}

function assignAll(args: LloydArgs): void {
  // predict/score are one pass on the calling thread: not worth a round trip to the workers.
  lloydAssign(args, 0, args.labels.length, 0);
}

function updateNorms(centers: Float64Array, out: Float64Array, k: number, d: number): void {
  for (let c = 0; c < k; c++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += (centers[c * d + j] as number) ** 2;
    out[c] = s;
  }
}

function normaliseCentres(centers: Float64Array, k: number, d: number): void {
  for (let c = 0; c < k; c++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += (centers[c * d + j] as number) ** 2;
    if (s === 0) continue;
    const inv = 1 / Math.sqrt(s);
    for (let j = 0; j < d; j++) centers[c * d + j] = (centers[c * d + j] as number) * inv;
  }
}

function centreDistances(a: ElkanArgs): void {
  const { k, d, centers, cc, halfNearest } = a;
  for (let c = 0; c < k; c++) {
    let nearest = Number.POSITIVE_INFINITY;
    for (let o = 0; o < k; o++) {
      if (o === c) {
        cc[c * k + o] = 0;
        continue;
      }
      let s = 0;
      for (let j = 0; j < d; j++) {
        const diff = (centers[c * d + j] as number) - (centers[o * d + j] as number);
        s += diff * diff;
      }
      const dist = Math.sqrt(s);
      cc[c * k + o] = dist;
      if (dist < nearest) nearest = dist;
    }
    halfNearest[c] = 0.5 * nearest;
  }
}

/** Sums the per-thread partial sums into `out` (k x d) and returns the counts. */
function reduceSlots(a: LloydArgs, out: Float64Array, threads: number): Float64Array {
  const { k, d } = a;
  out.fill(0);
  const counts = new Float64Array(k);
  for (let s = 0; s < threads; s++) {
    const base = s * k * d;
    for (let i = 0; i < k * d; i++) out[i] = (out[i] as number) + (a.sums[base + i] as number);
    for (let c = 0; c < k; c++) counts[c] = (counts[c] as number) + (a.counts[s * k + c] as number);
  }
  return counts;
}

/**
 * An empty cluster takes the row farthest from its centre (scikit-learn's rule), moving that row's
 * contribution out of its old cluster's sums so the next centres stay exact.
 */
function relocateEmpty(a: LloydArgs, sums: Float64Array, counts: Float64Array): void {
  const empty: number[] = [];
  counts.forEach((c, i) => {
    if (c === 0) empty.push(i);
  });
  if (empty.length === 0) return;
  const { d, x, labels, minDist } = a;
  const taken = new Set<number>();
  for (const c of empty) {
    let far = -1;
    let farD = -1;
    for (let i = 0; i < minDist.length; i++) {
      if (!taken.has(i) && (minDist[i] as number) > farD && (counts[labels[i] as number] as number) > 1) {
        farD = minDist[i] as number;
        far = i;
      }
    }
    if (far < 0) continue;
    taken.add(far);
    const old = labels[far] as number;
    for (let j = 0; j < d; j++) {
      const v = x[far * d + j] as number;
      sums[old * d + j] = (sums[old * d + j] as number) - v;
      sums[c * d + j] = v;
    }
    counts[old] = (counts[old] as number) - 1;
    counts[c] = 1;
    labels[far] = c;
    minDist[far] = 0;
  }
}

/** Mean over features of each feature's variance (scikit-learn scales tol by it). */
function meanVariance(m: DenseMatrix): number {
  return centredSquares(m, columnMeans(m)) / m.rows / m.cols;
}
