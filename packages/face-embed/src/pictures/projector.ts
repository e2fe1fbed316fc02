import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type ImageInput, rangeError, typeError } from '@aiffel/runtime';
import sharp, { type OverlayOptions } from 'sharp';
import type { Box } from '../detect/face.js';
import type { FaceGallery } from '../gallery/face-gallery.js';
import { faceThumbnail } from './face-thumbnail.js';

export interface ProjectorOptions {
  /**
   * Where each entry's face picture comes from, for the sprite (entry position -> image and box).
   * Without it no sprite is written.
   */
  thumbnail?: (position: number) => { image: ImageInput; box?: Box } | undefined;
  /** Sprite cell side. Default 64. */
  cell?: number;
}

/** Removes what would break a TSV cell. */
function cell(s: string): string {
  return s.replace(/[\t\r\n]/g, ' ');
}

/**
 * Writes a TensorFlow Embedding Projector folder: `vectors.tsv`, `metadata.tsv` (name and file),
 * `projector_config.pbtxt` and, with `thumbnail`, a `sprite.png` of the faces. Load it at
 * projector.tensorflow.org ("Load") or point TensorBoard's projector plugin at the folder.
 */
export async function exportProjector(gallery: FaceGallery, dir: string, options: ProjectorOptions = {}): Promise<string[]> {
  if (typeof dir !== 'string' || dir.length === 0) throw typeError('dir', 'a folder path', dir);
  if (gallery.size === 0) throw rangeError('gallery.size', 'at least one entry', 0);
  const size = options.cell ?? 64;
  if (!Number.isInteger(size) || size < 8 || size > 256) throw rangeError('options.cell', 'an integer in 8..256', size);
  await mkdir(dir, { recursive: true });
  const n = gallery.size;
  const vectors: string[] = [];
  const meta: string[] = ['name\tfile'];
  for (let i = 0; i < n; i++) {
    vectors.push(Array.from(gallery.descriptorAt(i), (v) => v.toPrecision(7)).join('\t'));
    const e = gallery.entryAt(i);
    meta.push(`${cell(e.name)}\t${cell(String(e.meta?.file ?? ''))}`);
  }
  const written = ['vectors.tsv', 'metadata.tsv', 'projector_config.pbtxt'];
  await writeFile(join(dir, 'vectors.tsv'), `${vectors.join('\n')}\n`);
  await writeFile(join(dir, 'metadata.tsv'), `${meta.join('\n')}\n`);
  let config = 'embeddings {\n  tensor_path: "vectors.tsv"\n  metadata_path: "metadata.tsv"\n';
  if (options.thumbnail) {
    // The projector wants a square grid of equal cells in entry order.
    const grid = Math.ceil(Math.sqrt(n));
    const tiles: OverlayOptions[] = [];
    for (let i = 0; i < n; i++) {
      const src = options.thumbnail(i);
      if (src === undefined) continue;
      const data = await faceThumbnail(src.image, src.box, size);
      tiles.push({
        input: Buffer.from(data.buffer, data.byteOffset, data.byteLength),
        raw: { width: size, height: size, channels: 3 },
        left: (i % grid) * size,
        top: Math.floor(i / grid) * size,
      });
    }
    const png = await sharp({ create: { width: grid * size, height: grid * size, channels: 3, background: { r: 0, g: 0, b: 0 } } })
      .composite(tiles)
      .png()
      .toBuffer();
    await writeFile(join(dir, 'sprite.png'), png);
    written.push('sprite.png');
    config += `  sprite {\n    image_path: "sprite.png"\n    single_image_dim: ${size}\n    single_image_dim: ${size}\n  }\n`;
  }
  await writeFile(join(dir, 'projector_config.pbtxt'), `${config}}\n`);
  return written;
}
