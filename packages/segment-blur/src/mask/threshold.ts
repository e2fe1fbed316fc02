import { rangeError } from '@aiffel/runtime';
import type { Mask } from './mask.js';

/** Binary mask: 1 where the value is >= `level` (default 0.5, the exercise's 128 of 255), else 0. */
export function thresholdMask(mask: Mask, level = 0.5): Mask {
  if (!(level >= 0 && level <= 1)) throw rangeError('level', 'a number in 0..1', level);
  const out = new Float32Array(mask.data.length);
  for (let i = 0; i < out.length; i++) out[i] = (mask.data[i] as number) >= level ? 1 : 0;
  return { data: out, width: mask.width, height: mask.height };
}
