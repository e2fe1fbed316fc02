import { rangeError } from '@aiffel/runtime';
import type { Mask } from './mask.js';

export interface ComponentOptions {
  /** 4 or 8 (default) neighbours. */
  connectivity?: 4 | 8;
  /** Values >= this are foreground. Default 0.5. */
  threshold?: number;
}

/**
 * Keeps only the largest connected foreground region (drops stray blobs the model finds in the
 * background). Pixels of the kept region keep their soft values; everything else becomes 0.
 */
export function keepLargestComponent(mask: Mask, options: ComponentOptions = {}): Mask {
  const connectivity = options.connectivity ?? 8;
  if (connectivity !== 4 && connectivity !== 8) throw rangeError('options.connectivity', '4 or 8', connectivity);
  const threshold = options.threshold ?? 0.5;
  if (!(threshold > 0 && threshold <= 1)) throw rangeError('options.threshold', 'a number in (0, 1]', threshold);
  const { data, width, height } = mask;
  const labels = new Int32Array(data.length).fill(-1);
  const stack = new Int32Array(data.length);
  let best = -1;
  let bestSize = 0;
  let next = 0;
  for (let start = 0; start < data.length; start++) {
    if (labels[start] !== -1 || (data[start] as number) < threshold) continue;
    const label = next++;
    let size = 0;
    let top = 0;
    stack[top++] = start;
    labels[start] = label;
    while (top > 0) {
      const p = stack[--top] as number;
      size++;
      const x = p % width;
      const y = (p - x) / width;
      for (let dy = -1; dy <= 1; dy++) {
        const ny = y + dy;
        if (ny < 0 || ny >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          if ((dx === 0 && dy === 0) || (connectivity === 4 && dx !== 0 && dy !== 0)) continue;
          const nx = x + dx;
          if (nx < 0 || nx >= width) continue;
          const q = ny * width + nx;
          if (labels[q] === -1 && (data[q] as number) >= threshold) {
            labels[q] = label;
            stack[top++] = q;
          }
        }
      }
    }
    if (size > bestSize) {
      bestSize = size;
      best = label;
    }
  }
  const out = new Float32Array(data.length);
  for (let i = 0; i < out.length; i++) if (labels[i] === best) out[i] = data[i] as number;
  return { data: out, width, height };
}
