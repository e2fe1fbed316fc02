/**
 * @aiffel/segment-blur against OpenCV (Debian python3-opencv), same run, same 1920x1280 JPEG and
 * the same 256x256 model mask: (a) the exercise's post-processing (mask upsample, threshold,
 * 13x13 box blur, composite) and our halo-free variant; (b) end to end per image (decode, segment,
 * blur, encode JPEG); (c) peak RSS. The photo is a real portrait from ../shared/data/portrait
 * upscaled to 1920x1280 (written to a temp folder, not kept). Headline: postprocess_ms.
 * Usage: npm run bench -- portrait [reps]   (default 15)
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeImage, encodeImage } from '@aiffel/runtime';
import { blurBackground, maskToUint8, naivePortrait, portrait, resizeMask, Segmenter } from '@aiffel/segment-blur';
import sharp from 'sharp';
import { BENCH_DIR, fmt, report, runPythonPeer, time } from './harness.js';

const reps = Number(process.argv[2] ?? 15);
const source = join(BENCH_DIR, '..', '..', 'shared', 'data', 'portrait', 'images', '264.jpg');
if (!existsSync(source)) {
  console.error(`needs ${source} (../shared/data/portrait)`);
  process.exit(1);
}
const dir = mkdtempSync(join(tmpdir(), 'portrait-bench-'));
const photoPath = join(dir, 'photo-1920x1280.jpg');
const jpeg = await sharp(source).resize(1920, 1280, { fit: 'fill' }).jpeg({ quality: 92 }).toBuffer();
writeFileSync(photoPath, jpeg);

let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 5);

const segmenter = await Segmenter.load();
const photo = await decodeImage(photoPath);
const modelMask = await segmenter.predictMask(photo);
const maskPath = join(dir, 'mask-256.png');
writeFileSync(maskPath, await encodeImage({ data: maskToUint8(modelMask), shape: [256, 256, 1] }));
// Both sides start from the same 8-bit mask file.
const mask8 = await decodeImage(maskPath, { channels: 1 });
const small = { data: Float32Array.from(mask8.data, (v) => v / 255), width: 256, height: 256 };

const naive = await time(() => naivePortrait(photo, resizeMask(small, photo.width, photo.height), 6), reps);
const weighted = await time(() => blurBackground(photo, resizeMask(small, photo.width, photo.height), { mode: 'box', radius: 6 }), reps);
const endToEnd = await time(() => portrait(jpeg, { segmenter }), Math.max(3, Math.floor(reps / 3)));
const bokeh = await time(() => portrait(jpeg, { segmenter, mode: 'disc', radius: 20 }), 3);
clearInterval(sampler);

const peer = runPythonPeer('portrait_peer.py', [photoPath, maskPath, String(reps)]);
const p = peer.ok ? (peer.result as Record<string, number>) : {};
if (!peer.ok) console.error(peer.reason);
const oursMs = naive.median * 1000;
const ratio = (a: number, b: number | undefined) => (b === undefined ? 'n/a' : fmt(a / b));
report(
  {
    bench: 'portrait',
    metric: 'postprocess_ms',
    unit: 'ms',
    better: 'lower',
    ours: Number(oursMs.toFixed(1)),
    peer: p.postprocess_ms === undefined ? null : Number(p.postprocess_ms.toFixed(1)),
    peer_name: `OpenCV ${p.opencv_version ?? '?'} + numpy (Debian python3-opencv)`,
    image: '1920x1280 JPEG',
    weighted_ms: Number((weighted.median * 1000).toFixed(1)),
    weighted_ms_opencv: p.weighted_ms === undefined ? null : Number(p.weighted_ms.toFixed(1)),
    end_to_end_ms: Number((endToEnd.median * 1000).toFixed(1)),
    end_to_end_bokeh_ms: Number((bokeh.median * 1000).toFixed(1)),
    peak_rss_mb: Math.round(peakRss / 2 ** 20),
  },
  [
    ['post-processing, exercise steps, ms', fmt(oursMs, 1), fmt(p.postprocess_ms, 1), ratio(oursMs, p.postprocess_ms)],
    ['post-processing, halo-free, ms', fmt(weighted.median * 1000, 1), fmt(p.weighted_ms, 1), ratio(weighted.median * 1000, p.weighted_ms)],
    ['end to end (decode, segment, blur, encode), ms', fmt(endToEnd.median * 1000, 0), '-', '-'],
    ['end to end with disc bokeh r=20, ms', fmt(bokeh.median * 1000, 0), '-', '-'],
    ['peak RSS, MB', String(Math.round(peakRss / 2 ** 20)), '-', '-'],
  ],
);
segmenter.dispose();
