import { checkInteger, Rng, rangeError } from '@aiffel/core';
import { Dataset } from '../data/dataset.js';
import type { MatrixInput } from '../data/matrix-source.js';
import { isRecords, type Schema } from '../data/schema.js';
import { type EvalMetric, resolveMetric } from '../metrics/named-metrics.js';
import { createHistEngine } from '../parallel/engine-factory.js';
import { BinnedRouter } from '../tree/binned-router.js';
import type { Tree } from '../tree/tree.js';
import { type GrowOptions, TreeBuilder } from '../tree/tree-builder.js';
import { median, type Objective } from './objectives.js';
import type { ResolvedBoosting } from './params.js';
import { rawBlocks } from './predict-raw.js';
import { checkSampleWeight, weightedMedian } from './sample-weight.js';
import { allRows, bagRows, GossSampler, type RowSample } from './sampling.js';

export type FeatureInput = MatrixInput | Record<string, unknown>[];

export interface Validation {
  X: FeatureInput;
  y: ArrayLike<number> | ArrayLike<string>;
}

export interface FitOptions {
  /** A held-out set evaluated after every iteration. */
  validation?: Validation;
  /** Stop when the validation metric has not improved for this many iterations (needs validation). */
  earlyStoppingRounds?: number;
  /** Metric on the validation set: a name (rmse, mae, auc, logloss, ...) or { name, higherIsBetter, fn }. */
  metric?: string | EvalMetric;
  /** Least improvement that counts (default 0). */
  minDelta?: number;
  /**
   * One weight per row of X (finite, >= 0): each row's gradient and hessian are multiplied by it,
   * so weight 2 counts a row twice and 0 leaves it out. Default: all 1.
   */
  sampleWeight?: ArrayLike<number>;
  /** Called after every iteration. */
  onProgress?: (p: { iteration: number; total: number; trainLoss: number; validScore?: number }) => void;
}

export const FIT_KEYS = ['validation', 'earlyStoppingRounds', 'metric', 'minDelta', 'sampleWeight', 'onProgress'];

/** What a fitted booster keeps (and saves). */
export interface BoosterState {
  objective: Objective;
  /** Per output: raw start score. */
  initScore: Float64Array;
  /** trees[iteration * outputs + k]. */
  trees: Tree[];
  featureNames: string[];
  categorical: boolean[];
  schema: Schema | undefined;
  bestIteration: number;
  evalHistory: number[];
  trainLoss: number[];
}

/** Turns any accepted X into a Dataset with the booster's binning options. */
export function asDataset(X: FeatureInput | Dataset, p: ResolvedBoosting): Dataset {
  if (X instanceof Dataset) return X;
  if (isRecords(X)) throw rangeError('X', 'a Dataset built with a schema when training on records (new Dataset(records, { schema }))', 'an array of records');
  return new Dataset(X, { maxBin: p.maxBin, categoricalFeatures: p.categoricalFeatures, seed: p.seed });
}

/** The boosting loop shared by the regressor and the classifier. */
export function trainBooster(
  ds: Dataset,
  y: Float64Array,
  objective: Objective,
  p: ResolvedBoosting,
  fit: FitOptions,
  validY?: Float64Array,
  validX?: FeatureInput,
  schema?: Schema,
): BoosterState {
  const N = ds.rows;
  const K = objective.outputs;
  const rng = new Rng(p.seed);
  const weights = checkSampleWeight(fit.sampleWeight, N);
  const init = objective.initScore(y, weights);

  // Trees of more leaves than this (numLeaves allows 2^20) update their scores in JavaScript.
  const binaryLabels = objective.name === 'binary' ? y : undefined;
  const maxLeaves = Math.min(p.numLeaves, 1 << 16);
  // A leaf-wise tree keeps at most one histogram per leaf alive.
  const engine = createHistEngine(ds, 1, p.nThreads, maxLeaves + 1, { columns: K, maxLeaves, binaryLabels, goss: p.boosting === 'goss' && K === 1 });
  // Every check below runs with the engine's workers held: release them on any error, or the
  // next fit waits for workers that are still parked in this one.
  try {
    // Scores live in the engine's memory when its kernels can update them for all rows at once;
    // binary gradients are then computed there too, straight into the engine's grad / hess.
    const scores = engine.scores ?? new Float64Array(N * K);
    const engineGradients = binaryLabels !== undefined && engine.scores !== undefined;
    // One output: gradients are written straight into the engine (each round rewrites all of them).
    const gradAll = K === 1 ? engine.grad : new Float32Array(N * K);
    const hessAll = K === 1 ? engine.hess : new Float32Array(N * K);
    for (let i = 0; i < N; i++) scores.set(init, i * K);
    const builder = new TreeBuilder(ds.mappers, 1, engine);
    const grow: GrowOptions = { ...p, featuresPerNode: ds.cols };
    const trees: Tree[] = [];
    const state: BoosterState = {
      objective,
      initScore: init,
      trees,
      featureNames: ds.featureNames,
      categorical: ds.categorical,
      schema: schema ?? ds.schema,
      bestIteration: -1,
      evalHistory: [],
      trainLoss: [],
    };

    let validScores: Float64Array | undefined;
    let validBlocks: Float64Array | undefined;
    let metric: EvalMetric | undefined;
    if (validX !== undefined && validY !== undefined) {
      validBlocks = rawBlocks(validX, state, 'validation.X');
      if (validBlocks.length / ds.cols !== validY.length)
        throw rangeError('validation.y.length', `${validBlocks.length / ds.cols} (rows of validation.X)`, validY.length);
      validScores = new Float64Array(validY.length * K);
      for (let i = 0; i < validY.length; i++) validScores.set(init, i * K);
      metric = resolveMetric(fit.metric ?? defaultMetric(objective), 'metric');
    }
    const rounds = fit.earlyStoppingRounds;
    if (rounds !== undefined) {
      checkInteger('earlyStoppingRounds', rounds, 1);
      if (!validScores) throw rangeError('earlyStoppingRounds', 'used together with a validation set', rounds);
    }
    const minDelta = fit.minDelta ?? 0;
    let best = Number.NaN;
    let bestIter = -1;
    const everyRow = allRows(N);
    let sample: RowSample = everyRow;
    const warmup = Math.floor(1 / p.learningRate);
    const cols = Int32Array.from({ length: ds.cols }, (_, i) => i);
    const residual = objective.refitsLeaves ? new Float64Array(N) : undefined;
    const residualWeight = new Float64Array(weights && residual ? N : 0);
    let goss: GossSampler | undefined;
    const scoreBound = new Float64Array(K);

    for (let iter = 0; iter < p.nEstimators; iter++) {
      if (!(engineGradients && engine.binaryGradients())) objective.gradients(y, scores, gradAll, hessAll);
      if (weights) applyWeights(weights, gradAll, hessAll);
      // A sample the engine made is already in its order, grad and hess.
      let inPlace = false;
      if (p.boosting === 'goss') {
        if (iter < warmup) sample = everyRow;
        else {
          const n = gradAll === engine.grad ? engine.gossSample(p.topRate, p.otherRate, rng) : -1;
          inPlace = n >= 0;
          if (inPlace) sample = { n, order: engine.order, weight: undefined, outside: engine.order.subarray(n) };
          else {
            goss ??= new GossSampler(N);
            sample = goss.sample(K, gradAll, hessAll, p.topRate, p.otherRate, rng);
          }
        }
      } else if (p.subsample < 1 && iter % p.subsampleFreq === 0) sample = bagRows(N, p.subsample, rng);
      const active = p.colsampleBytree < 1 ? sampleFeatures(cols, p.colsampleBytree, rng) : cols;
      for (let k = 0; k < K; k++) {
        const g = engine.grad;
        const h = engine.hess;
        if (g !== gradAll) {
          g.set(gradAll.subarray(k * N, (k + 1) * N));
          h.set(hessAll.subarray(k * N, (k + 1) * N));
        }
        if (sample.weight) {
          const w = sample.weight;
          const rowsIn = sample.order;
          for (let j = 0; j < sample.n; j++) {
            const r = rowsIn[j] as number;
            g[r] = (g[r] as number) * (w[r] as number);
            h[r] = (h[r] as number) * (w[r] as number);
          }
        }
        // grow() permutes order[0..n) into leaf ranges; the sample's own list stays ascending.
        // The rows outside the sample follow it, for the score update.
        const order = engine.order;
        if (!inPlace) {
          order.set(sample.order.subarray(0, sample.n));
          order.set(sample.outside, sample.n);
        }
        const { tree, leafBegin, leafCount } = builder.grow(sample.n, grow, active, rng);
        const values = tree.leafValue;
        if (residual) {
          for (let l = 0; l < tree.numLeaves; l++) {
            const b = leafBegin[l] as number;
            const c = leafCount[l] as number;
            for (let j = 0; j < c; j++) {
              const r = order[b + j] as number;
              residual[j] = (y[r] as number) - (scores[r * K + k] as number);
            }
            if (weights) {
              for (let j = 0; j < c; j++) residualWeight[j] = weights[order[b + j] as number] as number;
              values[l] = weightedMedian(residual.subarray(0, c), residualWeight.subarray(0, c));
            } else values[l] = median(residual.subarray(0, c));
          }
        }
        let largest = 0;
        for (let l = 0; l < values.length; l++) {
          const v = (values[l] as number) * p.learningRate;
          values[l] = v;
          if (!(Math.abs(v) <= largest)) largest = Math.abs(v);
        }
        // A huge learningRate (1e6) overflows the scores to Infinity and every prediction to NaN;
        // stop with the cause instead of returning a model that predicts NaN. The running sum of
        // each round's largest leaf bounds every score, so a finite bound means finite scores.
        scoreBound[k] = (scoreBound[k] as number) + largest;
        if (!(largest < Number.POSITIVE_INFINITY) || !((scoreBound[k] as number) < 1e300))
          throw new RangeError(
            `learningRate ${p.learningRate} made training diverge at round ${iter + 1}: leaf values are no longer finite; use a smaller learningRate (0.01-0.3 is usual)`,
          );
        const router = new BinnedRouter(tree, builder.binMissing);
        // On every thread: the sample's rows leaf by leaf and the rest by walking the tree.
        if (!engine.addTree(router, values, k, leafBegin, leafCount, sample.n))
          addLeafValues(scores, K, k, order, leafBegin, leafCount, values, router, ds, sample.outside);
        trees.push(tree);
        if (validScores && validBlocks) addTree(tree, validBlocks, ds.cols, validScores, K, k);
      }

      // The training loss costs a pass of exp/log over all rows: only when someone listens.
      const trainLoss = fit.onProgress ? objective.loss(y, scores) : Number.NaN;
      if (fit.onProgress) state.trainLoss.push(trainLoss);
      let validScore: number | undefined;
      if (validScores && metric && validY) {
        const pred = Float64Array.from(validScores);
        objective.link(pred);
        validScore = metric.fn(validY, pred);
        state.evalHistory.push(validScore);
        const improved = bestIter < 0 || (metric.higherIsBetter ? validScore > best + minDelta : validScore < best - minDelta);
        if (improved) {
          best = validScore;
          bestIter = iter;
        }
      }
      fit.onProgress?.({ iteration: iter + 1, total: p.nEstimators, trainLoss, validScore });
      if (rounds !== undefined && iter - bestIter >= rounds) break;
    }
    if (rounds !== undefined && bestIter >= 0) {
      trees.length = (bestIter + 1) * K;
      state.bestIteration = bestIter + 1;
    } else state.bestIteration = trees.length / K;
    return state;
  } finally {
    engine.release();
  }
}

function addTree(tree: Tree, x: Float64Array, cols: number, scores: Float64Array, K: number, k: number): void {
  const rows = x.length / cols;
  const v = tree.leafValue;
  for (let r = 0; r < rows; r++) scores[r * K + k] = (scores[r * K + k] as number) + (v[tree.leafOf(x, r * cols)] as number);
}

function sampleFeatures(cols: Int32Array, fraction: number, rng: Rng): Int32Array {
  const want = Math.max(1, Math.round(fraction * cols.length));
  const a = Int32Array.from(cols);
  for (let i = 0; i < want; i++) {
    const j = i + rng.int(a.length - i);
    const t = a[i] as number;
    a[i] = a[j] as number;
    a[j] = t;
  }
  return a.subarray(0, want).sort();
}

export function defaultMetric(o: Objective): string {
  switch (o.name) {
    case 'l1':
      return 'mae';
    case 'binary':
      return 'logloss';
    case 'multiclass':
      return 'logloss';
    default:
      return 'rmse';
  }
}

/** Score update in JavaScript: rows of each leaf's range of `order`, then the rows outside the sample. */
function addLeafValues(
  scores: Float64Array,
  K: number,
  k: number,
  order: Int32Array,
  leafBegin: Int32Array,
  leafCount: Int32Array,
  values: Float64Array,
  router: BinnedRouter,
  ds: Dataset,
  outside: Int32Array,
): void {
  for (let l = 0; l < leafBegin.length; l++) {
    const v = values[l] as number;
    const b = leafBegin[l] as number;
    const end = b + (leafCount[l] as number);
    for (let j = b; j < end; j++) {
      const at = (order[j] as number) * K + k;
      scores[at] = (scores[at] as number) + v;
    }
  }
  if (outside.length === 0) return;
  const leaves = new Int32Array(outside.length);
  router.leaves(ds.bins, ds.cols, outside, leaves);
  for (let j = 0; j < outside.length; j++) {
    const at = (outside[j] as number) * K + k;
    scores[at] = (scores[at] as number) + (values[leaves[j] as number] as number);
  }
}

/** Row i's gradient and hessian (every output channel) times its sample weight. */
function applyWeights(w: Float64Array, grad: Float32Array, hess: Float32Array): void {
  const n = w.length;
  for (let at = 0; at < grad.length; at++) {
    const wi = w[at % n] as number;
    grad[at] = (grad[at] as number) * wi;
    hess[at] = (hess[at] as number) * wi;
  }
}
