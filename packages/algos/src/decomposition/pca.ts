import { checkInteger, checkNumber, checkOneOf, checkOptions, notFitted, Rng, rangeError } from '@aiffel/core';
import { Matrix, SVD } from 'ml-matrix';
import { centredSquares, columnMeans, type DenseMatrix, type MatrixInput, toMatrix } from '../core/matrix.js';
import { parallelFor, resolveThreads, shareArray, sharedFloat64, threadsFor, warmUp } from '../parallel/pool.js';
import { dotEngine, nextDataId, padded, simdFor, stageRows } from '../wasm/dot-engine.js';
import { orthonormalizeColumns } from './orthonormalize.js';
import type { GramArgs, ProjectArgs, TransposeProductArgs } from './pca-kernels.js';
import { symmetricEigen } from './symmetric-eigen.js';

export interface PCAOptions {
  /**
   * An integer: keep that many components. A fraction in (0, 1): keep the fewest components whose
   * explained variance ratio adds up to more than it. Default: min(samples, features).
   */
  nComponents?: number;
  /** Scale the projections to unit variance. Default false. */
  whiten?: boolean;
  /**
   * 'auto' (default): 'covariance' when features <= 1000 and samples >= 10 x features, else
   * 'randomized' for an integer nComponents below 80% of min(samples, features) on data larger than
   * 500, else 'covariance' for features <= 1000 and more than 250,000 values, else 'full'. 'full': exact SVD of the centred data. 'covariance': eigendecomposition of the
   * feature covariance in float64 (scikit-learn 1.5's 'covariance_eigh'). 'randomized': Halko et al.
   */
  solver?: 'auto' | 'full' | 'covariance' | 'randomized';
  /** Extra random directions of the randomized solver. Default 10. */
  nOversamples?: number;
  /** Power iterations of the randomized solver: 'auto' (default) is 7 when nComponents < 0.1 x min(samples, features), else 4. */
  nIter?: number | 'auto';
  /** Seed of the randomized solver. Default 0. */
  seed?: number;
  /** Threads: 'auto' (default, every core) or a count. */
  threads?: number | 'auto';
}

const KNOWN = ['nComponents', 'whiten', 'solver', 'nOversamples', 'nIter', 'seed', 'threads'] as const;

export interface PCAJSON {
  type: 'PCA';
  version: 1;
  nFeatures: number;
  nComponents: number;
  whiten: boolean;
  mean: number[];
  components: number[];
  explainedVariance: number[];
  explainedVarianceRatio: number[];
  singularValues: number[];
  noiseVariance: number;
  nSamples: number;
}

/**
 * Principal component analysis with scikit-learn's semantics and names: centred data, components
 * as rows, explained variance with n - 1 degrees of freedom, signs fixed so each component's
 * largest-magnitude loading is positive (deterministic across solvers and runs).
 */
export class PCA {
  readonly options: Readonly<{
    nComponents: number | undefined;
    whiten: boolean;
    solver: 'auto' | 'full' | 'covariance' | 'randomized';
    nOversamples: number;
    nIter: number | 'auto';
    seed: number;
    threads: number | 'auto';
  }>;
  /** Per-feature mean of the training data. */
  mean: Float64Array | undefined;
  /** nComponents x nFeatures, rows are unit principal axes, by decreasing variance. */
  components: DenseMatrix<Float64Array> | undefined;
  explainedVariance: Float64Array | undefined;
  explainedVarianceRatio: Float64Array | undefined;
  singularValues: Float64Array | undefined;
  /** Mean variance of the discarded directions (probabilistic PCA's noise). */
  noiseVariance = 0;
  nSamples = 0;
  /** The solver fit actually ran. */
  solverUsed: 'full' | 'covariance' | 'randomized' | undefined;

  constructor(options: PCAOptions = {}) {
    checkOptions('PCA options', options, KNOWN);
    const k = options.nComponents;
    if (k !== undefined)
      checkNumber('options.nComponents', k, (v) => (v > 0 && v < 1) || (Number.isInteger(v) && v >= 1), 'a positive integer or a fraction in (0, 1)');
    const nIter = options.nIter ?? 'auto';
    if (nIter !== 'auto') checkInteger('options.nIter', nIter, 0);
    const solver = checkOneOf('options.solver', options.solver ?? 'auto', ['auto', 'full', 'covariance', 'randomized'] as const);
    if (solver === 'randomized' && k !== undefined && !Number.isInteger(k)) {
      throw rangeError('options.nComponents', "an integer with solver 'randomized' (a variance fraction needs the full spectrum)", k);
    }
    if (options.whiten !== undefined && typeof options.whiten !== 'boolean') throw rangeError('options.whiten', 'a boolean', options.whiten);
    this.options = {
      nComponents: k,
      whiten: options.whiten ?? false,
      solver,
      nOversamples: checkInteger('options.nOversamples', options.nOversamples ?? 10, 0),
      nIter,
      seed: checkInteger('options.seed', options.seed ?? 0, -0x80000000, 0xffffffff),
      threads: options.threads === undefined || options.threads === 'auto' ? 'auto' : resolveThreads(options.threads),
    };
  }

  /** Fits the components. Resolves to this model (the covariance and randomized solvers use both cores). */
  async fit(x: MatrixInput): Promise<this> {
    const m0 = toMatrix(x, 'x');
    const { rows: n, cols: d } = m0;
    if (n < 2) throw rangeError('x', 'at least 2 samples', `${n} sample`);
    const maxK = Math.min(n, d);
    const kOpt = this.options.nComponents;
    if (kOpt !== undefined && kOpt >= 1 && kOpt > maxK) throw rangeError('options.nComponents', `at most min(samples, features) = ${maxK}`, kOpt);
    const threads = threadsFor(n * d * d, resolveThreads(this.options.threads));
    warmUp(threads);
    const m: DenseMatrix = { data: shareArray(m0.data, threads), rows: n, cols: d };
    const mean = sharedFloat64(d, threads);
    mean.set(columnMeans(m));

    let solver = this.options.solver;
    const integerK = kOpt !== undefined && Number.isInteger(kOpt);
    if (solver === 'auto') {
      if (d <= 1000 && n >= 10 * d) solver = 'covariance';
      else if (integerK && (kOpt as number) < 0.8 * maxK && Math.max(n, d) > 500) solver = 'randomized';
      // ml-matrix's SVD is exact but slow on big inputs; a float64 covariance is precise enough whenever d is moderate.
      else if (d <= 1000 && n * d > 250_000) solver = 'covariance';
      else solver = 'full';
    }
    this.solverUsed = solver;

    let variances: Float64Array;
    let axes: Float64Array; // rows = components, d columns
    let totalVar: number;
    if (solver === 'randomized') {
      const k = integerK ? (kOpt as number) : maxK;
      ({ variances, axes } = await this.randomized(m, mean, k, threads));
      totalVar = centredSquares(m, mean) / (n - 1);
    } else if (solver === 'covariance') {
      // The covariance's trace is the total variance: no extra pass over the data.
      ({ variances, axes, totalVar } = await covarianceEigh(m, mean, threads));
    } else {
      ({ variances, axes } = fullSvd(m, mean));
      totalVar = centredSquares(m, mean) / (n - 1);
    }
    const available = variances.length;
    const ratios = variances.map((v) => (totalVar > 0 ? v / totalVar : 0));
    let k = available;
    if (kOpt !== undefined && kOpt < 1) {
      let cum = 0;
      k = 0;
      while (k < available && cum <= kOpt) cum += ratios[k++] as number;
    } else if (kOpt !== undefined) k = Math.min(kOpt, available);
    flipSigns(axes, k, d);
    this.mean = Float64Array.from(mean);
    this.components = { data: axes.slice(0, k * d), rows: k, cols: d };
    this.explainedVariance = variances.slice(0, k);
    this.explainedVarianceRatio = ratios.slice(0, k);
    this.singularValues = this.explainedVariance.map((v) => Math.sqrt(v * (n - 1)));
    let kept = 0;
    for (const v of this.explainedVariance) kept += v;
    this.noiseVariance = k < maxK ? Math.max(0, totalVar - kept) / (maxK - k) : 0;
    this.nSamples = n;
    return this;
  }

  private async randomized(m: DenseMatrix, mean: Float64Array, k: number, threads: number): Promise<{ variances: Float64Array; axes: Float64Array }> {
    const { rows: n, cols: d } = m;
    const l = Math.min(k + this.options.nOversamples, Math.min(n, d));
    const nIter = this.options.nIter === 'auto' ? (k < 0.1 * Math.min(n, d) ? 7 : 4) : this.options.nIter;
    const rng = new Rng(this.options.seed);
    const omega = sharedFloat64(d * l, threads);
    for (let i = 0; i < omega.length; i++) omega[i] = rng.normal();
    const simd = simdFor(m.data);
    const proj: ProjectArgs = { x: m.data, mean, d, w: omega, l, y: sharedFloat64(n * l, threads), simd, dataId: nextDataId() };
    const tprod: TransposeProductArgs = { x: m.data, mean, d, y: proj.y, l, out: sharedFloat64(threads * d * l, threads), simd };
    const xtq = async (): Promise<Float64Array> => {
      await parallelFor('transposeProductRows', tprod, n, threads);
      const z = new Float64Array(d * l);
      for (let s = 0; s < threads; s++) for (let i = 0; i < d * l; i++) z[i] = (z[i] as number) + (tprod.out[s * d * l + i] as number);
      return z;
    };
    await parallelFor('projectRows', proj, n, threads);
    orthonormalizeColumns(proj.y, n, l);
    for (let it = 0; it < nIter; it++) {
      const z = await xtq();
      orthonormalizeColumns(z, d, l);
      proj.w.set(z);
      await parallelFor('projectRows', proj, n, threads);
      orthonormalizeColumns(proj.y, n, l);
    }
    // B^T = Xc^T Q is d x l; the SVD of B gives the right singular vectors of Xc.
    const bt = await xtq();
    const svd = new SVD(new Matrix(toRowArrays(bt, d, l)).transpose(), { computeLeftSingularVectors: false, autoTranspose: true });
    return spectrum(svd.diagonal, svd.rightSingularVectors, k, d, (sv) => sv ** 2 / (n - 1));
  }

  private fitted(method: string): DenseMatrix<Float64Array> {
    if (this.components === undefined) throw notFitted('PCA', method);
    return this.components;
  }

  /** Projects rows onto the components (samples x nComponents); whitened when `whiten`. */
  transform(x: MatrixInput): DenseMatrix<Float64Array> {
    const comp = this.fitted('transform');
    const m = toMatrix(x, 'x');
    const { rows: k, cols: d } = comp;
    if (m.cols !== d) throw rangeError('x', `${d} columns like the training data`, `${m.cols} columns`);
    // (x - mean) . c = x . c - mean . c: no centred copy of each row.
    const mean = this.mean as Float64Array;
    const shift = new Float64Array(k);
    for (let c = 0; c < k; c++) for (let j = 0; j < d; j++) shift[c] = (shift[c] as number) + (mean[j] as number) * (comp.data[c * d + j] as number);
    const scale = Float64Array.from({ length: k }, (_, c) =>
      this.options.whiten ? 1 / Math.sqrt(Math.max((this.explainedVariance as Float64Array)[c] as number, 1e-300)) : 1,
    );
    const out = new Float64Array(m.rows * k);
    const dots = projectDots(m, comp);
    for (let i = 0; i < m.rows; i++) for (let c = 0; c < k; c++) out[i * k + c] = ((dots[i * k + c] as number) - (shift[c] as number)) * (scale[c] as number);
    return { data: out, rows: m.rows, cols: k };
  }

  /** fit, then transform the same data. */
  async fitTransform(x: MatrixInput): Promise<DenseMatrix<Float64Array>> {
    await this.fit(x);
    return this.transform(x);
  }

  /** Maps projections back to feature space (the best rank-k reconstruction of the original rows). */
  inverseTransform(y: MatrixInput): DenseMatrix<Float64Array> {
    const comp = this.fitted('inverseTransform');
    const m = toMatrix(y, 'y');
    const { rows: k, cols: d } = comp;
    if (m.cols !== k) throw rangeError('y', `${k} columns (one per component)`, `${m.cols} columns`);
    const out = new Float64Array(m.rows * d);
    for (let i = 0; i < m.rows; i++) {
      out.set(this.mean as Float64Array, i * d);
      for (let c = 0; c < k; c++) {
        let v = m.data[i * k + c] as number;
        if (this.options.whiten) v *= Math.sqrt((this.explainedVariance as Float64Array)[c] as number);
        for (let j = 0; j < d; j++) out[i * d + j] = (out[i * d + j] as number) + v * (comp.data[c * d + j] as number);
      }
    }
    return { data: out, rows: m.rows, cols: d };
  }

  toJSON(): PCAJSON {
    const comp = this.fitted('toJSON');
    return {
      type: 'PCA',
      version: 1,
      nFeatures: comp.cols,
      nComponents: comp.rows,
      whiten: this.options.whiten,
      mean: Array.from(this.mean as Float64Array),
      components: Array.from(comp.data),
      explainedVariance: Array.from(this.explainedVariance as Float64Array),
      explainedVarianceRatio: Array.from(this.explainedVarianceRatio as Float64Array),
      singularValues: Array.from(this.singularValues as Float64Array),
      noiseVariance: this.noiseVariance,
      nSamples: this.nSamples,
    };
  }

  /** Restores a fitted model from toJSON output, checking every size and value. */
  static fromJSON(json: unknown): PCA {
    const j = json as PCAJSON;
    if (j === null || typeof j !== 'object' || j.type !== 'PCA') throw rangeError('json', 'the output of PCA.toJSON()', json);
    if (j.version !== 1) throw rangeError('json.version', '1', j.version);
    const d = checkInteger('json.nFeatures', j.nFeatures, 1, 1e7);
    const k = checkInteger('json.nComponents', j.nComponents, 1, d);
    const vec = (name: keyof PCAJSON, len: number): Float64Array => {
      const v = j[name];
      if (!Array.isArray(v) || v.length !== len) throw rangeError(`json.${name}`, `an array of ${len} numbers`, v);
      return toMatrix({ data: Float64Array.from(v as number[]), rows: 1, cols: len }, `json.${name}`).data as Float64Array;
    };
    const model = new PCA({ nComponents: k, whiten: j.whiten === true });
    model.mean = vec('mean', d);
    model.components = { data: vec('components', k * d), rows: k, cols: d };
    model.explainedVariance = vec('explainedVariance', k);
    model.explainedVarianceRatio = vec('explainedVarianceRatio', k);
    model.singularValues = vec('singularValues', k);
    model.noiseVariance = typeof j.noiseVariance === 'number' ? j.noiseVariance : 0;
    model.nSamples = typeof j.nSamples === 'number' ? j.nSamples : 0;
    return model;
  }
}

function toRowArrays(a: Float64Array, rows: number, cols: number): number[][] {
  return Array.from({ length: rows }, (_, i) => Array.from(a.subarray(i * cols, (i + 1) * cols)));
}

/** Sum of squared deviations from the column means (total variance times n - 1). */
async function covarianceEigh(m: DenseMatrix, mean: Float64Array, threads: number): Promise<{ variances: Float64Array; axes: Float64Array; totalVar: number }> {
  const { rows: n, cols: d } = m;
  const args: GramArgs = { x: m.data, mean, d, gram: sharedFloat64(threads * d * d, threads), simd: simdFor(m.data) };
  await parallelFor('gramRows', args, n, threads);
  const cov = new Float64Array(d * d);
  for (let p = 0; p < d; p++) {
    for (let q = p; q < d; q++) {
      let s = 0;
      for (let t = 0; t < threads; t++) s += args.gram[t * d * d + p * d + q] as number;
      cov[p * d + q] = s / (n - 1);
      cov[q * d + p] = s / (n - 1);
    }
  }
  let totalVar = 0;
  for (let p = 0; p < d; p++) totalVar += cov[p * d + p] as number;
  const { values, vectors } = symmetricEigen(cov, d);
  const columns = { get: (i: number, j: number) => vectors[i * d + j] as number };
  return { ...spectrum(values, columns, Math.min(n, d), d, (ev) => Math.max(0, ev)), totalVar };
}

function fullSvd(m: DenseMatrix, mean: Float64Array): { variances: Float64Array; axes: Float64Array } {
  const { rows: n, cols: d } = m;
  const rows = Array.from({ length: n }, (_, i) => Array.from({ length: d }, (_, j) => (m.data[i * d + j] as number) - (mean[j] as number)));
  const svd = new SVD(rows, { computeLeftSingularVectors: false, autoTranspose: true });
  return spectrum(svd.diagonal, svd.rightSingularVectors, Math.min(n, d), d, (sv) => sv ** 2 / (n - 1));
}

/**
 * The k largest of a decomposition's values (eigen- or singular values, in any order) with their
 * vectors (columns of `vectors`) as component rows, and each value turned into a variance.
 */
function spectrum(
  values: ArrayLike<number>,
  vectors: { get(i: number, j: number): number },
  k: number,
  d: number,
  variance: (v: number) => number,
): { variances: Float64Array; axes: Float64Array } {
  const order = Array.from({ length: values.length }, (_, i) => i).sort((a, b) => (values[b] as number) - (values[a] as number));
  const variances = Float64Array.from(order.slice(0, k), (i) => variance(values[i] as number));
  const axes = new Float64Array(k * d);
  for (let c = 0; c < k; c++) for (let j = 0; j < d; j++) axes[c * d + j] = vectors.get(j, order[c] as number);
  return { variances, axes };
}

/** Makes each component's largest-magnitude loading positive, so results do not depend on the solver's sign choices. */
function flipSigns(axes: Float64Array, k: number, d: number): void {
  for (let c = 0; c < k; c++) {
    let big = 0;
    for (let j = 0; j < d; j++) if (Math.abs(axes[c * d + j] as number) > Math.abs(big)) big = axes[c * d + j] as number;
    if (big < 0) for (let j = 0; j < d; j++) axes[c * d + j] = -(axes[c * d + j] as number);
  }
}

/** x . c for every row and component: the SIMD kernel for float32 input, plain JS otherwise. */
function projectDots(m: DenseMatrix, comp: DenseMatrix<Float64Array>): ArrayLike<number> {
  const { rows: k, cols: d } = comp;
  const e = simdFor(m.data) ? dotEngine() : null;
  if (e) {
    const xp = stageRows(e, 'x', `transform:${nextDataId()}`, m.data, d, 0, m.rows);
    e.tags.delete('b');
    const cp = stageRows(e, 'b', '', comp.data, d, 0, k);
    const op = e.slot('out', m.rows * k);
    e.dots(xp, m.rows, cp, k, padded(d), op);
    return Float64Array.from(e.view(op, m.rows * k));
  }
  const out = new Float64Array(m.rows * k);
  const data = m.data;
  for (let i = 0; i < m.rows; i++) {
    const o = i * d;
    for (let c = 0; c < k; c++) {
      let s = 0;
      const co = c * d;
      for (let j = 0; j < d; j++) s += (data[o + j] as number) * (comp.data[co + j] as number);
      out[i * k + c] = s;
    }
  }
  return out;
}
