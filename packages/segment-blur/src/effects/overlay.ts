import { assertKnownOptions, type ImageArray, rangeError } from '@aiffel/runtime';
import type { Mask } from '../mask/mask.js';
import { vocColour } from '../segmenter/voc-labels.js';
import { type Colour, parseColour } from './replace-background.js';
import { rgbImage, toRgb } from './rgb.js';

/** A per-pixel class index map (e.g. the argmax of a semantic model), row-major. */
export interface LabelMap {
  data: Uint8Array | Int32Array;
  width: number;
  height: number;
}

export interface OverlayOptions {
  /** Opacity of the colours, 0..1. Default 0.5. */
  opacity?: number;
  /** Colour for a Mask overlay. Default '#00ff00'. Label maps use the PASCAL VOC palette. */
  colour?: Colour;
}

/**
 * Paints a segmentation over the photo to inspect it: a Mask in one colour weighted by its
 * probability, or a label map in the VOC palette (label 0, background, is left unpainted).
 */
export function overlay(image: ImageArray, segmentation: Mask | LabelMap, options: OverlayOptions = {}): ImageArray {
  assertKnownOptions('overlay options', options, ['opacity', 'colour']);
  const opacity = options.opacity ?? 0.5;
  if (!(opacity >= 0 && opacity <= 1)) throw rangeError('options.opacity', 'a number in 0..1', opacity);
  if (segmentation.width !== image.width || segmentation.height !== image.height)
    throw rangeError('segmentation', `a ${image.width}x${image.height} map like the image`, `${segmentation.width}x${segmentation.height}`);
  const rgb = toRgb(image);
  const n = rgb.width * rgb.height;
  const out = new Uint8Array(rgb.data);
  const isMask = segmentation.data instanceof Float32Array;
  const single = parseColour(options.colour ?? '#00ff00', 'options.colour');
  const palette = new Map<number, [number, number, number]>();
  for (let i = 0; i < n; i++) {
    let a: number;
    let c: [number, number, number];
    if (isMask) {
      a = opacity * (segmentation.data[i] as number);
      c = single;
    } else {
      const label = segmentation.data[i] as number;
      if (label === 0) continue;
      a = opacity;
      c = palette.get(label) ?? vocColour(label);
      palette.set(label, c);
    }
    for (let k = 0; k < 3; k++) out[3 * i + k] = (1 - a) * (rgb.data[3 * i + k] as number) + a * (c[k] as number) + 0.5;
  }
  return rgbImage(out, rgb.width, rgb.height);
}
