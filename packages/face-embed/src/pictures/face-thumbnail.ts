import { assertIntegerInRange, decodeImage, type ImageInput, rangeError, resizeImage } from '@aiffel/runtime';
import type { Box } from '../detect/face.js';

/**
 * A square RGB thumbnail of a face: the box grown by `margin` on each side (clipped to the
 * image), resized to `size` x `size`. Without a box, the whole image is letterboxed.
 */
export async function faceThumbnail(image: ImageInput, box: Box | undefined, size: number, margin = 0.25): Promise<Uint8Array> {
  assertIntegerInRange('size', size, 1, 4096);
  if (typeof margin !== 'number' || !Number.isFinite(margin) || margin < 0 || margin > 10) throw rangeError('margin', 'a number in [0, 10]', margin);
  if (box !== undefined) {
    const fields = [box?.x, box?.y, box?.width, box?.height];
    if (!fields.every((v) => typeof v === 'number' && Number.isFinite(v)) || !(box.width > 0 && box.height > 0))
      throw rangeError(
        'box',
        '{ x, y, width, height } with finite numbers and a positive size',
        box === null || typeof box !== 'object' ? box : fields.join(', '),
      );
  }
  const img = await decodeImage(image, { channels: 3 });
  let src = img;
  if (box !== undefined) {
    // A box that misses the image would come out as a plain grey square, looking like a
    // thumbnail of nothing: say so instead.
    if (box.x >= img.width || box.y >= img.height || box.x + box.width <= 0 || box.y + box.height <= 0)
      throw rangeError('box', `a box overlapping the ${img.width}x${img.height} image`, `${box.width}x${box.height} at (${box.x}, ${box.y})`);
    const side = Math.max(box.width, box.height) * (1 + 2 * margin);
    const cx = box.x + box.width / 2;
    const cy = box.y + box.height / 2;
    const x0 = Math.max(0, Math.round(cx - side / 2));
    const y0 = Math.max(0, Math.round(cy - side / 2));
    const x1 = Math.min(img.width, Math.round(cx + side / 2));
    const y1 = Math.min(img.height, Math.round(cy + side / 2));
    const w = Math.max(1, x1 - x0);
    const h = Math.max(1, y1 - y0);
    const data = new Uint8Array(w * h * 3);
    for (let y = 0; y < h; y++) data.set(img.data.subarray(((y0 + y) * img.width + x0) * 3, ((y0 + y) * img.width + x0 + w) * 3), y * w * 3);
    src = { data, width: w, height: h, channels: 3, shape: [h, w, 3] };
  }
  const out = await resizeImage(src, { width: size, height: size, fit: 'contain', background: { r: 32, g: 32, b: 32 } });
  return out.data;
}
