import { columnStats, rangeError, typeError } from '@aiffel/runtime';

/** Windows of multichannel signals: N x T x C, row-major (time then channel within a window). */
export interface Windows {
  data: Float32Array;
  windows: number;
  steps: number;
  channels: number;
}

/**
 * `{ data, shape: [N, T, C] }` or `number[][][]` (windows x steps x channels) as float32 windows.
 * Ragged windows, NaN / Infinity and a wrong step or channel count are refused by position.
 */
export function toWindows(name: string, x: unknown, expect?: { steps: number; channels: number }): Windows {
  let data: Float32Array;
  let N: number;
  let T: number;
  let C: number;
  if (Array.isArray(x)) {
    N = x.length;
    if (N === 0) throw rangeError(name, 'at least one window', 0);
    const first = x[0] as unknown[];
    if (!Array.isArray(first) || first.length === 0 || !(Array.isArray(first[0]) || ArrayBuffer.isView(first[0])))
      throw typeError(`${name}[0]`, 'a window: an array of time steps, each an array of channel values', first);
    T = first.length;
    C = (first[0] as ArrayLike<number>).length;
    data = new Float32Array(N * T * C);
    x.forEach((w, i) => {
      if (!Array.isArray(w) || w.length !== T)
        throw rangeError(`${name}[${i}]`, `a window of ${T} time steps (as ${name}[0])`, Array.isArray(w) ? `${w.length} steps` : w);
      w.forEach((step, t) => {
        if (!(Array.isArray(step) || ArrayBuffer.isView(step)) || (step as ArrayLike<number>).length !== C)
          throw rangeError(`${name}[${i}][${t}]`, `${C} channel values (as ${name}[0][0])`, step);
        data.set(step as ArrayLike<number>, (i * T + t) * C);
      });
    });
  } else if (x !== null && typeof x === 'object' && ArrayBuffer.isView((x as { data: unknown }).data) && Array.isArray((x as { shape: unknown }).shape)) {
    const p = x as { data: ArrayLike<number>; shape: number[] };
    if (p.shape.length !== 3 || !p.shape.every((d) => Number.isInteger(d) && d > 0))
      throw rangeError(`${name}.shape`, '[windows, steps, channels] of positive integers', p.shape);
    [N, T, C] = p.shape as [number, number, number];
    if (N * T * C !== p.data.length) throw rangeError(`${name}.shape`, `a shape whose product is ${p.data.length}`, p.shape);
    data = p.data instanceof Float32Array ? p.data : Float32Array.from(p.data);
  } else throw typeError(name, '{ data, shape: [windows, steps, channels] } or number[][][]', x);
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) {
      const w = Math.floor(i / (T * C));
      throw rangeError(name, 'finite values (fill gaps first)', `${data[i]} in window ${w}, step ${Math.floor(i / C) % T}, channel ${i % C}`);
    }
  }
  if (expect && C !== expect.channels) throw rangeError(`${name} channels`, `${expect.channels} (as the model was trained on)`, C);
  if (expect && T !== expect.steps) throw rangeError(`${name} steps`, `${expect.steps} (as the model was trained on)`, T);
  return { data, windows: N, steps: T, channels: C };
}

/** Per-channel mean and standard deviation over every window and step: the runtime's column statistics of the (windows x steps) x channels matrix. */
export function channelStats(w: Windows): { mean: Float32Array; std: Float32Array } {
  const rows = w.windows * w.steps;
  return columnStats({ data: w.data, rows, cols: w.channels, shape: [rows, w.channels] });
}

/** A standardised copy, as rows of T * C values (the Trainer's matrix). */
export function standardize(w: Windows, mean: Float32Array, std: Float32Array): { data: Float32Array; shape: number[] } {
  const C = w.channels;
  const out = new Float32Array(w.data.length);
  for (let i = 0; i < out.length; i++) out[i] = ((w.data[i] as number) - (mean[i % C] as number)) / (std[i % C] as number);
  return { data: out, shape: [w.windows, w.steps * C] };
}
