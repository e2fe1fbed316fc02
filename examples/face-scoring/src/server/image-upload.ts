import sharp, { type Metadata } from 'sharp';
import type { RgbPixels } from '../engine/types.js';
import { HttpError } from './http-error.js';

export interface ImageLimits {
  /** Largest accepted image, in pixels (width x height as declared by the file). */
  maxPixels: number;
  /** The longer side the server analyses; larger photos are scaled down first. */
  analysisSide: number;
}

export type ImageFormat = 'jpeg' | 'png' | 'webp';

/**
 * The format from the first bytes, never from a file name or a Content-Type the client chose:
 * JPEG (FF D8 FF), PNG (89 50 4E 47 0D 0A 1A 0A) and WebP (RIFF....WEBP). Anything else is refused.
 */
export function sniffImage(bytes: Uint8Array): ImageFormat | null {
  const at = (i: number, ...v: number[]) => v.every((b, k) => bytes[i + k] === b);
  if (bytes.length >= 3 && at(0, 0xff, 0xd8, 0xff)) return 'jpeg';
  if (bytes.length >= 8 && at(0, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'png';
  if (bytes.length >= 12 && at(0, 0x52, 0x49, 0x46, 0x46) && at(8, 0x57, 0x45, 0x42, 0x50)) return 'webp';
  return null;
}

/**
 * Checks and decodes an uploaded photo: sniffed format (415), declared size within the pixel
 * limit before any pixel is decoded (422, so a small file declaring a huge image costs nothing),
 * a full decode that fails on truncation (422), EXIF orientation applied, alpha dropped, sRGB,
 * and scaled so the longer side is at most `analysisSide`. Decoding runs on sharp's thread pool,
 * not on the event loop.
 */
export async function decodeUpload(
  bytes: Uint8Array,
  limits: ImageLimits,
): Promise<RgbPixels & { format: ImageFormat; original: { width: number; height: number } }> {
  if (bytes.length === 0) throw new HttpError(422, 'the upload is empty');
  const format = sniffImage(bytes);
  if (format === null) throw new HttpError(415, 'not an image: only JPEG, PNG and WebP photos are accepted (the content is checked, not the file name)');
  let meta: Metadata;
  try {
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch (e) {
    throw new HttpError(422, `the ${format.toUpperCase()} file is corrupt: ${(e as Error).message}`);
  }
  const { width, height } = meta;
  if (!width || !height) throw new HttpError(422, `the ${format.toUpperCase()} file declares no image size`);
  if (width * height > limits.maxPixels)
    throw new HttpError(422, `the image is too large: ${width}x${height} = ${width * height} pixels, the limit is ${limits.maxPixels}`);
  try {
    const { data, info } = await sharp(bytes, { failOn: 'truncated', limitInputPixels: limits.maxPixels })
      .rotate()
      .resize({ width: limits.analysisSide, height: limits.analysisSide, fit: 'inside', withoutEnlargement: true })
      .removeAlpha()
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`${info.channels} channels after conversion`);
    const oriented = (meta.orientation ?? 1) >= 5;
    return {
      data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
      width: info.width,
      height: info.height,
      format,
      original: oriented ? { width: height, height: width } : { width, height },
    };
  } catch (e) {
    throw new HttpError(422, `the ${format.toUpperCase()} file is corrupt or truncated: ${(e as Error).message}`);
  }
}
