/**
 * Trains a face classifier head on face descriptors with @aiffel/face-embed and reports it on
 * held-out photos. Data: a folder with one sub-folder of photos per class (--data); by default
 * the identities of ../shared/data/faces/face_recognition when present, else a built-in task on
 * the faces of the @vladmandic/face-api sample photos.
 * Usage: node dist/main.js [--data DIR] [--copies 8] [--hidden 0] [--out DIR]
 */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCli } from '@aiffel/example-kit';
import { embedLabelledFolder, FaceClassifier, FaceEmbedder, type LabelledSample, listFaceImages } from '@aiffel/face-embed';
import { ProgressBar } from '@aiffel/runtime';
import { sampleFaceTask, splitByPhoto } from './samples.js';

const cli = parseCli({
  name: 'face-classifier',
  usage: 'usage: npm run example -- face-classifier [--data DIR] [--copies 8] [--hidden 0] [--out DIR]',
  options: { data: { type: 'string' }, copies: { type: 'string' }, hidden: { type: 'string' }, out: { type: 'string' } },
});
const values = cli.values;
const copies = cli.int('copies', 0, 1000, 8);
const hidden = cli.int('hidden', 0, 4096, 0);
const out = resolve(values.out ?? 'out');
mkdirSync(out, { recursive: true });

const shared = fileURLToPath(new URL('../../../../shared/data/faces/face_recognition', import.meta.url));
const dataDir = values.data ? resolve(values.data) : existsSync(shared) ? shared : undefined;
if (values.data !== undefined && !(existsSync(dataDir as string) && statSync(dataDir as string).isDirectory()))
  cli.dataError(new Error(`--data: ${values.data} is not a folder (expected one sub-folder of photos per class)`));
const augment = { copies, rotation: 10, flip: true, brightness: 0.2, shear: 0.1 };
const embedder = await FaceEmbedder.load();
const t0 = performance.now();
let train: LabelledSample[];
let test: LabelledSample[];
let source: string;
if (dataDir) {
  // Folders named with a leading underscore (../shared/data/faces keeps group photos in _multi) are not classes.
  const include = (label: string) => !label.startsWith('_');
  const total = (await cli.attemptAsync(() => listFaceImages(dataDir))).filter((f) => include(f.name)).length;
  const bar = new ProgressBar({ total: Math.max(total, 1), label: 'embedding' });
  const folder = await cli.attemptAsync(() =>
    embedLabelledFolder(embedder, dataDir, { augment, include, onProgress: (done, _t, file) => bar.update(done, file) }),
  );
  for (const s of folder.skipped) console.log(`skipped ${s.file}: ${s.reason}`);
  const split = splitByPhoto(folder.samples);
  if (split.dropped.length) console.log(`classes with a single photo, left out: ${split.dropped.join(', ')}`);
  ({ train, test } = split);
  source = dataDir;
} else {
  console.log('no data folder: built-in task on the faces of the @vladmandic/face-api sample photos');
  ({ train, test } = await sampleFaceTask(embedder, augment));
  source = 'built-in sample faces';
}
embedder.dispose();
const embedSeconds = (performance.now() - t0) / 1000;

// Augmented copies train; the held-out photos are never augmented into the training set.
const x = train.flatMap((s) => [s.descriptor, ...s.augmented]);
const labels = train.flatMap((s) => Array(1 + s.augmented.length).fill(s.label) as string[]);
console.log(`train: ${train.length} photos (${x.length} descriptors with augmentation), test: ${test.length} photos, ${new Set(labels).size} classes`);
const t1 = performance.now();
const clf = await new FaceClassifier({ hidden, seed: 0 }).fit(x, labels);
const trainSeconds = (performance.now() - t1) / 1000;
const report = clf.evaluate(
  test.map((s) => s.descriptor),
  test.map((s) => s.label),
);
console.log(`\nstopped after ${clf.history.length} epochs in ${trainSeconds.toFixed(2)} s`);
console.log('class                      precision  recall  support');
for (const c of report.perClass) console.log(`${c.label.padEnd(26)} ${c.precision.toFixed(3)}      ${c.recall.toFixed(3)}   ${c.support}`);
console.log(`held-out accuracy: ${(report.accuracy * 100).toFixed(1)}%`);
const modelPath = join(out, 'face-classifier.json');
await clf.save(modelPath);
console.log(`saved ${modelPath}`);
console.log(
  JSON.stringify({
    example: 'face-classifier',
    source,
    classes: clf.classes.length,
    train_photos: train.length,
    train_descriptors: x.length,
    test_photos: test.length,
    epochs: clf.history.length,
    accuracy: report.accuracy,
    macro_recall: report.perClass.reduce((s, c) => s + c.recall, 0) / report.perClass.length,
    embed_seconds: Number(embedSeconds.toFixed(2)),
    train_seconds: Number(trainSeconds.toFixed(3)),
  }),
);
