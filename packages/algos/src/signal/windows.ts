import { checkInteger, checkOneOf, checkOptions, rangeError, typeError } from '@aiffel/core';

/** A labelled stretch of a recording: samples [start, end), end exclusive. */
export interface Segment<L = number> {
  start: number;
  end: number;
  label: L;
}

export interface SignalWindow<L = number> {
  /** First sample (inclusive). */
  start: number;
  /** One past the last sample. */
  end: number;
  label: L;
}

export interface WindowOptions {
  /** Samples per window. Default 128 (2.56 s at 50 Hz, UCI HAR). */
  size?: number;
  /** Samples between window starts. Default size / 2 (50 % overlap). */
  step?: number;
}

function sizes(options: WindowOptions): { size: number; step: number } {
  const size = checkInteger('size', options.size ?? 128, 1);
  const step = checkInteger('step', options.step ?? Math.max(1, Math.floor(size / 2)), 1);
  return { size, step };
}

/**
 * Fixed-size windows cut inside each labelled segment, starting at the segment's first sample, so a
 * window never crosses a label boundary (the remainder at a segment's end is dropped, as are
 * segments shorter than a window). This is how HAPT counts its 10,929 windows.
 */
export function segmentWindows<L>(segments: readonly Segment<L>[], options: WindowOptions = {}): SignalWindow<L>[] {
  checkOptions('segmentWindows options', options, ['size', 'step']);
  if (!Array.isArray(segments)) throw typeError('segments', 'an array of { start, end, label }', segments);
  const { size, step } = sizes(options);
  const out: SignalWindow<L>[] = [];
  segments.forEach((s, i) => {
    if (s === null || typeof s !== 'object' || !Number.isInteger(s.start) || !Number.isInteger(s.end) || s.start < 0 || s.end < s.start)
      throw rangeError(`segments[${i}]`, '{ start, end } with integers 0 <= start <= end', s);
    for (let w = s.start; w + size <= s.end; w += step) out.push({ start: w, end: w + size, label: s.label });
  });
  return out;
}

export interface GridWindowOptions<L> extends WindowOptions {
  /** A window whose samples carry more than one label: 'drop' it (default) or label it by the 'majority'. */
  boundary?: 'drop' | 'majority';
  /** Samples with this label (e.g. unlabelled gaps) never label a window. Default undefined. */
  unlabelled?: L;
}

/**
 * Windows on a fixed grid over per-sample labels (start at 0, every `step` samples). Windows that
 * mix labels are dropped or labelled by majority (ties go to the label seen first); windows made
 * only of `unlabelled` samples are dropped either way.
 */
export function gridWindows<L>(labels: ArrayLike<L>, options: GridWindowOptions<L> = {}): SignalWindow<L>[] {
  checkOptions('gridWindows options', options, ['size', 'step', 'boundary', 'unlabelled']);
  if (!(Array.isArray(labels) || ArrayBuffer.isView(labels))) throw typeError('labels', 'one label per sample', labels);
  const { size, step } = sizes(options);
  const boundary = checkOneOf('boundary', options.boundary ?? 'drop', ['drop', 'majority'] as const);
  const out: SignalWindow<L>[] = [];
  for (let w = 0; w + size <= labels.length; w += step) {
    const counts = new Map<L, number>();
    for (let t = w; t < w + size; t++) {
      const l = labels[t] as L;
      if (options.unlabelled !== undefined && l === options.unlabelled) continue;
      counts.set(l, (counts.get(l) ?? 0) + 1);
    }
    if (counts.size === 0) continue;
    if (boundary === 'drop' && (counts.size > 1 || (counts.values().next().value as number) < size)) continue;
    let best: L | undefined;
    let bestCount = -1;
    for (const [l, c] of counts) if (c > bestCount) [best, bestCount] = [l, c];
    out.push({ start: w, end: w + size, label: best as L });
  }
  return out;
}
