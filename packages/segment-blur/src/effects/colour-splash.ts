import { assertKnownOptions, type ImageArray, rangeError } from '@aiffel/runtime';
import type { Mask } from '../mask/mask.js';
import { assertSameSize, composite, toRgb } from './rgb.js';

export interface DesaturateOptions {
  /** 1 (default) turns the background fully grey; 0 leaves it unchanged. */
  amount?: number;
}

/** Colour splash: the person keeps their colours, the background turns grey. */
export function desaturateBackground(image: ImageArray, mask: Mask, options: DesaturateOptions = {}): ImageArray {
  assertKnownOptions('desaturateBackground options', options, ['amount']);
  assertSameSize(image, mask);
  const amount = options.amount ?? 1;
  if (!(amount >= 0 && amount <= 1)) throw rangeError('options.amount', 'a number in 0..1', amount);
  const rgb = toRgb(image);
  const n = rgb.width * rgb.height;
  const bg = new Float32Array(3 * n);
  const d = rgb.data;
  for (let i = 0; i < n; i++) {
    const r = d[3 * i] as number;
    const g = d[3 * i + 1] as number;
    const b = d[3 * i + 2] as number;
    const y = 0.299 * r + 0.587 * g + 0.114 * b;
    bg[3 * i] = r + amount * (y - r);
    bg[3 * i + 1] = g + amount * (y - g);
    bg[3 * i + 2] = b + amount * (y - b);
  }
  return composite(rgb, bg, mask);
}
