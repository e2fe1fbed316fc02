/**
 * "Which face do I look like?" with @aiffel/face-embed: builds a gallery from a folder (or, by
 * default, every face in the six sample photos of the @vladmandic/face-api package), queries it
 * with a photo, prints the top 5 with distances and same-person probabilities, and writes a
 * contact sheet, PCA and t-SNE maps of the gallery and a TensorFlow Projector folder.
 * With --data (../shared/data/faces) it also measures identification and verification quality.
 * With --per-person best|mean it ranks people instead of photos (one line per identity, with how
 * many photos each has), so several photos of one person do not fill the top k.
 */
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { parseCli } from '@aiffel/example-kit';
import {
  addFolder,
  contactSheet,
  defaultCalibration,
  exportProjector,
  FaceEmbedder,
  FaceGallery,
  galleryMapPng,
  galleryMapSvg,
  listFaceImages,
} from '@aiffel/face-embed';
import { ProgressBar } from '@aiffel/runtime';
import sharp from 'sharp';
import { evaluate, type Quality } from './evaluate.js';
import { readManifest, samplePhotos } from './sources.js';

const USAGE = 'usage: npm run example -- lookalike [--gallery DIR | --data DIR] [--query FILE] [--k N] [--per-person best|mean] [--out DIR]';
const cli = parseCli({
  name: 'lookalike',
  usage: USAGE,
  options: {
    gallery: { type: 'string' },
    query: { type: 'string' },
    data: { type: 'string' },
    k: { type: 'string' },
    'per-person': { type: 'string' },
    out: { type: 'string' },
  },
});
const values = cli.values;
const k = cli.int('k', 1, 10_000, 5);
const perPerson = values['per-person'] === undefined ? undefined : cli.choice('per-person', ['best', 'mean'], 'best');
if (values.gallery !== undefined && values.data !== undefined) cli.fail('--gallery and --data exclude each other');
const out = resolve(values.out ?? 'out');
mkdirSync(out, { recursive: true });

const embedder = await FaceEmbedder.load();
const gallery = new FaceGallery({ calibration: defaultCalibration() });
/** Where each entry's picture is, for the contact sheet and the sprite. */
const source = new Map<number, { image: string; box?: { x: number; y: number; width: number; height: number } }>();
const t0 = performance.now();

const galleryDir = values.gallery;
if (galleryDir) {
  if (!existsSync(galleryDir) || !statSync(galleryDir).isDirectory()) cli.dataError(new Error(`--gallery: ${galleryDir} is not a folder`));
  const bar = new ProgressBar({ total: (await listFaceImages(resolve(galleryDir))).length, label: 'gallery' });
  const report = await addFolder(gallery, embedder, resolve(galleryDir), { onProgress: (done, _total, file) => bar.update(done, file) });
  for (let i = 0; i < gallery.size; i++) {
    const e = gallery.entryAt(i);
    source.set(e.id, { image: join(resolve(galleryDir), String(e.meta?.file)), box: e.meta?.box as never });
  }
  for (const s of report.skipped) console.log(`skipped ${s.file}: ${s.reason}`);
  for (const s of report.several) console.log(`${s.file}: ${s.faces} faces, the largest was used`);
} else if (values.data) {
  // The labelled single-face photos of the data folder, named by identity.
  const dir = resolve(values.data);
  for (const row of cli.attempt(() => readManifest(dir)).filter((r) => r.faces === 'single' && r.identity)) {
    const res = await embedder.embedLargest(join(dir, row.file));
    if (!res.face) {
      console.log(`skipped ${row.file}: no face`);
      continue;
    }
    const id = gallery.add(row.identity, res.face.descriptor, { file: row.file, box: res.face.box });
    source.set(id, { image: join(dir, row.file), box: res.face.box });
  }
} else {
  // Every face of every sample photo is its own entry: "sample3 #2" is the second face found.
  for (const photo of samplePhotos()) {
    const faces = await embedder.embedAll(photo);
    faces.forEach((f, i) => {
      const id = gallery.add(`${basename(photo, '.jpg')} #${i + 1}`, f.descriptor, { file: photo, box: f.box });
      source.set(id, { image: photo, box: f.box });
    });
  }
}
const buildMs = performance.now() - t0;
console.log(`gallery: ${gallery.size} faces in ${(buildMs / 1000).toFixed(1)} s`);

// The default query is the first sample photo mirrored and brightened: its faces are in the
// gallery, so the nearest match shows what "the same face" looks like in distance terms.
const queryImage: string | Buffer = values.query
  ? resolve(values.query)
  : await sharp(samplePhotos()[0] as string)
      .rotate()
      .flop()
      .modulate({ brightness: 1.15 })
      .jpeg()
      .toBuffer();
if (values.query !== undefined && !existsSync(queryImage as string)) cli.dataError(new Error(`--query: ${values.query} does not exist`));
const query = await embedder.embedLargest(queryImage).catch(cli.dataError);
const queryFace = query.face ?? cli.dataError(new Error(`--query: no face found in ${values.query ?? 'the default query'}`));
if (query.status === 'several') console.log(`query: ${query.faces.length} faces, using the largest`);
const t1 = performance.now();
const hits = gallery.search(queryFace.descriptor, { k: Math.min(k, gallery.size) });
const searchMs = performance.now() - t1;
console.log('\nrank  name                          distance  p(same)');
for (const h of hits) console.log(`${String(h.rank).padEnd(5)} ${h.name.padEnd(29)} ${h.distance.toFixed(4)}    ${(h.probability ?? 0).toFixed(3)}`);
const people = perPerson ? gallery.searchPeople(queryFace.descriptor, { k, by: perPerson }) : undefined;
if (people) {
  console.log(`\nper person (${perPerson === 'best' ? 'nearest photo' : 'mean over every photo'}):`);
  console.log('rank  name                          distance  photos  nearest photo');
  for (const p of people)
    console.log(
      `${String(p.rank).padEnd(5)} ${p.name.padEnd(29)} ${p.distance.toFixed(4)}    ${String(p.photos).padEnd(7)} ${String(p.nearest.meta?.file ?? p.nearest.id)} (rank ${p.nearest.rank})`,
    );
}

writeFileSync(
  join(out, 'contact-sheet.png'),
  await contactSheet(
    { image: queryImage, box: queryFace.box, label: values.query ? basename(values.query) : 'query (mirrored sample1)' },
    hits.map((h) => ({ ...(source.get(h.id) as { image: string }), label: h.name, detail: `d=${h.distance.toFixed(3)}` })),
  ),
);
if (gallery.size >= 3) {
  writeFileSync(join(out, 'gallery-pca.svg'), await galleryMapSvg(gallery, { method: 'pca' }));
  writeFileSync(join(out, 'gallery-tsne.png'), await galleryMapPng(gallery, { method: 'tsne' }));
}
await exportProjector(gallery, join(out, 'projector'), { thumbnail: (i) => source.get(gallery.entryAt(i).id) });
console.log(`\nwrote ${join(out, 'contact-sheet.png')}, gallery maps and ${join(out, 'projector')}`);

let quality: Quality | undefined;
if (values.data) {
  const dir = resolve(values.data);
  quality = await evaluate(embedder, dir, readManifest(dir), gallery);
  console.log(`\nleave-one-out top-1: ${(quality.loo_top1 * 100).toFixed(1)}% of ${quality.loo_queries} queries`);
  console.log(
    `verification at 0.6: ${(quality.verification_accuracy_at_0_6 * 100).toFixed(1)}% of ${quality.pairs} pairs; EER ${(quality.eer * 100).toFixed(2)}% at ${quality.eer_threshold.toFixed(3)}; AUC ${quality.auc.toFixed(4)}`,
  );
  console.log(`group photos: ${quality.group_faces_found}/${quality.group_faces_expected} faces detected, ${quality.group_identified} identified`);
}
embedder.dispose();
console.log(
  JSON.stringify({
    example: 'lookalike',
    gallery_size: gallery.size,
    build_seconds: Number((buildMs / 1000).toFixed(2)),
    search_ms: Number(searchMs.toFixed(3)),
    top: hits.map((h) => ({ name: h.name, distance: Number(h.distance.toFixed(4)) })),
    ...(people && {
      per_person: people.map((p) => ({ name: p.name, distance: Number(p.distance.toFixed(4)), photos: p.photos, nearest_rank: p.nearest.rank })),
    }),
    ...(quality ?? {}),
  }),
);
