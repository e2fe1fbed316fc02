import { assertKnownOptions, assertNonNegativeInteger, rangeError } from '../errors.js';

export interface EarlyStoppingOptions {
  /**
   * Epochs without improvement after which training stops, as Keras and PyTorch Lightning count
   * them: with patience 2, the second epoch in a row without improvement is the last (0 and 1
   * both stop at the first). Default 5.
   */
  patience?: number;
  /** 'min' for losses, 'max' for accuracies. Default 'min'. */
  mode?: 'min' | 'max';
  /** Smallest change that counts as improvement. Default 0. */
  minDelta?: number;
}

/** What EarlyStopping.state() returns. */
export interface EarlyStoppingState {
  epoch: number;
  wait: number;
  best: number | null;
  bestEpoch: number;
  stopped: boolean;
}

/**
 * Tracks a validation metric and says when to stop. `bestEpoch` tells the caller which weights to
 * restore (we do not hold weights here: packages snapshot their own).
 */
export class EarlyStopping {
  private readonly opts: Required<EarlyStoppingOptions>;
  private epoch = -1;
  private wait = 0;
  best: number;
  bestEpoch = -1;
  stopped = false;

  constructor(options: EarlyStoppingOptions = {}) {
    assertKnownOptions('EarlyStopping options', options, ['patience', 'mode', 'minDelta']);
    this.opts = { patience: 5, mode: 'min', minDelta: 0, ...options };
    assertNonNegativeInteger('patience', this.opts.patience);
    if (this.opts.mode !== 'min' && this.opts.mode !== 'max') throw rangeError('mode', "'min' or 'max'", this.opts.mode);
    if (!(this.opts.minDelta >= 0)) throw rangeError('minDelta', 'a non-negative number', this.opts.minDelta);
    this.best = this.opts.mode === 'min' ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
  }

  /** Records one epoch; returns true when training should stop. */
  update(metric: number): boolean {
    if (Number.isNaN(metric)) throw rangeError('metric', 'a number, not NaN', metric);
    // Once stopped, later epochs must not move the best epoch past the weights the caller kept.
    if (this.stopped) return true;
    this.epoch++;
    const { mode, minDelta, patience } = this.opts;
    const improved = mode === 'min' ? metric < this.best - minDelta : metric > this.best + minDelta;
    if (improved) {
      this.best = metric;
      this.bestEpoch = this.epoch;
      this.wait = 0;
    } else if (++this.wait >= patience) {
      this.stopped = true;
    }
    return this.stopped;
  }

  /** Progress for checkpoints; `best` is null before the first metric (JSON has no Infinity). */
  state(): EarlyStoppingState {
    return { epoch: this.epoch, wait: this.wait, best: Number.isFinite(this.best) ? this.best : null, bestEpoch: this.bestEpoch, stopped: this.stopped };
  }

  /** Continues from a saved `state()` (the options come from the constructor). */
  restore(state: EarlyStoppingState): this {
    const int = (v: unknown, min: number) => Number.isInteger(v) && (v as number) >= min;
    const ok =
      state !== null &&
      typeof state === 'object' &&
      int(state.epoch, -1) &&
      int(state.wait, 0) &&
      int(state.bestEpoch, -1) &&
      (state.best === null || Number.isFinite(state.best)) &&
      typeof state.stopped === 'boolean';
    if (!ok) throw rangeError('state', 'an EarlyStopping.state() object', state);
    this.epoch = state.epoch;
    this.wait = state.wait;
    this.best = state.best ?? (this.opts.mode === 'min' ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY);
    this.bestEpoch = state.bestEpoch;
    this.stopped = state.stopped;
    return this;
  }

  /** True if the last `update` was a new best (the moment to snapshot weights). */
  get improvedLast(): boolean {
    return this.bestEpoch === this.epoch;
  }
}
