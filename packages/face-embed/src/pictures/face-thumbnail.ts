import { decodeImage, type ImageInput, resizeImage } from '@aiffel/runtime';
import type { Box } from '../detect/face.js';

/**
 * A square RGB thumbnail of a face: the box grown by `margin` on each side (clipped to the
 * image), resized to `size` x `size`. Without a box, the whole image is letterboxed.
 */
export async function faceThumbnail(image: ImageInput, box: Box | undefined, size: number, margin = 0.25): Promise<Uint8Array> {
  const img = await decodeImage(image, { channels: 3 });
  let src = img;
  if (box !== undefined) {
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
