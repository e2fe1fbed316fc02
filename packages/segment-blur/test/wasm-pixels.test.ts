import { afterEach, describe, expect, it } from 'vitest';
import { layout, pixelEngine, useWasmPixels } from '../src/filters/wasm-pixels.js';
import { blurBackground, boxBlur, discBlur, gaussianBlur, naivePortrait, type Planes, resizeMask } from '../src/index.js';
import { makeImage, makeMask } from './helpers.js';

/** Runs f with the TypeScript filters (the reference) and with the wasm kernels. */
function bothPaths<T>(f: () => T): { ts: T; wasm: T } {
  const was = useWasmPixels(false);
  const ts = f();
  useWasmPixels(true);
  const wasm = f();
  useWasmPixels(was);
  return { ts, wasm };
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
}

// 641 x 411: above the two-thread threshold (2^18 pixels), an odd width (SIMD tails) and an odd
// height (unequal bands).
const W = 641;
const H = 411;
const photo = makeImage(W, H, (x, y) => [(x * 7 + y * 3) % 256, (x * y) % 251, (x ^ y) & 255]);
const soft = makeMask(W, H, (x, y) => Math.min(1, Math.max(0, 1.2 - Math.hypot(x - 320, y - 200) / 150)));

describe('wasm pixel kernels', () => {
  afterEach(() => {
    useWasmPixels(true);
  });

  it('load from dist (npm run build compiles assembly/pixels.ts)', () => {
    expect(pixelEngine(), 'dist/pixels.wasm is missing or failed to load: run npm run build').not.toBeNull();
  });

  it('the halo-free blur equals the TypeScript reference, to one level, for every kind, on two threads', () => {
    for (const [mode, radius] of [
      ['box', 6],
      ['gaussian', 9],
      ['gaussian', 1],
      ['disc', 7],
      ['box', 0],
    ] as const) {
      const { ts, wasm } = bothPaths(() => blurBackground(photo, soft, { mode, radius }));
      expect(maxDiff(ts.data, wasm.data), `${mode} r=${radius}`).toBeLessThanOrEqual(1);
    }
  });

  it("the exercise's pipeline (plain box blur, mask thresholded) is byte-identical", () => {
    const { ts, wasm } = bothPaths(() => naivePortrait(photo, soft, 6));
    expect(maxDiff(ts.data, wasm.data)).toBe(0);
    const plain = bothPaths(() => blurBackground(photo, soft, { mode: 'gaussian', radius: 8, background: 'naive' }));
    expect(maxDiff(plain.ts.data, plain.wasm.data)).toBeLessThanOrEqual(1);
  });

  it('float blurs on 1, 2, 3 and 4 channels and the mask resize equal the reference', () => {
    for (const channels of [1, 2, 3, 4]) {
      const data = new Float32Array(W * H * channels);
      for (let i = 0; i < data.length; i++) data[i] = ((i * 2654435761) >>> 24) / 7;
      const img: Planes = { data, width: W, height: H, channels };
      const box = bothPaths(() => boxBlur(img, 5, 2).data);
      expect(maxDiff(box.ts, box.wasm), `box c=${channels}`).toBeLessThan(1e-3);
      const gauss = bothPaths(() => gaussianBlur(img, 3.5).data);
      expect(maxDiff(gauss.ts, gauss.wasm), `gaussian c=${channels}`).toBeLessThan(1e-3);
    }
    const four: Planes = { data: new Float32Array(W * H * 4).map((_, i) => i % 97), width: W, height: H, channels: 4 };
    const disc = bothPaths(() => discBlur(four, 6).data);
    expect(maxDiff(disc.ts, disc.wasm)).toBeLessThan(1e-2);
    const small = makeMask(37, 23, (x, y) => ((x * 13 + y * 7) % 17) / 16);
    const up = bothPaths(() => resizeMask(small, W, H).data);
    expect(maxDiff(up.ts, up.wasm)).toBeLessThan(1e-5);
    const down = bothPaths(() => resizeMask(soft, 100, 61).data);
    expect(maxDiff(down.ts, down.wasm)).toBeLessThan(1e-5);
  });

  it('small images stay on one thread and agree too', () => {
    const image = makeImage(5, 3, (x, y) => [x * 50, y * 100, 200]);
    const mask = makeMask(5, 3, (x) => x / 4);
    const { ts, wasm } = bothPaths(() => blurBackground(image, mask, { mode: 'box', radius: 2 }));
    expect(maxDiff(ts.data, wasm.data)).toBeLessThanOrEqual(1);
  });

  it('refuses a layout beyond the 4 GiB wasm32 limit, so callers fall back to TypeScript', () => {
    const e = pixelEngine();
    if (!e) return;
    expect(layout(e, [3 * 2 ** 30, 2 ** 30])).toBeNull();
  });
});
