import { type ImageArray, rangeError, resizeImage } from '@aiffel/runtime';
import type { Mask } from '../mask/mask.js';

/** How a photo is fitted to the model's fixed input: stretched (default), or letterboxed to keep its aspect. */
export type FitMode = 'stretch' | 'letterbox';

export interface ModelInput {
  /** RGB floats in 0..1, [height * width * 3] of the model input. */
  pixels: Float32Array;
  /** Where the photo sits inside the model input (the whole input unless letterboxed). */
  content: { left: number; top: number; width: number; height: number };
}

/** Resizes (sharp, area-aware, so large photos do not alias) and scales the photo for the model. */
export async function prepareModelInput(rgb: ImageArray, width: number, height: number, fit: FitMode): Promise<ModelInput> {
  if (fit !== 'stretch' && fit !== 'letterbox') throw rangeError('options.fit', "'stretch' or 'letterbox'", fit);
  let content = { left: 0, top: 0, width, height };
  if (fit === 'letterbox') {
    const scale = Math.min(width / rgb.width, height / rgb.height);
    const w = Math.max(1, Math.round(rgb.width * scale));
    const h = Math.max(1, Math.round(rgb.height * scale));
    content = { left: Math.floor((width - w) / 2), top: Math.floor((height - h) / 2), width: w, height: h };
  }
  const resized = await resizeImage(rgb, { width: content.width, height: content.height, fit: 'fill', kernel: 'linear', channels: 3 });
  const pixels = new Float32Array(width * height * 3);
  for (let y = 0; y < content.height; y++) {
    const src = y * content.width * 3;
    const dst = ((y + content.top) * width + content.left) * 3;
    for (let i = 0; i < content.width * 3; i++) pixels[dst + i] = (resized.data[src + i] as number) / 255;
  }
  return { pixels, content };
}

/** Cuts the letterbox's content rectangle out of a model-resolution mask. */
export function cropMask(mask: Mask, content: ModelInput['content']): Mask {
  if (content.left === 0 && content.top === 0 && content.width === mask.width && content.height === mask.height) return mask;
  const out = new Float32Array(content.width * content.height);
  for (let y = 0; y < content.height; y++) {
    const s = (y + content.top) * mask.width + content.left;
    out.set(mask.data.subarray(s, s + content.width), y * content.width);
  }
  return { data: out, width: content.width, height: content.height };
}
