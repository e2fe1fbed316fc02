import { checkInteger, checkNumber, checkOneOf, checkOptions, rangeError } from '@aiffel/core';

/** Options shared by GradientBoostingRegressor and GradientBoostingClassifier (README lists defaults). */
export interface BoostingOptions {
  boosting?: 'gbdt' | 'goss';
  nEstimators?: number;
  learningRate?: number;
  numLeaves?: number;
  maxDepth?: number;
  growth?: 'leaf' | 'depth';
  minChildSamples?: number;
  minChildWeight?: number;
  lambdaL1?: number;
  lambdaL2?: number;
  minSplitGain?: number;
  subsample?: number;
  subsampleFreq?: number;
  colsampleBytree?: number;
  topRate?: number;
  otherRate?: number;
  maxBin?: number;
  categoricalFeatures?: (number | string)[];
  catSmooth?: number;
  catL2?: number;
  maxCatThreshold?: number;
  maxCatToOnehot?: number;
  nThreads?: number | 'auto';
  seed?: number;
}

export type ResolvedBoosting = Required<Omit<BoostingOptions, 'categoricalFeatures'>> & { categoricalFeatures: (number | string)[] };

export const BOOSTING_KEYS = [
  'boosting',
  'nEstimators',
  'learningRate',
  'numLeaves',
  'maxDepth',
  'growth',
  'minChildSamples',
  'minChildWeight',
  'lambdaL1',
  'lambdaL2',
  'minSplitGain',
  'subsample',
  'subsampleFreq',
  'colsampleBytree',
  'topRate',
  'otherRate',
  'maxBin',
  'categoricalFeatures',
  'catSmooth',
  'catL2',
  'maxCatThreshold',
  'maxCatToOnehot',
  'nThreads',
  'seed',
];

const nonNeg = (v: number): boolean => v >= 0;
const unit = (v: number): boolean => v > 0 && v <= 1;

export function resolveBoosting(o: BoostingOptions, extraKeys: readonly string[], owner: string): ResolvedBoosting {
  checkOptions(`${owner} options`, o, [...BOOSTING_KEYS, ...extraKeys]);
  const growth = checkOneOf('growth', o.growth ?? 'leaf', ['leaf', 'depth'] as const);
  const maxDepth = o.maxDepth ?? (growth === 'depth' ? 6 : -1);
  if (maxDepth !== -1) checkInteger('maxDepth', maxDepth, 1, 64);
  const r: ResolvedBoosting = {
    boosting: checkOneOf('boosting', o.boosting ?? 'gbdt', ['gbdt', 'goss'] as const),
    nEstimators: checkInteger('nEstimators', o.nEstimators ?? 100, 1, 1_000_000),
    learningRate: checkNumber('learningRate', o.learningRate ?? 0.1, (v) => v > 0, 'a positive number'),
    numLeaves: checkInteger('numLeaves', o.numLeaves ?? (growth === 'depth' && maxDepth > 0 ? 2 ** Math.min(maxDepth, 20) : 31), 2, 1 << 20),
    maxDepth,
    growth,
    minChildSamples: checkInteger('minChildSamples', o.minChildSamples ?? 20, 1),
    minChildWeight: checkNumber('minChildWeight', o.minChildWeight ?? 1e-3, nonNeg, 'a number >= 0'),
    lambdaL1: checkNumber('lambdaL1', o.lambdaL1 ?? 0, nonNeg, 'a number >= 0'),
    lambdaL2: checkNumber('lambdaL2', o.lambdaL2 ?? 0, nonNeg, 'a number >= 0'),
    minSplitGain: checkNumber('minSplitGain', o.minSplitGain ?? 0, nonNeg, 'a number >= 0'),
    subsample: checkNumber('subsample', o.subsample ?? 1, unit, 'a number in (0, 1]'),
    subsampleFreq: checkInteger('subsampleFreq', o.subsampleFreq ?? 1, 1),
    colsampleBytree: checkNumber('colsampleBytree', o.colsampleBytree ?? 1, unit, 'a number in (0, 1]'),
    topRate: checkNumber('topRate', o.topRate ?? 0.2, (v) => v > 0 && v < 1, 'a number in (0, 1)'),
    otherRate: checkNumber('otherRate', o.otherRate ?? 0.1, (v) => v > 0 && v < 1, 'a number in (0, 1)'),
    maxBin: checkInteger('maxBin', o.maxBin ?? 255, 2, 255),
    categoricalFeatures: o.categoricalFeatures ?? [],
    catSmooth: checkNumber('catSmooth', o.catSmooth ?? 10, nonNeg, 'a number >= 0'),
    catL2: checkNumber('catL2', o.catL2 ?? 10, nonNeg, 'a number >= 0'),
    maxCatThreshold: checkInteger('maxCatThreshold', o.maxCatThreshold ?? 32, 1),
    maxCatToOnehot: checkInteger('maxCatToOnehot', o.maxCatToOnehot ?? 4, 1),
    nThreads: o.nThreads === undefined || o.nThreads === 'auto' ? 'auto' : checkInteger('nThreads', o.nThreads, 1, 256),
    seed: checkInteger('seed', o.seed ?? 0, -0x80000000, 0xffffffff),
  };
  if (r.boosting === 'goss' && r.topRate + r.otherRate > 1) throw rangeError('topRate + otherRate', 'at most 1', r.topRate + r.otherRate);
  if (r.boosting === 'goss' && r.subsample < 1) throw rangeError('subsample', '1 with boosting "goss" (GOSS does its own sampling)', r.subsample);
  return r;
}
