import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '@aiffel/core';
import * as tf from '@tensorflow/tfjs-core';
import sharp, { type Sharp } from 'sharp';
import { ensureBackend } from '../backend.js';
import { assertKnownOptions, assertPositiveInteger, rangeError, typeError } from '../errors.js';

/** An image as a typed array in row-major HWC order (the ndarray layout, with `shape`). */
export interface ImageArray {
  data: Uint8Array;
  width: number;
  height: number;
  channels: 1 | 3 | 4;
  /** `[height, width, channels]`, so the object can stand in for an ndarray. */
  shape: [number, number, number];
}

/** What the image functions accept: a file path, encoded bytes, an ImageArray/ndarray-like or a 3-D tensor. */
export type ImageInput = string | Buffer | Uint8Array | ImageArray | { data: ArrayLike<number>; shape: readonly number[] } | tf.Tensor3D;

/**
 * 50 megapixels: a full-resolution 50 MP phone photo (8160 x 6120) still decodes. The limit is
 * there to bound memory, not only to stop decompression bombs: sharp's own 16383^2 let a 249 KB
 * PNG declaring 16000 x 16000 take over 5 GB in `imageToTensor(..., { normalize: true })` and in
 * the segmenters. At this limit an RGB decode is at most 150 MB and a normalized tensor 600 MB.
 * Pass `maxPixels` to go higher.
 */
export const DEFAULT_MAX_PIXELS = 50_000_000;

export interface DecodeOptions {
  /** 3 (RGB, default), 4 (RGBA) or 1 (grey). */
  channels?: 1 | 3 | 4;
  /** Refuse images with more pixels than this. Default 50,000,000 (`DEFAULT_MAX_PIXELS`). */
  maxPixels?: number;
  /** Rotate/flip by the EXIF orientation tag. Default true. */
  autoOrient?: boolean;
}

function isTensor(x: unknown): x is tf.Tensor {
  return x instanceof tf.Tensor;
}

function channelsOf(n: unknown, name: string): 1 | 3 | 4 {
  if (n === 1 || n === 3 || n === 4) return n;
  throw rangeError(name, '1, 3 or 4 channels', n);
}

/** Converts an ndarray-like or tensor to an ImageArray (uint8, values clamped to 0..255). */
export function toImageArray(input: ImageArray | { data: ArrayLike<number>; shape: readonly number[] } | tf.Tensor3D): ImageArray {
  if (isTensor(input)) {
    if (input.rank !== 3) throw rangeError('image tensor', 'rank 3 [height, width, channels]', `rank ${input.rank}`);
    const [h, w, c] = input.shape as [number, number, number];
    return toImageArray({ data: input.dataSync() as ArrayLike<number>, shape: [h, w, c] });
  }
  const shape: unknown = input.shape;
  if (!Array.isArray(shape) || (shape.length !== 3 && shape.length !== 2))
    throw rangeError('image.shape', '[height, width, channels] or [height, width]', shape);
  const [height, width, c = 1] = shape as number[];
  assertPositiveInteger('image height', height);
  assertPositiveInteger('image width', width);
  const channels = channelsOf(c, 'image channels');
  const n = height * width * channels;
  if (!input.data || (input.data as ArrayLike<number>).length !== n)
    throw rangeError('image.data', `${n} values for shape [${height}, ${width}, ${channels}]`, input.data);
  let data: Uint8Array;
  if (input.data instanceof Uint8Array) data = input.data;
  else {
    data = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const v = input.data[i] as number;
      if (Number.isNaN(v)) throw rangeError('image.data', 'numbers, not NaN', v);
      data[i] = v < 0 ? 0 : v > 255 ? 255 : Math.round(v);
    }
  }
  return { data, width, height, channels, shape: [height, width, channels] };
}

async function toSharp(input: ImageInput, maxPixels: number, autoOrient: boolean): Promise<Sharp> {
  let bytes: Buffer | Uint8Array;
  if (typeof input === 'string') {
    try {
      bytes = await readFile(input);
    } catch (err) {
      throw new Error(`image: cannot read file ${input}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
  } else if (input instanceof Uint8Array) {
    bytes = input;
  } else if (input !== null && typeof input === 'object') {
    const img = toImageArray(input as ImageArray);
    return sharp(img.data, { raw: { width: img.width, height: img.height, channels: img.channels }, limitInputPixels: maxPixels });
  } else {
    throw typeError('image', 'a file path, Buffer, {data, shape} array or 3-D tensor', input);
  }
  if (bytes.length === 0) throw new Error('image: the input is empty (0 bytes)');
  const s = sharp(bytes, { limitInputPixels: maxPixels, failOn: 'truncated', pages: 1 });
  // The header alone gives the size: refuse before any pixel is decoded, and say how big the
  // image claims to be (sharp's own message does not).
  let meta: { width?: number; height?: number };
  try {
    meta = await sharp(bytes, { limitInputPixels: false, pages: 1 }).metadata();
  } catch (err) {
    throw wrapSharpError(err, 'decodeImage');
  }
  const { width = 0, height = 0 } = meta;
  if (width * height > maxPixels)
    throw new RangeError(
      `image: ${width}x${height} is ${(width * height).toLocaleString('en')} pixels, past the pixel limit (maxPixels: ${maxPixels.toLocaleString('en')}); pass a larger maxPixels to decode it`,
    );
  return autoOrient ? s.rotate() : s;
}

function wrapSharpError(err: unknown, what: string): Error {
  const msg = (err as Error).message ?? String(err);
  if (/pixel limit/i.test(msg)) return new RangeError(`${what}: the image exceeds the pixel limit (maxPixels): ${msg}`);
  return new Error(`${what}: not a readable image (${msg})`);
}

/**
 * Decodes any format sharp reads (JPEG, PNG, WebP, AVIF, TIFF, GIF's first frame, ...) to an
 * 8-bit HWC array, honouring EXIF orientation.
 *
 * @throws Error for unreadable, truncated or non-image input; RangeError past `maxPixels`.
 */
export async function decodeImage(input: ImageInput, options: DecodeOptions = {}): Promise<ImageArray> {
  assertKnownOptions('decodeImage options', options, ['channels', 'maxPixels', 'autoOrient']);
  const channels = channelsOf(options.channels ?? 3, 'options.channels');
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  assertPositiveInteger('options.maxPixels', maxPixels);
  const s = await toSharp(input, maxPixels, options.autoOrient ?? true);
  return toRaw(s, channels, 'decodeImage');
}

/** Finishes a sharp pipeline: converts to `channels` (grey, sRGB or sRGBA) and reads the pixels. */
async function toRaw(pipeline: Sharp, channels: 1 | 3 | 4, what: string): Promise<ImageArray> {
  if (channels === 1) pipeline = pipeline.greyscale().removeAlpha();
  else if (channels === 3) pipeline = pipeline.removeAlpha().toColourspace('srgb');
  else pipeline = pipeline.ensureAlpha().toColourspace('srgb');
  try {
    const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
    if (info.channels !== channels) throw new Error(`expected ${channels} channels after conversion, got ${info.channels}`);
    const out = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    return { data: out, width: info.width, height: info.height, channels, shape: [info.height, info.width, channels] };
  } catch (err) {
    throw wrapSharpError(err, what);
  }
}

/**
 * Decodes an image straight into a `[height, width, channels]` tensor (int32 0..255, or float32
 * scaled to 0..1 with `normalize`). Starts the default backend if none is active.
 */
export async function imageToTensor(input: ImageInput, options: DecodeOptions & { normalize?: boolean } = {}): Promise<tf.Tensor3D> {
  const { normalize, ...decode } = options;
  const img = await decodeImage(input, decode);
  await ensureBackend();
  if (normalize) {
    const f = new Float32Array(img.data.length);
    for (let i = 0; i < f.length; i++) f[i] = (img.data[i] as number) / 255;
    return tf.tensor3d(f, img.shape, 'float32');
  }
  return tf.tensor3d(Int32Array.from(img.data), img.shape, 'int32');
}

export interface EncodeOptions {
  /** Output format. Default 'png'. */
  format?: 'png' | 'jpeg' | 'webp' | 'avif' | 'tiff';
  /** Quality 1-100 for lossy formats. Default 90. */
  quality?: number;
}

/** Encodes an image array, ndarray or tensor (values 0..255) to PNG/JPEG/WebP/AVIF/TIFF bytes. */
export async function encodeImage(
  image: ImageArray | { data: ArrayLike<number>; shape: readonly number[] } | tf.Tensor3D,
  options: EncodeOptions = {},
): Promise<Buffer> {
  assertKnownOptions('encodeImage options', options, ['format', 'quality']);
  const format = options.format ?? 'png';
  if (!['png', 'jpeg', 'webp', 'avif', 'tiff'].includes(format)) throw rangeError('options.format', "'png', 'jpeg', 'webp', 'avif' or 'tiff'", format);
  const quality = options.quality ?? 90;
  if (!Number.isInteger(quality) || quality < 1 || quality > 100) throw rangeError('options.quality', 'an integer in 1..100', quality);
  const img = toImageArray(image);
  const s = sharp(img.data, { raw: { width: img.width, height: img.height, channels: img.channels } });
  switch (format) {
    case 'png':
      return s.png().toBuffer();
    case 'jpeg':
      return s.jpeg({ quality }).toBuffer();
    case 'webp':
      return s.webp({ quality }).toBuffer();
    case 'avif':
      return s.avif({ quality }).toBuffer();
    default:
      // LZW keeps TIFF lossless; sharp's default TIFF compression is JPEG.
      return s.tiff({ compression: 'lzw' }).toBuffer();
  }
}

export interface ResizeOptions {
  width: number;
  height: number;
  /** How to fit: 'fill' stretches (default), 'contain' letterboxes, 'cover' crops. */
  fit?: 'fill' | 'contain' | 'cover' | 'inside' | 'outside';
  /** Interpolation. Default 'lanczos3' (sharp's default); 'linear' for bilinear. */
  kernel?: 'nearest' | 'linear' | 'cubic' | 'mitchell' | 'lanczos2' | 'lanczos3';
  /** Letterbox colour for 'contain'. Default black. */
  background?: { r: number; g: number; b: number; alpha?: number };
  /** Channels of the result. Default: those of the input (3 for encoded files). */
  channels?: 1 | 3 | 4;
  maxPixels?: number;
}

/** Resizes any image input with sharp and returns the decoded array. */
export async function resizeImage(input: ImageInput, options: ResizeOptions): Promise<ImageArray> {
  assertKnownOptions('resizeImage options', options, ['width', 'height', 'fit', 'kernel', 'background', 'channels', 'maxPixels']);
  assertPositiveInteger('options.width', options.width);
  assertPositiveInteger('options.height', options.height);
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  const channels = options.channels ?? channelsOfInput(input);
  const s = (await toSharp(input, maxPixels, true)).resize(options.width, options.height, {
    fit: options.fit ?? 'fill',
    kernel: options.kernel ?? 'lanczos3',
    background: options.background ?? { r: 0, g: 0, b: 0, alpha: 1 },
  });
  return toRaw(s, channels, 'resizeImage');
}

/** Channels an input already has: 3 for encoded files (decoded as RGB), else its shape's last axis. */
function channelsOfInput(input: ImageInput): 1 | 3 | 4 {
  if (typeof input === 'string' || input instanceof Uint8Array) return 3;
  const shape = (input as { shape?: readonly number[] }).shape;
  return channelsOf(Array.isArray(shape) && shape.length === 3 ? shape[2] : 1, 'image channels');
}

/** Writes an image to disk; the format comes from the extension unless given. */
export async function writeImage(
  path: string,
  image: ImageArray | { data: ArrayLike<number>; shape: readonly number[] } | tf.Tensor3D,
  options: EncodeOptions = {},
): Promise<void> {
  const ext = path.toLowerCase().split('.').pop();
  const byExt: Record<string, EncodeOptions['format']> = { png: 'png', jpg: 'jpeg', jpeg: 'jpeg', webp: 'webp', avif: 'avif', tif: 'tiff', tiff: 'tiff' };
  const format = options.format ?? byExt[ext ?? ''];
  if (format === undefined) throw rangeError('path', 'a file name ending in .png, .jpg, .webp, .avif or .tiff (or options.format)', path);
  const bytes = await encodeImage(image, { ...options, format });
  // A reader (or a crash) never sees half an image in place of the old one.
  await writeFileAtomic(path, bytes);
}
