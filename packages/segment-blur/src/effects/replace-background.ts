import { assertKnownOptions, type ImageArray, type ImageInput, rangeError, resizeImage } from '@aiffel/runtime';
import type { Mask } from '../mask/mask.js';
import { assertSameSize, composite, toRgb } from './rgb.js';

/** An RGB colour as `{ r, g, b }` (0..255) or a `#rrggbb` string. */
export type Colour = { r: number; g: number; b: number } | string;

export function parseColour(c: Colour, name: string): [number, number, number] {
  if (typeof c === 'string') {
    const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(c);
    if (!m) throw rangeError(name, "'#rrggbb' or {r, g, b}", c);
    return [Number.parseInt(m[1] as string, 16), Number.parseInt(m[2] as string, 16), Number.parseInt(m[3] as string, 16)];
  }
  if (c === null || typeof c !== 'object') throw rangeError(name, "'#rrggbb' or {r, g, b}", c);
  const v = [c.r, c.g, c.b];
  for (const x of v) if (!(Number.isInteger(x) && x >= 0 && x <= 255)) throw rangeError(name, 'r, g and b integers in 0..255', c);
  return v as [number, number, number];
}

export interface ReplaceBackgroundOptions {
  /** A colour, or an image (path, Buffer, array) resized to cover the photo (centre crop). */
  background: Colour | ImageInput;
}

function isColour(x: unknown): x is Colour {
  return (typeof x === 'string' && x.startsWith('#')) || (x !== null && typeof x === 'object' && 'r' in x && 'g' in x && 'b' in x);
}

/** Puts the person on a new background (a colour or an image), blending with the soft mask. */
export async function replaceBackground(image: ImageArray, mask: Mask, options: ReplaceBackgroundOptions): Promise<ImageArray> {
  assertKnownOptions('replaceBackground options', options, ['background']);
  assertSameSize(image, mask);
  if (options?.background === undefined) throw rangeError('options.background', 'a colour or an image', undefined);
  const rgb = toRgb(image);
  const n = rgb.width * rgb.height;
  const bg = new Float32Array(3 * n);
  if (isColour(options.background)) {
    const [r, g, b] = parseColour(options.background, 'options.background');
    for (let i = 0; i < n; i++) {
      bg[3 * i] = r;
      bg[3 * i + 1] = g;
      bg[3 * i + 2] = b;
    }
  } else {
    const fitted = await resizeImage(options.background, { width: rgb.width, height: rgb.height, fit: 'cover', channels: 3 });
    for (let i = 0; i < 3 * n; i++) bg[i] = fitted.data[i] as number;
  }
  return composite(rgb, bg, mask);
}
