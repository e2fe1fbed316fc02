import { describe, expect, it } from 'vitest';
import {
  blurBackground,
  cutout,
  desaturateBackground,
  exercisePortrait,
  maskWeightedBlur,
  naivePortrait,
  overlay,
  replaceBackground,
  vocColour,
} from '../src/index.js';
import { brightSquareScene, makeImage, makeMask } from './helpers.js';

describe('halo', () => {
  // Background pixels within a few pixels of the person's edge: where the halo would show.
  const ring = (inside: (x: number, y: number) => boolean, size: number, width: number) => {
    const px: number[] = [];
    for (let y = 0; y < size; y++)
      for (let x = 0; x < size; x++) {
        if (inside(x, y)) continue;
        let near = false;
        for (let d = 1; d <= width && !near; d++) near = inside(x + d, y) || inside(x - d, y) || inside(x, y + d) || inside(x, y - d);
        if (near) px.push(y * size + x);
      }
    return px;
  };

  it('the exercise pipeline bleeds the bright person into the background; ours does not', () => {
    const { image, mask, inside } = brightSquareScene();
    const naive = naivePortrait(image, mask, 6);
    const ours = blurBackground(image, mask, { mode: 'box', radius: 6 });
    const pixels = ring(inside, 64, 3);
    const worst = (img: { data: Uint8Array }) => Math.max(...pixels.map((p) => img.data[3 * p] as number));
    // Background red is 10; the person is 250. Tolerance: 2 levels.
    expect(worst(naive)).toBeGreaterThan(100);
    expect(worst(ours)).toBeLessThanOrEqual(12);
    for (const mode of ['gaussian', 'disc'] as const) expect(worst(blurBackground(image, mask, { mode, radius: 6 }))).toBeLessThanOrEqual(12);
    // The person itself is untouched.
    expect(ours.data[3 * (32 * 64 + 32)]).toBe(250);
  });

  it("the exercise's own code (person blacked out, then blurred) darkens the background next to the person: a shadow", () => {
    const { image, mask, inside } = brightSquareScene();
    const shadow = exercisePortrait(image, mask, 6);
    const pixels = ring(inside, 64, 3);
    // Background red is 10 and the blacked-out person 0: next to the edge, the blur pulls it towards 0.
    expect(Math.min(...pixels.map((p) => shadow.data[3 * p] as number))).toBeLessThan(7);
    expect(Math.max(...pixels.map((p) => shadow.data[3 * p] as number))).toBeLessThanOrEqual(10);
    expect(shadow.data[3 * (32 * 64 + 32)]).toBe(250);
    // Far from the person, the blur of a flat background is the background.
    expect(shadow.data[0]).toBe(image.data[0]);
    expect(() => exercisePortrait(image, mask, -1)).toThrow(/radius/);
  });
});

describe('maskWeightedBlur', () => {
  it('equals a direct normalised convolution', () => {
    const image = makeImage(12, 9, (x, y) => [(x * 20) % 256, (y * 30) % 256, (x * y) % 256]);
    const mask = makeMask(12, 9, (x, y) => (x > 4 && y > 2 ? 0.8 : 0.1));
    const r = 2;
    const fast = maskWeightedBlur(image, mask, 'box', r);
    const refl = (i: number, n: number) => (i < 0 ? -i : i >= n ? 2 * n - 2 - i : i);
    for (let y = 0; y < 9; y++)
      for (let x = 0; x < 12; x++) {
        let w = 0;
        const s = [0, 0, 0];
        for (let dy = -r; dy <= r; dy++)
          for (let dx = -r; dx <= r; dx++) {
            const p = refl(y + dy, 9) * 12 + refl(x + dx, 12);
            const wt = 1 - (mask.data[p] as number);
            w += wt;
            for (let k = 0; k < 3; k++) (s[k] as number) += wt * (image.data[3 * p + k] as number);
          }
        for (let k = 0; k < 3; k++) expect(fast[3 * (y * 12 + x) + k]).toBeCloseTo((s[k] as number) / w, 2);
      }
  });
});

describe('effects', () => {
  const { image, mask } = brightSquareScene(32, 8, 24);

  it('cutout puts the mask in the alpha channel', () => {
    const c = cutout(
      image,
      makeMask(32, 32, (x) => x / 31),
    );
    expect(c.channels).toBe(4);
    expect(c.data[3]).toBe(0);
    expect(c.data[4 * 31 + 3]).toBe(255);
    expect(c.data[4 * 31]).toBe(10);
  });

  it('replaceBackground with a colour and with an image', async () => {
    const red = await replaceBackground(image, mask, { background: '#ff0000' });
    expect(Array.from(red.data.subarray(0, 3))).toEqual([255, 0, 0]);
    expect(Array.from(red.data.subarray(3 * (16 * 32 + 16), 3 * (16 * 32 + 16) + 3))).toEqual([250, 250, 250]);
    const backdrop = makeImage(64, 64, () => [0, 0, 200]);
    const blue = await replaceBackground(image, mask, { background: backdrop });
    expect(Array.from(blue.data.subarray(0, 3))).toEqual([0, 0, 200]);
    await expect(replaceBackground(image, mask, { background: '#12' })).rejects.toThrow(/options.background must be '#rrggbb'/);
    await expect(replaceBackground(image, mask, { background: { r: 300, g: 0, b: 0 } })).rejects.toThrow(/integers in 0..255/);
  });

  it('desaturateBackground greys only the background', () => {
    const colourful = makeImage(32, 32, () => [200, 40, 40]);
    const out = desaturateBackground(colourful, mask);
    const y = Math.round(0.299 * 200 + 0.587 * 40 + 0.114 * 40);
    expect(Array.from(out.data.subarray(0, 3))).toEqual([y, y, y]);
    expect(Array.from(out.data.subarray(3 * (16 * 32 + 16), 3 * (16 * 32 + 16) + 3))).toEqual([200, 40, 40]);
    expect(() => desaturateBackground(colourful, mask, { amount: 2 })).toThrow(/options.amount/);
  });

  it('overlay paints label maps in the VOC palette and masks in one colour', () => {
    expect(vocColour(15)).toEqual([192, 128, 128]); // person
    expect(vocColour(8)).toEqual([64, 0, 0]); // cat
    const labels = { data: new Uint8Array(32 * 32).fill(15), width: 32, height: 32 };
    labels.data[0] = 0;
    const o = overlay(image, labels, { opacity: 1 });
    expect(Array.from(o.data.subarray(0, 3))).toEqual([10, 20, 30]);
    expect(Array.from(o.data.subarray(3, 6))).toEqual([192, 128, 128]);
    const g = overlay(image, mask, { opacity: 1, colour: '#00ff00' });
    expect(Array.from(g.data.subarray(3 * (16 * 32 + 16), 3 * (16 * 32 + 16) + 3))).toEqual([0, 255, 0]);
  });

  it('bad arguments throw clear errors and leave the inputs alone', () => {
    const before = Uint8Array.from(image.data);
    expect(() =>
      blurBackground(
        image,
        makeMask(10, 10, () => 0),
      ),
    ).toThrow(/mask must be a 32x32 mask/);
    expect(() => blurBackground(image, mask, { mode: 'zoom' as 'box' })).toThrow(/options.mode must be one of box, gaussian, disc/);
    expect(() => blurBackground(image, mask, { radius: -2 })).toThrow(/options.radius must be a non-negative integer/);
    expect(() => blurBackground(image, mask, { strength: 3 })).toThrow(/options.strength/);
    expect(() => blurBackground(image, mask, { radiuss: 3 } as never)).toThrow(/radiuss/);
    expect(image.data).toEqual(before);
  });
});

describe('absurd radii and hostile mask values', () => {
  it('refuses a radius beyond the image at once instead of running for minutes, and masks outside 0..1 or NaN', async () => {
    const { erodeMask, dilateMask, featherMask, boxBlur, discBlur, gaussianBlur } = await import('../src/index.js');
    const { image, mask } = brightSquareScene();
    const planes = { data: new Float32Array(64 * 64 * 3), width: 64, height: 64, channels: 3 };
    const started = Date.now();
    expect(() => blurBackground(image, mask, { radius: 1e9 })).toThrow(
      /options.radius must be at most 256 \(twice the image's longer side, at least 256\), got 1000000000/,
    );
    expect(() => naivePortrait(image, mask, 257)).toThrow(/radius must be at most 256/);
    expect(() => exercisePortrait(image, mask, 1e9)).toThrow(/radius must be at most 256/);
    expect(() => erodeMask(mask, 1e9)).toThrow(/radius must be at most 256/);
    expect(() => dilateMask(mask, 1e9)).toThrow(/radius must be at most 256/);
    expect(() => featherMask(mask, 1e9)).toThrow(/radius must be at most 256/);
    expect(() => boxBlur(planes, 1e9)).toThrow(/radius x must be at most 256/);
    expect(() => discBlur(planes, 1e5)).toThrow(/radius must be at most 256/);
    expect(() => gaussianBlur(planes, 1e9)).toThrow(/sigma must be at most 256/);
    // A refusal, not a long computation that fails at the end.
    expect(Date.now() - started).toBeLessThan(5_000);
    // The longest radius allowed still runs.
    expect(blurBackground(image, mask, { radius: 256, mode: 'box' }).width).toBe(64);
    // Float rounding is not an error, and featherMask's own output is a valid mask.
    const rounded = { ...mask, data: Float32Array.from(mask.data, (v) => (v === 1 ? 1.0000006 : v)) };
    expect(blurBackground(image, rounded).width).toBe(64);
    const { data: feathered } = featherMask(mask, 5);
    expect(Math.min(...feathered)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...feathered)).toBeLessThanOrEqual(1);
    for (const bad of [Number.NaN, 2, -0.5]) {
      const m = { ...mask, data: Float32Array.from(mask.data) };
      m.data[100] = bad;
      expect(() => blurBackground(image, m)).toThrow(new RegExp(`mask.data\\[100\\] must be a value in 0..1, got ${bad}`));
      expect(() => naivePortrait(image, m)).toThrow(/mask.data\[100\] must be a value in 0..1/);
    }
  });
});
