import { DEFAULT_MAX_PIXELS, decodeImage, type ImageInput, resizeImage } from '@aiffel/runtime';
import type { RgbImage } from './warp.js';

/** Decodes any accepted image input to 8-bit RGB (EXIF orientation applied). */
export async function decodeRgb(input: ImageInput, maxPixels = DEFAULT_MAX_PIXELS): Promise<RgbImage> {
  if (input === null || input === undefined) throw new TypeError(`image must be a file path, Buffer, image array or tensor, got ${String(input)}`);
  const img = await decodeImage(input, { channels: 3, maxPixels });
  return { data: img.data, width: img.width, height: img.height };
}

/**
 * The image scaled (area-correct, by sharp) so its longer side is `size`, placed in the top-left
 * corner of a black `size` x `size` square: the detector's input, with the scale to map back.
 */
export async function letterboxTopLeft(img: RgbImage, size: number): Promise<{ pixels: Uint8Array; scale: number }> {
  const scale = size / Math.max(img.width, img.height);
  const w = Math.max(1, Math.min(size, Math.round(img.width * scale)));
  const h = Math.max(1, Math.min(size, Math.round(img.height * scale)));
  const resized = await resizeImage(
    { data: img.data, width: img.width, height: img.height, channels: 3, shape: [img.height, img.width, 3] },
    { width: w, height: h, kernel: 'linear' },
  );
  const pixels = new Uint8Array(size * size * 3);
  for (let y = 0; y < h; y++) pixels.set(resized.data.subarray(y * w * 3, (y + 1) * w * 3), y * size * 3);
  return { pixels, scale };
}
