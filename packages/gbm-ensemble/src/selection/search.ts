import { checkInteger, checkNumber, checkOptions, Rng, rangeError } from '@aiffel/core';
import type { FeatureInput } from '../boosting/booster.js';
import type { Label } from '../boosting/labels.js';
import { type CvSpec, crossValScore } from './cross-validate.js';
import { checkSpace, type Distribution, sample } from './distributions.js';
import type { Estimator, Scoring } from './estimator.js';
import { higherIsBetter } from './estimator.js';
import { suggestTpe } from './tpe.js';

export type Params = Record<string, unknown>;

/** One evaluated parameter set. */
export interface Trial {
  params: Params;
  meanScore: number;
  stdScore: number;
  scores: number[];
  seconds: number;
  /** 1 = best. */
  rank: number;
}

export interface SearchOptions<Y extends Label> {
  /** Builds a fresh, unfitted model from a parameter set. */
  estimator: (params: Params) => Estimator<Y>;
  cv?: CvSpec;
  scoring?: Scoring;
  /** Refit the best parameters on all the data (default true). */
  refit?: boolean;
  onTrial?: (trial: Omit<Trial, 'rank'>, index: number) => void;
}

const COMMON = ['estimator', 'cv', 'scoring', 'refit', 'onTrial'];

/** Shared by the three searches: evaluate candidates, rank them, refit the best. */
abstract class SearchBase<Y extends Label> {
  /** Trials sorted best first. */
  results: Trial[] = [];
  bestEstimator: Estimator<Y> | undefined;

  constructor(protected readonly opts: SearchOptions<Y>) {
    if (typeof opts?.estimator !== 'function') throw rangeError('estimator', 'a function (params) => new model', opts?.estimator);
  }

  get bestParams(): Params {
    if (this.results.length === 0) throw new Error('search: call fit() first');
    return { ...(this.results[0] as Trial).params };
  }

  get bestScore(): number {
    if (this.results.length === 0) throw new Error('search: call fit() first');
    return (this.results[0] as Trial).meanScore;
  }

  protected abstract candidates(history: Omit<Trial, 'rank'>[], higher: boolean): Generator<Params>;

  fit(X: FeatureInput, y: ArrayLike<Y>): this {
    const probe = this.opts.estimator({});
    const scoring = this.opts.scoring ?? (typeof probe.predictProba === 'function' ? 'accuracy' : 'r2');
    const higher = higherIsBetter(scoring);
    const history: Omit<Trial, 'rank'>[] = [];
    for (const params of this.candidates(history, higher)) {
      const t0 = performance.now();
      const r = crossValScore(() => this.opts.estimator(params), X, y, { cv: this.opts.cv, scoring });
      const trial = { params, meanScore: r.mean, stdScore: r.std, scores: r.scores, seconds: (performance.now() - t0) / 1000 };
      history.push(trial);
      this.opts.onTrial?.(trial, history.length - 1);
    }
    const sorted = history.map((t, i) => ({ t, i })).sort((a, b) => (higher ? b.t.meanScore - a.t.meanScore : a.t.meanScore - b.t.meanScore) || a.i - b.i);
    this.results = sorted.map(({ t }, k) => ({ ...t, rank: k + 1 }));
    if (this.opts.refit !== false) {
      const best = this.opts.estimator(this.bestParams);
      best.fit(X, y);
      this.bestEstimator = best;
    }
    return this;
  }

  /** The results as rows for console.table: rank, score, std, seconds and each parameter. */
  table(): Record<string, unknown>[] {
    return this.results.map((t) => ({ rank: t.rank, score: t.meanScore, std: t.stdScore, seconds: Number(t.seconds.toFixed(2)), ...t.params }));
  }
}

/** Every combination of the grid's values (scikit-learn's GridSearchCV). */
export class GridSearchCV<Y extends Label = number> extends SearchBase<Y> {
  private readonly grid: [string, readonly unknown[]][];

  constructor(options: SearchOptions<Y> & { paramGrid: Record<string, readonly unknown[]> }) {
    checkOptions('GridSearchCV options', options, [...COMMON, 'paramGrid']);
    super(options);
    const grid = checkSpace(options.paramGrid, 'paramGrid');
    for (const [k, v] of grid) if (!Array.isArray(v)) throw rangeError(`paramGrid.${k}`, 'a list of values', v);
    this.grid = grid as [string, readonly unknown[]][];
  }

  protected *candidates(): Generator<Params> {
    const idx = new Array<number>(this.grid.length).fill(0);
    for (;;) {
      yield Object.fromEntries(this.grid.map(([k, v], i) => [k, v[idx[i] as number]]));
      let d = this.grid.length - 1;
      while (d >= 0) {
        idx[d] = (idx[d] as number) + 1;
        if ((idx[d] as number) < (this.grid[d] as [string, readonly unknown[]])[1].length) break;
        idx[d] = 0;
        d--;
      }
      if (d < 0) return;
    }
  }
}

/** `nIter` independent draws from the distributions (scikit-learn's RandomizedSearchCV). */
export class RandomizedSearchCV<Y extends Label = number> extends SearchBase<Y> {
  private readonly space: [string, Distribution][];
  private readonly nIter: number;
  private readonly seed: number;

  constructor(options: SearchOptions<Y> & { paramDistributions: Record<string, Distribution>; nIter?: number; seed?: number }) {
    checkOptions('RandomizedSearchCV options', options, [...COMMON, 'paramDistributions', 'nIter', 'seed']);
    super(options);
    this.space = checkSpace(options.paramDistributions, 'paramDistributions');
    this.nIter = checkInteger('nIter', options.nIter ?? 10, 1);
    this.seed = checkInteger('seed', options.seed ?? 0, -0x80000000, 0xffffffff);
  }

  protected *candidates(): Generator<Params> {
    const rng = new Rng(this.seed);
    for (let i = 0; i < this.nIter; i++) yield Object.fromEntries(this.space.map(([k, d]) => [k, sample(d, rng)]));
  }
}

/**
 * Sequential model-based search with the Tree-structured Parzen Estimator (Bergstra et al. 2011;
 * the sampler Optuna uses by default): after `nStartup` random trials, each parameter is drawn
 * where the density of the best `gamma` share of trials is high relative to the rest.
 */
export class TPESearch<Y extends Label = number> extends SearchBase<Y> {
  private readonly space: [string, Distribution][];
  private readonly nTrials: number;
  private readonly nStartup: number;
  private readonly nCandidates: number;
  private readonly gamma: number;
  private readonly seed: number;

  constructor(
    options: SearchOptions<Y> & {
      space: Record<string, Distribution>;
      nTrials?: number;
      nStartup?: number;
      nCandidates?: number;
      gamma?: number;
      seed?: number;
    },
  ) {
    checkOptions('TPESearch options', options, [...COMMON, 'space', 'nTrials', 'nStartup', 'nCandidates', 'gamma', 'seed']);
    super(options);
    this.space = checkSpace(options.space, 'space');
    this.nTrials = checkInteger('nTrials', options.nTrials ?? 30, 1);
    this.nStartup = checkInteger('nStartup', options.nStartup ?? 10, 1);
    this.nCandidates = checkInteger('nCandidates', options.nCandidates ?? 24, 1);
    this.gamma = checkNumber('gamma', options.gamma ?? 0.25, (v) => v > 0 && v < 1, 'a number in (0, 1)');
    this.seed = checkInteger('seed', options.seed ?? 0, -0x80000000, 0xffffffff);
  }

  protected *candidates(history: Omit<Trial, 'rank'>[], higher: boolean): Generator<Params> {
    const rng = new Rng(this.seed);
    for (let i = 0; i < this.nTrials; i++) {
      if (i < this.nStartup) {
        yield Object.fromEntries(this.space.map(([k, d]) => [k, sample(d, rng)]));
        continue;
      }
      const sorted = [...history].sort((a, b) => (higher ? b.meanScore - a.meanScore : a.meanScore - b.meanScore));
      const nGood = Math.max(1, Math.ceil(this.gamma * sorted.length));
      const good = sorted.slice(0, nGood);
      const bad = sorted.slice(nGood);
      yield Object.fromEntries(
        this.space.map(([k, d]) => [
          k,
          suggestTpe(
            d,
            good.map((t) => t.params[k]),
            bad.map((t) => t.params[k]),
            this.nCandidates,
            rng,
          ),
        ]),
      );
    }
  }
}
