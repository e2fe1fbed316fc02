import { checkFunction, checkInteger, checkNumber, checkOneOf, checkOptions, Rng, rangeError } from '@aiffel/core';
import { rowNorms, unitRows } from '../cluster/row-norms.js';
import { type DenseMatrix, type MatrixInput, toMatrix } from '../core/matrix.js';
import { PCA } from '../decomposition/pca.js';
import { parallelFor, resolveThreads, shareArray, sharedFloat64, sharedInt32, threadsFor, usableThreads } from '../parallel/pool.js';
import { nextDataId, simdFor } from '../wasm/dot-engine.js';
import type { KnnArgs } from './knn-kernel.js';
import { conditionalProbabilities, jointProbabilities, type SparseSymmetric } from './perplexity.js';
import { allocateQuadTree, buildQuadTree } from './quadtree.js';
import { exactGradient } from './tsne-exact.js';
import type { TsneGradientArgs } from './tsne-kernel.js';

export interface TSNEProgress {
  iteration: number;
  maxIter: number;
  /** KL divergence, computed every 50 iterations (undefined in between). */
  klDivergence: number | undefined;
  gradNorm: number;
  /** 'exaggeration' for the first 250 iterations, then 'refinement'. */
  phase: 'exaggeration' | 'refinement';
}

export interface TSNEOptions {
  /** Embedding dimensions. Default 2 (Barnes-Hut needs 2; 'exact' takes any). */
  nComponents?: number;
  /** Effective number of neighbours. Default 30; must be below the number of samples. */
  perplexity?: number;
  /** P is multiplied by this during the first 250 iterations. Default 12. */
  earlyExaggeration?: number;
  /** 'auto' (default): max(n / earlyExaggeration / 4, 50) (Belkina et al. 2019), or a positive number. */
  learningRate?: number | 'auto';
  /** Total iterations including the 250 exaggerated ones. Default 1000; at least 250. */
  maxIter?: number;
  /** Stop when the KL divergence has not improved for this many iterations (checked every 50). Default 300. */
  nIterWithoutProgress?: number;
  /** Stop when the gradient norm falls below this. Default 1e-7. */
  minGradNorm?: number;
  /** 'pca' (default; scaled to std 1e-4), 'random' (N(0, 1e-4^2)) or an n x nComponents matrix. */
  init?: 'pca' | 'random' | MatrixInput;
  /** 'barnes_hut' (default, O(n log n) per iteration) or 'exact' (O(n^2), for small n). */
  method?: 'barnes_hut' | 'exact';
  /** Barnes-Hut angle theta. Default 0.5. */
  angle?: number;
  /** 'euclidean' (default) or 'cosine' for the input space. */
  metric?: 'euclidean' | 'cosine';
  /** Seed of the initialisation. Default 0. */
  seed?: number;
  /** Threads: 'auto' (default, every core) or a count. */
  threads?: number | 'auto';
  onProgress?: (p: TSNEProgress) => void;
}

const KNOWN = [
  'nComponents',
  'perplexity',
  'earlyExaggeration',
  'learningRate',
  'maxIter',
  'nIterWithoutProgress',
  'minGradNorm',
  'init',
  'method',
  'angle',
  'metric',
  'seed',
  'threads',
  'onProgress',
] as const;

const EXPLORATION_ITERS = 250;
const CHECK_EVERY = 50;
const EXACT_MAX_SAMPLES = 10_000;

/**
 * t-distributed stochastic neighbour embedding (van der Maaten and Hinton 2008) with the
 * Barnes-Hut approximation (van der Maaten 2014), following scikit-learn's optimiser: sparse P on
 * the 3 x perplexity nearest neighbours, early exaggeration for 250 iterations with momentum 0.5,
 * then momentum 0.8, adaptive gains, learning rate 'auto', PCA initialisation.
 */
export class TSNE {
  readonly options: Readonly<{
    nComponents: number;
    perplexity: number;
    earlyExaggeration: number;
    learningRate: number | 'auto';
    maxIter: number;
    nIterWithoutProgress: number;
    minGradNorm: number;
    init: 'pca' | 'random' | MatrixInput;
    method: 'barnes_hut' | 'exact';
    angle: number;
    metric: 'euclidean' | 'cosine';
    seed: number;
    threads: number | 'auto';
    onProgress: ((p: TSNEProgress) => void) | undefined;
  }>;
  embedding: DenseMatrix<Float64Array> | undefined;
  klDivergence = Number.NaN;
  nIter = 0;
  learningRateUsed = Number.NaN;

  constructor(options: TSNEOptions = {}) {
    checkOptions('TSNE options', options, KNOWN);
    const method = checkOneOf('options.method', options.method ?? 'barnes_hut', ['barnes_hut', 'exact'] as const);
    const nComponents = checkInteger('options.nComponents', options.nComponents ?? 2, 1);
    if (method === 'barnes_hut' && nComponents !== 2)
      throw rangeError('options.nComponents', "2 with method 'barnes_hut' (use method 'exact' for other dimensions)", nComponents);
    const lr = options.learningRate ?? 'auto';
    // scikit-learn's 'auto' is n / 48 (about 2e4 for a million rows); a rate past 1e6 only throws
    // the points apart (1e30 gave coordinates of 1e25).
    if (lr !== 'auto') checkNumber('options.learningRate', lr, (v) => v > 0 && v <= 1e6, "'auto' or a number in (0, 1e6]");
    const init = options.init ?? 'pca';
    if (typeof init === 'string') checkOneOf('options.init', init, ['pca', 'random']);
    if (options.onProgress !== undefined) checkFunction('options.onProgress', options.onProgress);
    this.options = {
      nComponents,
      perplexity: checkNumber('options.perplexity', options.perplexity ?? 30, (v) => v > 0, 'a positive number'),
      earlyExaggeration: checkNumber('options.earlyExaggeration', options.earlyExaggeration ?? 12, (v) => v >= 1, 'a number >= 1'),
      learningRate: lr,
      maxIter: checkInteger('options.maxIter', options.maxIter ?? 1000, EXPLORATION_ITERS),
      nIterWithoutProgress: checkInteger('options.nIterWithoutProgress', options.nIterWithoutProgress ?? 300, 1),
      minGradNorm: checkNumber('options.minGradNorm', options.minGradNorm ?? 1e-7, (v) => v >= 0, 'a non-negative number'),
      init,
      method,
      angle: checkNumber('options.angle', options.angle ?? 0.5, (v) => v >= 0 && v <= 1, 'a number in [0, 1]'),
      metric: checkOneOf('options.metric', options.metric ?? 'euclidean', ['euclidean', 'cosine'] as const),
      seed: checkInteger('options.seed', options.seed ?? 0, -0x80000000, 0xffffffff),
      threads: options.threads === undefined || options.threads === 'auto' ? 'auto' : resolveThreads(options.threads),
      onProgress: options.onProgress,
    };
  }

  /** Embeds the rows of `x`; resolves to the n x nComponents embedding (also kept in `embedding`). */
  async fitTransform(x: MatrixInput): Promise<DenseMatrix<Float64Array>> {
    let m = toMatrix(x, 'x');
    const n = m.rows;
    const o = this.options;
    if (n < 2) throw rangeError('x', 'at least 2 samples', `${n} sample`);
    if (o.perplexity >= n) throw rangeError('options.perplexity', `less than the number of samples (${n})`, o.perplexity);
    // The exact gradient keeps three n x n float64 matrices: 2.4 GB at 10,000 samples.
    if (o.method === 'exact' && n > EXACT_MAX_SAMPLES)
      throw rangeError(
        'x',
        `at most ${EXACT_MAX_SAMPLES} samples for method 'exact' (it needs ${((24 * n * n) / 1e9).toFixed(0)} GB here; use 'barnes_hut')`,
        `${n} samples`,
      );
    if (o.metric === 'cosine') m = unitRows(m, 'x');
    const threads = usableThreads(resolveThreads(o.threads));
    const p = await this.affinities(m, threads);
    const y0 = await this.initialEmbedding(m, x);
    const dims = o.nComponents;
    const lr = o.learningRate === 'auto' ? Math.max(n / o.earlyExaggeration / 4, 50) : o.learningRate;
    this.learningRateUsed = lr;

    const gradThreads = o.method === 'barnes_hut' && n >= 2000 ? threads : 1;
    const y = sharedFloat64(n * dims, gradThreads);
    y.set(y0);
    const grad = new Float64Array(n * dims);
    const computeGradient = o.method === 'exact' ? (exag: number) => exactStep(y, n, dims, p, exag, grad) : this.barnesHut(y, n, p, grad, gradThreads);

    const update = new Float64Array(n * dims);
    const gains = new Float64Array(n * dims).fill(1);
    let bestError = Number.POSITIVE_INFINITY;
    let bestIter = 0;
    let kl = Number.NaN;
    let iter = 0;
    for (; iter < o.maxIter; iter++) {
      const exploring = iter < EXPLORATION_ITERS;
      if (iter === EXPLORATION_ITERS) {
        // A fresh optimiser state for the second phase, as scikit-learn's second _gradient_descent call.
        bestError = Number.POSITIVE_INFINITY;
        bestIter = iter;
      }
      const momentum = exploring ? 0.5 : 0.8;
      const check = (iter + 1) % CHECK_EVERY === 0 || iter === o.maxIter - 1;
      const error = await computeGradient(exploring ? o.earlyExaggeration : 1, check);
      let gradNorm = 0;
      for (let t = 0; t < grad.length; t++) {
        const g = grad[t] as number;
        const u = update[t] as number;
        let gain = gains[t] as number;
        gain = u * g < 0 ? gain + 0.2 : gain * 0.8;
        if (gain < 0.01) gain = 0.01;
        gains[t] = gain;
        const step = momentum * u - lr * gain * g;
        update[t] = step;
        y[t] = (y[t] as number) + step;
        gradNorm += g * g;
      }
      gradNorm = Math.sqrt(gradNorm);
      if (!Number.isFinite(gradNorm))
        throw new RangeError(`TSNE diverged at iteration ${iter + 1}: the gradient became ${gradNorm}; lower learningRate (${lr}) or use 'auto'`);
      if (check) kl = error;
      o.onProgress?.({
        iteration: iter + 1,
        maxIter: o.maxIter,
        klDivergence: check ? error : undefined,
        gradNorm,
        phase: exploring ? 'exaggeration' : 'refinement',
      });
      if (check) {
        if (error < bestError) {
          bestError = error;
          bestIter = iter;
        } else if (iter - bestIter > o.nIterWithoutProgress) {
          iter++;
          break;
        }
      }
      if (gradNorm <= o.minGradNorm) {
        iter++;
        break;
      }
    }
    this.klDivergence = kl;
    this.nIter = iter;
    this.embedding = { data: Float64Array.from(y), rows: n, cols: dims };
    return this.embedding;
  }

  private async affinities(m: DenseMatrix, threads: number): Promise<SparseSymmetric> {
    const n = m.rows;
    const k = this.options.method === 'exact' ? n - 1 : Math.min(n - 1, Math.floor(3 * this.options.perplexity + 1));
    const t = threadsFor(n * n * m.cols, threads);
    const x = shareArray(m.data, t);
    const args: KnnArgs = {
      x,
      xNorm: rowNorms({ data: x, rows: n, cols: m.cols }, t),
      n,
      d: m.cols,
      k,
      indices: sharedInt32(n * k, t),
      distances: sharedFloat64(n * k, t),
      simd: simdFor(x),
      dataId: nextDataId(),
    };
    await parallelFor('knnRows', args, n, t);
    const cond = conditionalProbabilities(args.distances, n, k, this.options.perplexity);
    return jointProbabilities(cond, args.indices, n, k);
  }

  private async initialEmbedding(m: DenseMatrix, original: MatrixInput): Promise<Float64Array> {
    const { init, nComponents: dims, seed } = this.options;
    const n = m.rows;
    if (typeof init !== 'string') {
      const y = toMatrix(init, 'options.init');
      if (y.rows !== n || y.cols !== dims) throw rangeError('options.init', `an ${n} x ${dims} matrix`, `${y.rows} x ${y.cols}`);
      return Float64Array.from(y.data);
    }
    if (init === 'random' || dims > Math.min(n, m.cols)) {
      const rng = new Rng(seed);
      return Float64Array.from({ length: n * dims }, () => 1e-4 * rng.normal());
    }
    const pcaInput = this.options.metric === 'cosine' ? m : original;
    const y = (await new PCA({ nComponents: dims, seed, threads: this.options.threads }).fitTransform(pcaInput)).data;
    // scikit-learn rescales so the first coordinate has standard deviation 1e-4: small enough that early exaggeration can reorganise it.
    let mean = 0;
    for (let i = 0; i < n; i++) mean += y[i * dims] as number;
    mean /= n;
    let v = 0;
    for (let i = 0; i < n; i++) v += ((y[i * dims] as number) - mean) ** 2;
    const std = Math.sqrt(v / n) || 1;
    for (let t = 0; t < y.length; t++) y[t] = ((y[t] as number) / std) * 1e-4;
    return y;
  }

  private barnesHut(
    y: Float64Array,
    n: number,
    p: SparseSymmetric,
    grad: Float64Array,
    threads: number,
  ): (exag: number, wantError: boolean) => Promise<number> {
    const f64 = (len: number): Float64Array => sharedFloat64(len, threads);
    const i32 = (len: number): Int32Array => sharedInt32(len, threads);
    const args: TsneGradientArgs = {
      y,
      tree: allocateQuadTree(8 * n + 64, n, f64, i32),
      thetaSq: this.options.angle * this.options.angle,
      rowPtr: threads > 1 ? shareInt(p.rowPtr) : p.rowPtr,
      cols: threads > 1 ? shareInt(p.cols) : p.cols,
      values: shareArray(p.values, threads),
      exaggeration: 1,
      attract: f64(2 * n),
      repulse: f64(2 * n),
      sumQ: f64(threads),
      klTerm: f64(threads),
      pSum: f64(threads),
      computeError: 0,
    };
    let pLogP = Number.NaN;
    return async (exag, wantError) => {
      while (!buildQuadTree(args.tree, y, n)) args.tree = allocateQuadTree(args.tree.cx.length * 2, n, f64, i32);
      args.exaggeration = exag;
      args.computeError = wantError ? 1 : 0;
      await parallelFor('tsneGradient', args, n, threads);
      let sumQ = 0;
      for (const s of args.sumQ) sumQ += s;
      const inv = 1 / Math.max(sumQ, Number.MIN_VALUE);
      for (let t = 0; t < 2 * n; t++) grad[t] = 4 * ((args.attract[t] as number) - (args.repulse[t] as number) * inv);
      if (!wantError) return pLogP;
      let kl = 0;
      let pSum = 0;
      for (let s = 0; s < threads; s++) {
        kl += args.klTerm[s] as number;
        pSum += args.pSum[s] as number;
      }
      pLogP = kl + pSum * Math.log(sumQ);
      return pLogP;
    };
  }
}

function exactStep(y: Float64Array, n: number, dims: number, p: SparseSymmetric, exag: number, grad: Float64Array): Promise<number> {
  return Promise.resolve(exactGradient(y, n, dims, p, exag, grad, Math.max(dims - 1, 1)));
}

function shareInt(a: Int32Array): Int32Array {
  const out = new Int32Array(new SharedArrayBuffer(a.byteLength));
  out.set(a);
  return out;
}
