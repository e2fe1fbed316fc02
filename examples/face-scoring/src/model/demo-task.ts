import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { FaceEmbedder } from '@aiffel/face-embed';
import sharp from 'sharp';
import type { TrainingPhoto } from './labelled-photos.js';

/** The six group photos that ship inside the @vladmandic/face-api npm package (MIT). */
export function samplePhotos(): string[] {
  const require = createRequire(import.meta.url);
  const dir = join(dirname(require.resolve('@vladmandic/face-api/package.json')), 'demo');
  return [1, 2, 3, 4, 5, 6].map((i) => join(dir, `sample${i}.jpg`));
}

export const DEMO_LEVELS = ['1 · youngest', '2 · younger', '3 · middle', '4 · older', '5 · oldest'];

export const DEMO_DESCRIPTION =
  'Demo model, not a real face score: the 22 faces of the face-api.js sample photos ranked into 5 levels by the age the shipped age / gender net estimates; ' +
  'a head learns that rank from frozen features. No gate (the net estimates all 22 faces female, so a gender gate would have one group): ' +
  "the group shown is the shipped net's gender. Train on your own labelled folders (DIR/<group>/<level>/*.jpg) for a real score.";

/**
 * The built-in demo task for a fresh clone (no labelled face-score data exists in the open): every
 * face of the sample photos, cropped so it is the largest face of its own training photo, labelled
 * by its apparent-age rank (five near-equal levels). The labels come from a network, not from
 * people, and the README says so.
 */
export async function demoPhotos(embedder: FaceEmbedder): Promise<TrainingPhoto[]> {
  const crops: { unit: string; image: Uint8Array; age: number }[] = [];
  for (const [p, file] of samplePhotos().entries()) {
    const faces = await embedder.embedAll(file);
    const meta = await sharp(file).metadata();
    // Boxes are in the EXIF-oriented image: swap the stored sides for the quarter-turn orientations.
    const turned = (meta.orientation ?? 1) >= 5;
    const W = (turned ? meta.height : meta.width) as number;
    const H = (turned ? meta.width : meta.height) as number;
    for (const [k, f] of faces.entries()) {
      const side = Math.max(f.box.width, f.box.height) * 3;
      const left = Math.max(0, Math.round(f.box.x + f.box.width / 2 - side / 2));
      const top = Math.max(0, Math.round(f.box.y + f.box.height / 2 - side / 2));
      const width = Math.min(W - left, Math.round(side));
      const height = Math.min(H - top, Math.round(side));
      // Small faces are scaled up so the detector (512 px input) sees them at a useful size.
      const image = await sharp(file)
        .rotate()
        .extract({ left, top, width, height })
        .resize({ width: 480, height: 480, fit: 'inside' })
        .jpeg({ quality: 92 })
        .toBuffer();
      crops.push({ unit: `sample${p + 1} #${k}`, image: new Uint8Array(image), age: f.age as number });
    }
  }
  const ranked = [...crops].sort((a, b) => a.age - b.age);
  return ranked.map((c, rank) => ({ unit: c.unit, level: DEMO_LEVELS[Math.floor((rank * DEMO_LEVELS.length) / ranked.length)] as string, image: c.image }));
}
