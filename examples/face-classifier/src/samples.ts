import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { AugmentOptions, FaceEmbedder, LabelledSample } from '@aiffel/face-embed';
import sharp from 'sharp';

/**
 * The built-in task when no data folder is there: every face of two sample photos in the
 * @vladmandic/face-api package is a class ("sample1 #2"); each face's photo region gives one
 * training sample with augmented copies, and a test sample from the mirrored photo with copies
 * drawn from a different seed. Small and clearly synthetic, but every number is real.
 */
export async function sampleFaceTask(embedder: FaceEmbedder, augment: AugmentOptions): Promise<{ train: LabelledSample[]; test: LabelledSample[] }> {
  const require = createRequire(import.meta.url);
  const demo = join(dirname(require.resolve('@vladmandic/face-api/package.json')), 'demo');
  const train: LabelledSample[] = [];
  const test: LabelledSample[] = [];
  for (const name of ['sample1', 'sample6']) {
    const file = join(demo, `${name}.jpg`);
    const faces = await embedder.detector.detectAll(file);
    const { data, info } = await sharp(file).rotate().raw().toBuffer({ resolveWithObject: true });
    for (const [i, f] of faces.entries()) {
      const side = Math.round(Math.max(f.box.width, f.box.height) * 2);
      const left = Math.max(0, Math.round(f.box.x + f.box.width / 2 - side / 2));
      const top = Math.max(0, Math.round(f.box.y + f.box.height / 2 - side / 2));
      const crop = sharp(data, { raw: info }).extract({ left, top, width: Math.min(side, info.width - left), height: Math.min(side, info.height - top) });
      const plain = await crop.clone().png().toBuffer();
      const mirrored = await crop.clone().flop().png().toBuffer();
      const label = `${name} #${i + 1}`;
      const a = await embedder.embedAugmented(plain, { ...augment, seed: 1 });
      const b = await embedder.embedAugmented(mirrored, { ...augment, copies: Math.max(1, Math.floor((augment.copies ?? 4) / 2)), seed: 2 });
      const [p, ...augA] = a.descriptors;
      if (p) train.push({ file: `${label} (crop)`, label, descriptor: p, augmented: augA });
      for (const [j, d] of b.descriptors.entries())
        test.push({ file: `${label} (mirrored, ${j === 0 ? 'plain' : `augmented ${j}`})`, label, descriptor: d, augmented: [] });
    }
  }
  return { train, test };
}

/** Holds out the last photo of every class with at least two photos; classes with one are dropped. */
export function splitByPhoto(samples: LabelledSample[]): { train: LabelledSample[]; test: LabelledSample[]; dropped: string[] } {
  const byLabel = new Map<string, LabelledSample[]>();
  for (const s of samples) byLabel.set(s.label, [...(byLabel.get(s.label) ?? []), s]);
  const train: LabelledSample[] = [];
  const test: LabelledSample[] = [];
  const dropped: string[] = [];
  for (const [label, list] of byLabel) {
    if (list.length < 2) {
      dropped.push(label);
      continue;
    }
    train.push(...list.slice(0, -1));
    test.push(list.at(-1) as LabelledSample);
  }
  return { train, test, dropped };
}
