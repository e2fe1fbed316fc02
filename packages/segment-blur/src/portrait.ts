import { assertKnownOptions, type EncodeOptions, encodeImage, type ImageArray, type ImageInput, rangeError } from '@aiffel/runtime';
import sharp from 'sharp';
import { blurBackground, checkBlurOptions } from './effects/blur-background.js';
import { desaturateBackground } from './effects/colour-splash.js';
import { cutout } from './effects/cutout.js';
import { type Colour, replaceBackground } from './effects/replace-background.js';
import type { BlurKind } from './filters/blur.js';
import type { BuiltinModel } from './segmenter/builtin-models.js';
import type { FitMode } from './segmenter/model-input.js';
import type { RefineOptions } from './segmenter/refine.js';
import { type Segmentation, Segmenter } from './segmenter/segmenter.js';

export type PortraitEffect = 'blur' | 'replace' | 'desaturate' | 'cutout';
type Format = NonNullable<EncodeOptions['format']>;
const FORMATS: readonly Format[] = ['jpeg', 'png', 'webp', 'avif', 'tiff'];

export interface PortraitOptions {
  /** 'blur' (default), 'replace', 'desaturate' (colour splash) or 'cutout' (transparent background). */
  effect?: PortraitEffect;
  /** Blur kind for 'blur': 'gaussian' (default), 'box' or 'disc' (bokeh). */
  mode?: BlurKind;
  /** Blur radius in pixels; default `strength` x the longer side. */
  radius?: number;
  /** Blur radius relative to the longer side. Default 0.015. */
  strength?: number;
  /** New background for 'replace': a colour or an image. */
  background?: Colour | ImageInput;
  /** Built-in model, 'selfie' (default) or 'landscape'. Ignored when `segmenter` is given. */
  model?: BuiltinModel;
  /** A loaded Segmenter to reuse across calls (saves loading the model each time). */
  segmenter?: Segmenter;
  fit?: FitMode;
  refine?: RefineOptions | false;
  /** Output format. Default: the input's format (PNG for arrays, and for cutouts of JPEGs). */
  format?: Format;
  /** Quality of lossy formats, 1..100. Default 90. */
  quality?: number;
  maxPixels?: number;
}

const cache = new Map<BuiltinModel, Promise<Segmenter>>();

/** A shared Segmenter per built-in model, loaded once per process. */
export function defaultSegmenter(model: BuiltinModel = 'selfie'): Promise<Segmenter> {
  let s = cache.get(model);
  if (!s) {
    s = Segmenter.load({ model });
    cache.set(model, s);
    s.catch(() => cache.delete(model));
  }
  return s;
}

async function inputFormat(input: ImageInput): Promise<Format | undefined> {
  if (typeof input !== 'string' && !(input instanceof Uint8Array)) return undefined;
  try {
    const f = (await sharp(input).metadata()).format;
    return FORMATS.includes(f as Format) ? (f as Format) : (f as string) === 'jpg' ? 'jpeg' : undefined;
  } catch {
    return undefined; // the segmenter reports unreadable input with a clearer message
  }
}

/**
 * One call for the common case: segment the person and apply the effect, returning encoded bytes
 * in the input's format. Blurring uses the halo-free mask-weighted background.
 */
export async function portrait(input: ImageInput, options: PortraitOptions = {}): Promise<Buffer> {
  assertKnownOptions('portrait options', options, [
    'effect',
    'mode',
    'radius',
    'strength',
    'background',
    'model',
    'segmenter',
    'fit',
    'refine',
    'format',
    'quality',
    'maxPixels',
  ]);
  checkPortraitOptions(options);
  const segmenter = options.segmenter ?? (await defaultSegmenter(options.model ?? 'selfie'));
  const seg = await segmenter.segment(input, {
    ...(options.fit !== undefined && { fit: options.fit }),
    ...(options.refine !== undefined && { refine: options.refine }),
    ...(options.maxPixels !== undefined && { maxPixels: options.maxPixels }),
  });
  const out = await applyEffect(seg, options);
  return encodeImage(out, { format: await outputFormat(input, options), ...(options.quality !== undefined && { quality: options.quality }) });
}

/** The format `portrait` writes: `options.format`, else the input's (PNG for arrays, and for cutouts of JPEGs). */
export async function outputFormat(input: ImageInput, options: Pick<PortraitOptions, 'format' | 'effect'>): Promise<Format> {
  let format = options.format ?? (await inputFormat(input)) ?? 'png';
  if (options.effect === 'cutout' && format === 'jpeg' && options.format === undefined) format = 'png';
  return format;
}

/**
 * Every option that does not depend on the image, checked before any model is loaded or pixel
 * decoded (the CLI runs it on its flags, so a bad `--quality` is a usage error, not a failure per
 * file). The radius bound depends on the image and is checked when the blur runs.
 */
export function checkPortraitOptions(options: PortraitOptions): void {
  if (options.format !== undefined && !FORMATS.includes(options.format)) throw rangeError('options.format', FORMATS.join(', '), options.format);
  const q = options.quality;
  if (q !== undefined && !(Number.isInteger(q) && q >= 1 && q <= 100)) throw rangeError('options.quality', 'an integer in 1..100', q);
  checkBlurOptions(options);
  // A segmenter brings its own model: a model given beside it would be silently ignored.
  if (options.segmenter !== undefined && options.model !== undefined)
    throw rangeError('options.model', 'left out when options.segmenter is given (the segmenter has its model)', options.model);
  assertEffect(options);
}

/** Checks the effect options (cheap) before any segmentation work is spent on them. */
function assertEffect(options: PortraitOptions): PortraitEffect {
  const effect = options.effect ?? 'blur';
  if (!['blur', 'replace', 'desaturate', 'cutout'].includes(effect)) throw rangeError('options.effect', "'blur', 'replace', 'desaturate' or 'cutout'", effect);
  if (effect === 'replace' && options.background === undefined) throw rangeError('options.background', "a colour or image when effect is 'replace'", undefined);
  return effect;
}

/** Applies the effect of `options` to a segmentation (what `portrait` does after segmenting). */
export async function applyEffect(seg: Segmentation, options: PortraitOptions = {}): Promise<ImageArray> {
  const effect = assertEffect(options);
  let out: ImageArray;
  switch (effect) {
    case 'blur':
      out = blurBackground(seg.image, seg.mask, {
        ...(options.mode !== undefined && { mode: options.mode }),
        ...(options.radius !== undefined && { radius: options.radius }),
        ...(options.strength !== undefined && { strength: options.strength }),
      });
      break;
    case 'replace':
      out = await replaceBackground(seg.image, seg.mask, { background: options.background as Colour | ImageInput });
      break;
    case 'desaturate':
      out = desaturateBackground(seg.image, seg.mask);
      break;
    default:
      out = cutout(seg.image, seg.mask);
  }
  return out;
}
