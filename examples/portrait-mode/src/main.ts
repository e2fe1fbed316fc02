/**
 * Portrait mode, end to end: for each photo, segment the person, and write one PNG with the mask,
 * the colour overlay, the exercise's composite exactly as its code ran (person blacked out of a
 * copy, 13x13 box blur, pasted back: a dark shadow at the edge), the common naive one (whole photo
 * blurred: a bright halo) and ours (mask-weighted blur, soft alpha). With --data
 * (../shared/data/portrait) it also scores the masks against the ground truth; with --semantic a
 * user's per-class model (DeepLab-style) picks the --classes to keep sharp.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseCli } from '@aiffel/example-kit';
import { decodeImage, encodeImage, ProgressBar } from '@aiffel/runtime';
import {
  blurBackground,
  boundaryFScore,
  exercisePortrait,
  type FitMode,
  type Mask,
  maskIoU,
  naivePortrait,
  overlay,
  type RefineOptions,
  Segmenter,
  SemanticSegmenter,
  toMask,
} from '@aiffel/segment-blur';
import { sideBySide } from './panels.js';
import { datasetPhotos, defaultPhotos } from './sources.js';

const USAGE =
  'usage: npm run example -- portrait-mode [--data DIR] [--out DIR] [--model selfie|landscape | --semantic MODEL [--classes a,b] [--labels l1,l2,...] [--normalize none|unit|symmetric]] [--fit stretch|letterbox] [--refine none|guided] [--guide colour|grey] [--limit N]';
const cli = parseCli({
  name: 'portrait-mode',
  usage: USAGE,
  options: {
    data: { type: 'string' },
    out: { type: 'string' },
    model: { type: 'string' },
    semantic: { type: 'string' },
    classes: { type: 'string' },
    labels: { type: 'string' },
    normalize: { type: 'string' },
    fit: { type: 'string' },
    refine: { type: 'string' },
    guide: { type: 'string' },
    limit: { type: 'string' },
  },
});
const v = cli.values;
const model = cli.choice('model', ['selfie', 'landscape'], 'selfie');
const fit = cli.choice('fit', ['stretch', 'letterbox'], 'stretch') as FitMode;
const refineMode = cli.choice('refine', ['none', 'guided'], 'none');
const guide = cli.choice('guide', ['colour', 'grey'], 'colour');
const normalize = cli.choice('normalize', ['none', 'unit', 'symmetric'], 'none');
const limit = cli.int('limit', 1, 1_000_000, Number.MAX_SAFE_INTEGER);
const list = (s: string | undefined) =>
  s
    ?.split(',')
    .map((c) => c.trim())
    .filter((c) => c !== '');
const classes = list(v.classes) ?? ['person'];
if (v.semantic === undefined) for (const flag of ['classes', 'labels', 'normalize'] as const) if (v[flag] !== undefined) cli.fail(`--${flag} needs --semantic`);
if (v.semantic !== undefined && v.model !== undefined) cli.fail('--model and --semantic exclude each other');
const photos = cli.attempt(() => (v.data ? datasetPhotos(resolve(v.data)) : defaultPhotos()));
const refine: RefineOptions = refineMode === 'guided' ? { edges: 'guided', guided: { guide } } : {};
const out = resolve(v.out ?? 'out');
mkdirSync(out, { recursive: true });

/** One segment() for both kinds of model: the built-in person segmenter, or a per-class one keeping `classes`. */
async function loadSegmenter(): Promise<{
  segment(image: Parameters<Segmenter['segment']>[0]): Promise<{ image: Awaited<ReturnType<Segmenter['segment']>>['image']; mask: Mask }>;
  dispose(): void;
}> {
  if (v.semantic === undefined) {
    const s = await Segmenter.load({ model });
    return { segment: (image) => s.segment(image, { fit, refine }), dispose: () => s.dispose() };
  }
  const labels = list(v.labels);
  const s = await SemanticSegmenter.load({ model: v.semantic, normalize, ...(labels && { labels }) });
  s.classIndices(classes); // an unknown class fails here, before any photo
  return { segment: (image) => s.segment(image, { classes, fit }), dispose: () => {} };
}
const segmenter = await loadSegmenter().catch(cli.dataError);
const bar = new ProgressBar({ total: Math.min(limit, photos.length), label: 'portrait' });
const scores: { id: string; iou: number; boundary_f: number }[] = [];
let ms = 0;
for (const photo of photos.slice(0, limit)) {
  const t0 = performance.now();
  const seg = await segmenter.segment(photo.image);
  const ours = blurBackground(seg.image, seg.mask, { mode: 'box', radius: 6 });
  ms += performance.now() - t0;
  const maskImage = { data: Uint8Array.from(seg.mask.data, (v) => Math.round(v * 255)), shape: [seg.mask.height, seg.mask.width, 1] as const };
  const panels = [
    { title: 'mask', image: await decodeImage(await encodeImage(maskImage), { channels: 3 }) },
    { title: 'overlay', image: overlay(seg.image, seg.mask) },
    { title: 'exercise (shadow)', image: exercisePortrait(seg.image, seg.mask, 6) },
    { title: 'naive (halo)', image: naivePortrait(seg.image, seg.mask, 6) },
    { title: '@aiffel/segment-blur', image: ours },
  ];
  writeFileSync(join(out, `${photo.id}-portrait.png`), await sideBySide(panels));
  if (photo.mask) {
    const gt = await decodeImage(photo.mask, { channels: 1 });
    const truth = toMask({ data: gt.data, shape: [gt.height, gt.width] });
    scores.push({ id: photo.id, iou: maskIoU(seg.mask, truth), boundary_f: boundaryFScore(seg.mask, truth).f });
  }
  bar.tick(1, photo.id);
}
segmenter.dispose();

const n = Math.min(limit, photos.length);
const mean = (k: 'iou' | 'boundary_f') => (scores.length ? scores.reduce((s, r) => s + r[k], 0) / scores.length : null);
if (scores.length) {
  console.log('photo   IoU    boundary F');
  for (const s of scores) console.log(`${s.id.padEnd(7)} ${s.iou.toFixed(3)}  ${s.boundary_f.toFixed(3)}`);
  console.log(`mean    ${mean('iou')?.toFixed(3)}  ${mean('boundary_f')?.toFixed(3)}`);
}
console.log(`${n} photos, side-by-side PNGs in ${out}`);
console.log(
  JSON.stringify({
    example: 'portrait-mode',
    data: v.data ?? 'face-api sample photos',
    model: v.semantic === undefined ? model : `semantic ${v.semantic} (${classes.join(', ')})`,
    fit,
    refine: refineMode === 'guided' ? `guided (${guide})` : 'none',
    photos: n,
    ms_per_photo: Number((ms / n).toFixed(1)),
    mean_iou: mean('iou'),
    mean_boundary_f: mean('boundary_f'),
  }),
);
