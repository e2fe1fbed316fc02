/**
 * Portrait mode, end to end: for each photo, segment the person, and write one PNG with the mask,
 * the colour overlay, the exercise's naive composite (whole-image 13x13 box blur pasted under a
 * thresholded mask: note the halo) and ours (mask-weighted blur, soft alpha). With --data
 * (../shared/data/portrait) it also scores the masks against the ground truth.
 * Usage: node dist/main.js [--data DIR] [--out DIR] [--model selfie|landscape] [--fit stretch|letterbox]
 *        [--refine none|guided] [--guide colour|grey] [--limit N]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { decodeImage, encodeImage, ProgressBar } from '@aiffel/runtime';
import {
  type BuiltinModel,
  blurBackground,
  boundaryFScore,
  type FitMode,
  maskIoU,
  naivePortrait,
  overlay,
  type RefineOptions,
  Segmenter,
  toMask,
} from '@aiffel/segment-blur';
import { sideBySide } from './panels.js';
import { datasetPhotos, defaultPhotos } from './sources.js';

const { values } = parseArgs({
  options: {
    data: { type: 'string' },
    out: { type: 'string', default: 'out' },
    model: { type: 'string', default: 'selfie' },
    fit: { type: 'string', default: 'stretch' },
    refine: { type: 'string', default: 'none' },
    guide: { type: 'string', default: 'colour' },
    limit: { type: 'string' },
  },
});
const photos = values.data ? datasetPhotos(resolve(values.data)) : defaultPhotos();
const limit = values.limit === undefined ? photos.length : Number(values.limit);
if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`--limit must be a positive integer, got ${values.limit}`);
if (!['none', 'guided'].includes(values.refine as string)) throw new RangeError(`--refine must be none or guided, got ${values.refine}`);
if (!['colour', 'grey'].includes(values.guide as string)) throw new RangeError(`--guide must be colour or grey, got ${values.guide}`);
const refine: RefineOptions = values.refine === 'guided' ? { edges: 'guided', guided: { guide: values.guide as 'colour' | 'grey' } } : {};
const out = resolve(values.out as string);
mkdirSync(out, { recursive: true });

const segmenter = await Segmenter.load({ model: values.model as BuiltinModel });
const bar = new ProgressBar({ total: Math.min(limit, photos.length), label: 'portrait' });
const scores: { id: string; iou: number; boundary_f: number }[] = [];
let ms = 0;
for (const photo of photos.slice(0, limit)) {
  const t0 = performance.now();
  const seg = await segmenter.segment(photo.image, { fit: values.fit as FitMode, refine });
  const ours = blurBackground(seg.image, seg.mask, { mode: 'box', radius: 6 });
  ms += performance.now() - t0;
  const maskImage = { data: Uint8Array.from(seg.mask.data, (v) => Math.round(v * 255)), shape: [seg.mask.height, seg.mask.width, 1] as const };
  const panels = [
    { title: 'mask', image: await decodeImage(await encodeImage(maskImage), { channels: 3 }) },
    { title: 'overlay', image: overlay(seg.image, seg.mask) },
    { title: 'exercise (halo)', image: naivePortrait(seg.image, seg.mask, 6) },
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
    data: values.data ?? 'face-api sample photos',
    model: values.model,
    fit: values.fit,
    refine: values.refine === 'guided' ? `guided (${values.guide})` : 'none',
    photos: n,
    ms_per_photo: Number((ms / n).toFixed(1)),
    mean_iou: mean('iou'),
    mean_boundary_f: mean('boundary_f'),
  }),
);
