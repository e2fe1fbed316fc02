import { existsSync, readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';

/** One training photo: the unit a train / test split keeps whole, its group (if any) and level. */
export interface TrainingPhoto {
  unit: string;
  group?: string;
  level: string;
  image: string | Uint8Array;
}

const IMAGE_EXTENSIONS = new Set(['.jpg', '.jpeg', '.png', '.webp']);
// Folders that are not classes: hidden ones and '_'-prefixed ones (e.g. face_recognition's _multi group photos).
const skipped = (name: string) => name.startsWith('.') || name.startsWith('_');

function subfolders(dir: string): string[] {
  return readdirSync(dir)
    .filter((n) => !skipped(n) && statSync(join(dir, n)).isDirectory())
    .sort();
}
function images(dir: string): string[] {
  return readdirSync(dir)
    .filter((n) => IMAGE_EXTENSIONS.has(extname(n).toLowerCase()) && statSync(join(dir, n)).isFile())
    .sort();
}

/**
 * The photos of `DIR/<group>/<level>/*.jpg` (a gate, then one scorer per group) or
 * `DIR/<level>/*.jpg` (no gate). Folders starting with '.' or '_' are not classes.
 */
export function listLabelledPhotos(dir: string): { photos: TrainingPhoto[]; nested: boolean } {
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new Error(`--data: ${dir} is not a folder (expected DIR/<group>/<level>/*.jpg or DIR/<level>/*.jpg)`);
  const top = subfolders(dir);
  if (top.length === 0) throw new Error(`--data: ${dir} has no class folders (expected DIR/<group>/<level>/*.jpg or DIR/<level>/*.jpg)`);
  const nestedFlags = top.map((t) => subfolders(join(dir, t)).length > 0 && images(join(dir, t)).length === 0);
  const nested = nestedFlags.every(Boolean);
  if (!nested && nestedFlags.some(Boolean)) throw new Error(`--data: ${dir} mixes <group>/<level>/ folders with <level>/ folders of photos; use one layout`);
  const photos: TrainingPhoto[] = [];
  for (const a of top) {
    if (nested) {
      for (const b of subfolders(join(dir, a)))
        for (const f of images(join(dir, a, b))) photos.push({ unit: join(a, b, f), group: a, level: b, image: join(dir, a, b, f) });
    } else for (const f of images(join(dir, a))) photos.push({ unit: join(a, f), level: a, image: join(dir, a, f) });
  }
  if (photos.length === 0) throw new Error(`--data: ${dir} has no .jpg, .jpeg, .png or .webp photos in its class folders`);
  return { photos, nested };
}
