/**
 * The side-by-side picture in packages/segment-blur/README.md, drawn from a synthetic scene so
 * the repository holds no third-party photo: a bright figure in front of a dark striped wall,
 * with its exact (anti-aliased) mask. Panels: the mask, the exercise's composite (person blacked
 * out, box blur, pasted under the thresholded mask: a dark shadow), the naive one (whole-photo box
 * blur: a bright halo), ours (mask-weighted blur, soft alpha), and 3x crops of the shoulder edge
 * from all three.
 * Usage: node --import tsx src/readme-figure.ts [out.png]   (default packages/segment-blur/docs/halo.png)
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ImageArray } from '@aiffel/runtime';
import { blurBackground, exercisePortrait, type Mask, naivePortrait } from '@aiffel/segment-blur';
import sharp from 'sharp';
import { sideBySide } from './panels.js';

const W = 360;
const H = 270;
const RADIUS = 10;
const SUPER = 4; // samples per axis for the anti-aliased mask edge

/** Inside the figure: a head and a pair of shoulders. */
function inFigure(x: number, y: number): boolean {
  const head = (x - 180) ** 2 / 48 ** 2 + (y - 95) ** 2 / 58 ** 2 <= 1;
  const body = y >= 160 && (x - 180) ** 2 / 120 ** 2 + (y - 290) ** 2 / 140 ** 2 <= 1;
  return head || body;
}

const mask: Mask = { data: new Float32Array(W * H), width: W, height: H };
const data = new Uint8Array(W * H * 3);
for (let y = 0; y < H; y++)
  for (let x = 0; x < W; x++) {
    let hits = 0;
    for (let sy = 0; sy < SUPER; sy++) for (let sx = 0; sx < SUPER; sx++) hits += inFigure(x + (sx + 0.5) / SUPER, y + (sy + 0.5) / SUPER) ? 1 : 0;
    const a = hits / SUPER ** 2;
    mask.data[y * W + x] = a;
    const stripe = Math.floor((x + y) / 14) % 2 === 0;
    const bg = stripe ? [18, 40, 70] : [30, 70, 60];
    const fg = [250, 205, 160];
    for (let k = 0; k < 3; k++) data[3 * (y * W + x) + k] = Math.round(a * (fg[k] as number) + (1 - a) * (bg[k] as number));
  }
const photo: ImageArray = { data, width: W, height: H, channels: 3, shape: [H, W, 3] };

const naive = naivePortrait(photo, mask, RADIUS);
const exercise = exercisePortrait(photo, mask, RADIUS);
const ours = blurBackground(photo, mask, { mode: 'box', radius: RADIUS });

/** A 3x nearest-neighbour crop around the left shoulder's edge. */
async function zoom(img: ImageArray): Promise<ImageArray> {
  const { data: out, info } = await sharp(img.data, { raw: { width: W, height: H, channels: 3 } })
    .extract({ left: 40, top: 170, width: 90, height: 90 })
    .resize({ width: 270, height: 270, kernel: 'nearest' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(out), width: info.width, height: info.height, channels: 3, shape: [info.height, info.width, 3] };
}

const maskImage: ImageArray = {
  data: Uint8Array.from({ length: W * H * 3 }, (_, i) => Math.round(255 * (mask.data[Math.floor(i / 3)] as number))),
  width: W,
  height: H,
  channels: 3,
  shape: [H, W, 3],
};
const png = await sideBySide(
  [
    { title: 'mask', image: maskImage },
    { title: 'exercise: shadow', image: exercise },
    { title: 'naive: halo', image: naive },
    { title: '@aiffel/segment-blur', image: ours },
    { title: 'exercise, 3x', image: await zoom(exercise) },
    { title: 'naive, 3x', image: await zoom(naive) },
    { title: 'ours, 3x', image: await zoom(ours) },
  ],
  H,
);
const out = resolve(process.argv[2] ?? new URL('../../../packages/segment-blur/docs/halo.png', import.meta.url).pathname);
writeFileSync(out, png);
console.log(`wrote ${out} (${png.length} bytes)`);
