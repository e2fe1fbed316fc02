// Fits the default calibration shipped in src/calibrate/default-calibration.ts:
//   node --import tsx packages/face-embed/scripts/calibrate.mts [../shared/data/faces] [roll|upright]
// Embeds the largest face of every single-face photo of the manifest, forms every pair, fits
// Calibration and prints its JSON plus leave-one-out top-1 accuracy.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Calibration } from '../src/calibrate/calibration.ts';
import { FaceEmbedder } from '../src/embed/face-embedder.ts';
import { distance } from '../src/gallery/face-gallery.ts';

const root = process.argv[2] ?? '../shared/data/faces';
const align = (process.argv[3] ?? 'roll') as 'roll' | 'upright';
const embedder = await FaceEmbedder.load({ align });
const rows = readFileSync(join(root, 'manifest.csv'), 'utf8')
  .trim()
  .split(/\r?\n/)
  .slice(1)
  .map((l) => l.split(','));
const items: { identity: string; file: string; d: Float32Array }[] = [];
for (const [file, identity, , faces] of rows) {
  if (faces !== '1' || !file || !identity) continue;
  const r = await embedder.embedLargest(join(root, file));
  if (r.face) items.push({ identity, file, d: r.face.descriptor });
  else console.error(`no face: ${file}`);
}
const pairs = [];
for (let i = 0; i < items.length; i++)
  for (let j = i + 1; j < items.length; j++)
    pairs.push({ distance: distance(items[i]!.d, items[j]!.d, 'l2'), same: items[i]!.identity === items[j]!.identity });
const cal = Calibration.fit(pairs, {
  source: `${items.length} single-face photos of ${new Set(items.map((i) => i.identity)).size} people in ../shared/data/faces/face_recognition, every pair (align '${align}')`,
});
let hits = 0;
let queries = 0;
for (const a of items) {
  if (items.filter((b) => b.identity === a.identity).length < 2) continue;
  queries++;
  let best: { identity: string; d: number } = { identity: '', d: Infinity };
  for (const b of items)
    if (b !== a) {
      const d = distance(a.d, b.d, 'l2');
      if (d < best.d) best = { identity: b.identity, d };
    }
  if (best.identity === a.identity) hits++;
}
console.log(JSON.stringify({ ...cal.toJSON(), looTop1: hits / queries, looQueries: queries }, null, 2));
embedder.dispose();
