import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { reflect101 } from '../src/filters/border.js';
import { boxBlur, discBlur, gaussianBlur, gaussianBoxRadii, type Planes } from '../src/index.js';

function randomPlanes(width: number, height: number, channels: number, seed: number): Planes {
  const data = new Float32Array(width * height * channels);
  let s = seed;
  for (let i = 0; i < data.length; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    data[i] = (s >>> 8) % 256;
  }
  return { data, width, height, channels };
}

/** Direct mean over a window of offsets, borders reflected: the definition the fast filters must match. */
function reference(img: Planes, inWindow: (dx: number, dy: number) => boolean, r: number): Float32Array {
  const { data, width, height, channels: c } = img;
  const out = new Float32Array(data.length);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      for (let k = 0; k < c; k++) {
        let sum = 0;
        let n = 0;
        for (let dy = -r; dy <= r; dy++)
          for (let dx = -r; dx <= r; dx++) {
            if (!inWindow(dx, dy)) continue;
            sum += data[(reflect101(y + dy, height) * width + reflect101(x + dx, width)) * c + k] as number;
            n++;
          }
        out[(y * width + x) * c + k] = sum / n;
      }
  return out;
}

describe('reflect101', () => {
  it('mirrors without repeating the edge pixel, like OpenCV', () => {
    expect([-3, -2, -1, 0, 3, 4, 5, 6].map((i) => reflect101(i, 4))).toEqual([3, 2, 1, 0, 3, 2, 1, 0]);
    expect(reflect101(-5, 1)).toBe(0);
  });
});

describe('boxBlur', () => {
  it('equals the direct windowed mean for any size, radius and channel count', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 0, max: 7 }),
        (w, h, c, r) => {
          const img = randomPlanes(w, h, c, w * 31 + h * 7 + r);
          const fast = boxBlur(img, r).data;
          const ref = reference(img, () => true, r);
          for (let i = 0; i < ref.length; i++) expect(fast[i]).toBeCloseTo(ref[i] as number, 3);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('matches a hand-computed 3x1 case (cv2.blur on [0, 3, 6] with a 3-wide box gives [2, 3, 4])', () => {
    const out = boxBlur({ data: Float32Array.from([0, 3, 6]), width: 3, height: 1, channels: 1 }, 1, 0).data;
    expect(Array.from(out)).toEqual([2, 3, 4]);
  });

  it('rejects a negative radius', () => {
    expect(() => boxBlur(randomPlanes(4, 4, 1, 1), -1)).toThrow(/radius x must be a non-negative integer/);
  });

  it('rejects planes whose channels or length do not describe the data', () => {
    expect(() => boxBlur({ data: new Float32Array(16), width: 4, height: 4, channels: 0 }, 1)).toThrow(/img.channels must be an integer in 1..4, got 0/);
    expect(() => gaussianBlur({ data: new Float32Array(15), width: 4, height: 4, channels: 1 }, 1)).toThrow(/img.data.length must be 16 \(4x4x1\), got 15/);
    expect(() => discBlur({ data: [1, 2] as never, width: 2, height: 1, channels: 1 }, 1)).toThrow(/img.data must be a Float32Array/);
  });
});

describe('gaussianBlur', () => {
  it('three boxes have the variance of the requested sigma (within one box step)', () => {
    for (const sigma of [1, 2.5, 6, 15]) {
      const variance = gaussianBoxRadii(sigma).reduce((v, r) => v + ((2 * r + 1) ** 2 - 1) / 12, 0);
      expect(Math.abs(Math.sqrt(variance) - sigma)).toBeLessThan(0.35);
    }
  });

  it('keeps a constant image constant and a bright dot sums to its mass', () => {
    const flat = gaussianBlur({ data: new Float32Array(100).fill(7), width: 10, height: 10, channels: 1 }, 2).data;
    for (const v of flat) expect(v).toBeCloseTo(7, 4);
    const dot = new Float32Array(41 * 41);
    dot[20 * 41 + 20] = 1000;
    const spread = gaussianBlur({ data: dot, width: 41, height: 41, channels: 1 }, 3).data;
    expect(spread.reduce((a, b) => a + b, 0)).toBeCloseTo(1000, 0);
    expect(spread[20 * 41 + 20]).toBeLessThan(1000 / (2 * Math.PI * 9) + 3);
  });
});

describe('discBlur', () => {
  it('equals the direct mean over a disc', () => {
    for (const [w, h, r] of [
      [9, 7, 3],
      [15, 4, 5],
      [5, 5, 0],
    ] as const) {
      const img = randomPlanes(w, h, 4, w + h + r);
      const fast = discBlur(img, r).data;
      const ref = reference(img, (dx, dy) => dx * dx + dy * dy <= r * r + 1e-9, r);
      for (let i = 0; i < ref.length; i++) expect(fast[i]).toBeCloseTo(ref[i] as number, 2);
    }
  });
});
