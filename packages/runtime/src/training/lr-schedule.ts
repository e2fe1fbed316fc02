import { assertKnownOptions, assertNonNegativeInteger, assertPositiveInteger, assertPositiveNumber, rangeError } from '../errors.js';

/** A learning rate as a function of the (0-based) epoch or step. */
export type LrSchedule = (step: number) => number;

function assertMinLr(minLr: number, initial: number): void {
  if (!(minLr >= 0 && minLr <= initial)) throw rangeError('minLr', `a number in [0, ${initial}]`, minLr);
}

function assertStep(step: number): void {
  if (!Number.isInteger(step) || step < 0) throw rangeError('step', 'a non-negative integer', step);
}

/** `initial * gamma^floor(step / stepSize)` (the VGG paper divides by 10: gamma 0.1). */
export function stepDecay(initial: number, stepSize: number, gamma = 0.1): LrSchedule {
  assertPositiveNumber('initial', initial);
  assertPositiveInteger('stepSize', stepSize);
  assertPositiveNumber('gamma', gamma);
  return (step) => {
    assertStep(step);
    return initial * gamma ** Math.floor(step / stepSize);
  };
}

/** Cosine annealing from `initial` to `minLr` over `period` steps, then held at `minLr`. */
export function cosineAnnealing(initial: number, period: number, minLr = 0): LrSchedule {
  assertPositiveNumber('initial', initial);
  assertPositiveInteger('period', period);
  assertMinLr(minLr, initial);
  return (step) => {
    assertStep(step);
    const t = Math.min(step, period);
    return minLr + ((initial - minLr) * (1 + Math.cos((Math.PI * t) / period))) / 2;
  };
}

/**
 * SGDR (Loshchilov and Hutter): cosine annealing restarted every cycle, the cycle length
 * multiplied by `tMult` after each restart.
 */
export function cosineAnnealingWarmRestarts(initial: number, t0: number, tMult = 1, minLr = 0): LrSchedule {
  assertPositiveNumber('initial', initial);
  assertPositiveInteger('t0', t0);
  assertPositiveInteger('tMult', tMult);
  assertMinLr(minLr, initial);
  return (step) => {
    assertStep(step);
    let cycle = t0;
    let t = step;
    while (t >= cycle) {
      t -= cycle;
      cycle *= tMult;
    }
    return minLr + ((initial - minLr) * (1 + Math.cos((Math.PI * t) / cycle))) / 2;
  };
}

export interface ReduceOnPlateauOptions {
  /** Multiply the rate by this when the metric stalls. Default 0.1. */
  factor?: number;
  /** Epochs without improvement before reducing. Default 10. */
  patience?: number;
  /** 'min' for losses, 'max' for accuracies. Default 'min'. */
  mode?: 'min' | 'max';
  /** Smallest change that counts as improvement. Default 1e-4. */
  minDelta?: number;
  /** Epochs to wait after a reduction before counting again. Default 0. */
  cooldown?: number;
  /** Floor for the rate. Default 0. */
  minLr?: number;
  /**
   * Reductions allowed; the plateau after the last one sets `exhausted` instead of reducing again
   * (the VGG paper's "stop after the third decrease"; the Trainer then stops). Default: no limit.
   */
  maxReductions?: number;
}

/** What ReduceOnPlateau.state() returns. `best` is null before the first metric (JSON has no Infinity). */
export interface ReduceOnPlateauState {
  lr: number;
  best: number | null;
  bad: number;
  cooldownLeft: number;
  /** Reductions made so far (absent in states saved before it existed: 0). */
  reductions?: number;
  exhausted?: boolean;
}

/** Reduce-on-plateau (as in Keras / PyTorch): feed it the validation metric once per epoch. */
export class ReduceOnPlateau {
  private best: number;
  private bad = 0;
  private cooldownLeft = 0;
  private lr: number;
  private reductions = 0;
  private exhaustedFlag = false;
  private readonly opts: Required<ReduceOnPlateauOptions>;

  constructor(initial: number, options: ReduceOnPlateauOptions = {}) {
    assertKnownOptions('ReduceOnPlateau options', options, ['factor', 'patience', 'mode', 'minDelta', 'cooldown', 'minLr', 'maxReductions']);
    assertPositiveNumber('initial', initial);
    this.opts = { factor: 0.1, patience: 10, mode: 'min', minDelta: 1e-4, cooldown: 0, minLr: 0, maxReductions: Number.POSITIVE_INFINITY, ...options };
    const { factor, patience, mode, minDelta, cooldown, minLr, maxReductions } = this.opts;
    if (maxReductions !== Number.POSITIVE_INFINITY) assertNonNegativeInteger('maxReductions', maxReductions);
    if (!(factor > 0 && factor < 1)) throw rangeError('factor', 'a number in (0, 1)', factor);
    assertNonNegativeInteger('patience', patience);
    assertNonNegativeInteger('cooldown', cooldown);
    if (mode !== 'min' && mode !== 'max') throw rangeError('mode', "'min' or 'max'", mode);
    if (!(minDelta >= 0)) throw rangeError('minDelta', 'a non-negative number', minDelta);
    if (!(minLr >= 0)) throw rangeError('minLr', 'a non-negative number', minLr);
    this.lr = initial;
    this.best = mode === 'min' ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
  }

  get learningRate(): number {
    return this.lr;
  }

  /** A plateau came after the last allowed reduction (see `maxReductions`): time to stop. */
  get exhausted(): boolean {
    return this.exhaustedFlag;
  }

  /** The schedule's progress (for checkpoints): the rate, the best metric and the counters. */
  state(): ReduceOnPlateauState {
    return {
      lr: this.lr,
      best: Number.isFinite(this.best) ? this.best : null,
      bad: this.bad,
      cooldownLeft: this.cooldownLeft,
      reductions: this.reductions,
      exhausted: this.exhaustedFlag,
    };
  }

  /** Continues from a saved `state()` (the options come from the constructor). */
  restore(state: ReduceOnPlateauState): this {
    const ok =
      state !== null &&
      typeof state === 'object' &&
      state.lr > 0 &&
      Number.isFinite(state.lr) &&
      (state.best === null || Number.isFinite(state.best)) &&
      Number.isInteger(state.bad) &&
      state.bad >= 0 &&
      Number.isInteger(state.cooldownLeft) &&
      state.cooldownLeft >= 0 &&
      (state.reductions === undefined || (Number.isInteger(state.reductions) && state.reductions >= 0)) &&
      (state.exhausted === undefined || typeof state.exhausted === 'boolean');
    if (!ok) throw rangeError('state', '{ lr > 0, best, bad >= 0, cooldownLeft >= 0 } from ReduceOnPlateau.state()', state);
    this.lr = state.lr;
    this.best = state.best ?? (this.opts.mode === 'min' ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY);
    this.bad = state.bad;
    this.cooldownLeft = state.cooldownLeft;
    this.reductions = state.reductions ?? 0;
    this.exhaustedFlag = state.exhausted ?? false;
    return this;
  }

  /** Records one epoch's metric and returns the learning rate to use next. */
  step(metric: number): number {
    if (!Number.isFinite(metric)) throw rangeError('metric', 'a finite number', metric);
    const { mode, minDelta, patience, factor, cooldown, minLr } = this.opts;
    const improved = mode === 'min' ? metric < this.best - minDelta : metric > this.best + minDelta;
    if (improved) {
      this.best = metric;
      this.bad = 0;
    } else if (this.cooldownLeft > 0) {
      this.cooldownLeft--;
    } else if (++this.bad > patience) {
      this.bad = 0;
      if (this.reductions >= this.opts.maxReductions) this.exhaustedFlag = true;
      else {
        this.lr = Math.max(minLr, this.lr * factor);
        this.reductions++;
        this.cooldownLeft = cooldown;
      }
    }
    return this.lr;
  }
}
