import { assertKnownOptions, assertNonNegativeInteger } from '../errors.js';

export interface ProgressOptions {
  /** Total units of work. */
  total: number;
  /** Label before the bar. Default ''. */
  label?: string;
  /** Stream to draw on. Default process.stderr (stdout stays clean for results). */
  stream?: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  /** Force drawing on or off. Default: draw only on a TTY and never when CI is set. */
  enabled?: boolean;
  /** Bar width in characters. Default 30. */
  width?: number;
}

/**
 * A progress bar that redraws in place on a terminal and stays silent in CI and in pipes, so
 * logs are not flooded with carriage-return frames.
 */
export class ProgressBar {
  readonly total: number;
  private current = 0;
  private readonly started = Date.now();
  private lastDraw = 0;
  private readonly opts: Required<Omit<ProgressOptions, 'total' | 'enabled'>> & { enabled: boolean };

  constructor(options: ProgressOptions) {
    assertKnownOptions('ProgressBar options', options, ['total', 'label', 'stream', 'enabled', 'width']);
    assertNonNegativeInteger('total', options.total);
    this.total = options.total;
    const stream = options.stream ?? process.stderr;
    const enabled = options.enabled ?? (Boolean((stream as { isTTY?: boolean }).isTTY) && !process.env.CI);
    this.opts = { label: options.label ?? '', stream, width: options.width ?? 30, enabled };
  }

  get enabled(): boolean {
    return this.opts.enabled;
  }

  get value(): number {
    return this.current;
  }

  /** Advances by `n` units, with an optional status text (e.g. `loss 0.123`). */
  tick(n = 1, status = ''): void {
    this.update(this.current + n, status);
  }

  update(value: number, status = ''): void {
    this.current = Math.min(this.total, Math.max(0, value));
    const now = Date.now();
    // Redrawing more than ~20 times a second costs time and shows nothing new.
    if (this.opts.enabled && (now - this.lastDraw > 50 || this.current === this.total)) {
      this.lastDraw = now;
      this.opts.stream.write(`\r${this.render(status)}\x1b[K`);
    }
  }

  /** The bar as text (what `update` draws). */
  render(status = ''): string {
    const frac = this.total === 0 ? 1 : this.current / this.total;
    const filled = Math.round(frac * this.opts.width);
    const bar = '#'.repeat(filled) + '-'.repeat(this.opts.width - filled);
    const elapsed = (Date.now() - this.started) / 1000;
    const eta = frac > 0 ? elapsed / frac - elapsed : Number.NaN;
    const etaText = Number.isFinite(eta) ? ` eta ${eta.toFixed(0)}s` : '';
    const label = this.opts.label ? `${this.opts.label} ` : '';
    return `${label}[${bar}] ${this.current}/${this.total} ${(frac * 100).toFixed(0)}%${etaText}${status ? ` ${status}` : ''}`;
  }

  done(status = ''): void {
    this.update(this.total, status);
    if (this.opts.enabled) this.opts.stream.write('\n');
  }
}
