import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  boundaryFScore,
  closeMask,
  dilateMask,
  erodeMask,
  featherMask,
  guidedFilter,
  keepLargestComponent,
  type Mask,
  MaskSmoother,
  maskIoU,
  maskToUint8,
  openMask,
  resizeMask,
  thresholdMask,
  toMask,
} from '../src/index.js';
import { makeImage, makeMask } from './helpers.js';

const m = (rows: number[][]): Mask => makeMask((rows[0] as number[]).length, rows.length, (x, y) => (rows[y] as number[])[x] as number);

describe('resizeMask', () => {
  it('matches cv2.resize(INTER_LINEAR) on a hand-computed 2x1 -> 4x1 case', () => {
    // Half-pixel centres: output x samples source 0.5x - 0.25, clamped: [0, 0.25, 0.75, 1] of the way.
    expect(Array.from(resizeMask(m([[0, 1]]), 4, 1).data)).toEqual([0, 0.25, 0.75, 1]);
  });

  it('is the identity at the same size and keeps constants', () => {
    const a = m([
      [0.1, 0.2, 0.3],
      [0.4, 0.5, 0.6],
    ]);
    expect(resizeMask(a, 3, 2).data).toEqual(a.data);
    for (const v of resizeMask(
      makeMask(3, 3, () => 0.7),
      17,
      11,
    ).data)
      expect(v).toBeCloseTo(0.7, 6);
  });

  it('rejects a zero size', () => {
    expect(() => resizeMask(m([[1]]), 0, 3)).toThrow(/width must be a positive integer/);
  });
});

describe('thresholdMask', () => {
  it('sets values >= level to 1', () => {
    expect(Array.from(thresholdMask(m([[0.2, 0.5, 0.9]])).data)).toEqual([0, 1, 1]);
    expect(Array.from(thresholdMask(m([[0.2, 0.5, 0.9]]), 0.95).data)).toEqual([0, 0, 0]);
    expect(() => thresholdMask(m([[1]]), 2)).toThrow(/level must be a number in 0..1/);
  });
});

describe('morphology', () => {
  const brute = (a: Mask, r: number, max: boolean): Float32Array => {
    const out = new Float32Array(a.data.length);
    for (let y = 0; y < a.height; y++)
      for (let x = 0; x < a.width; x++) {
        let v = max ? -1 : 2;
        for (let dy = -r; dy <= r; dy++)
          for (let dx = -r; dx <= r; dx++) {
            const yy = y + dy;
            const xx = x + dx;
            if (yy < 0 || xx < 0 || yy >= a.height || xx >= a.width) continue;
            const s = a.data[yy * a.width + xx] as number;
            v = max ? Math.max(v, s) : Math.min(v, s);
          }
        out[y * a.width + x] = v;
      }
    return out;
  };

  it('erode and dilate equal the brute-force min / max over the square', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10 }), fc.integer({ min: 1, max: 10 }), fc.integer({ min: 0, max: 4 }), fc.integer(), (w, h, r, seed) => {
        const a = makeMask(w, h, (x, y) => ((x * 7 + y * 13 + seed) & 7) / 7);
        expect(Array.from(erodeMask(a, r).data)).toEqual(Array.from(brute(a, r, false)));
        expect(Array.from(dilateMask(a, r).data)).toEqual(Array.from(brute(a, r, true)));
      }),
      { numRuns: 80 },
    );
  });

  it('opening removes a 1-pixel speck, closing fills a 1-pixel hole', () => {
    const speck = makeMask(7, 7, (x, y) => (x === 3 && y === 3 ? 1 : 0));
    expect(openMask(speck, 1).data.every((v) => v === 0)).toBe(true);
    const hole = makeMask(7, 7, (x, y) => (x === 3 && y === 3 ? 0 : 1));
    expect(closeMask(hole, 1).data.every((v) => v === 1)).toBe(true);
  });
});

describe('keepLargestComponent', () => {
  it('keeps the larger blob and its soft values', () => {
    const a = m([
      [0.9, 0.8, 0, 0, 0],
      [0.7, 0.9, 0, 0, 0.6],
      [0, 0, 0, 0, 0],
    ]);
    expect(Array.from(keepLargestComponent(a).data)).toEqual(
      Array.from(
        m([
          [0.9, 0.8, 0, 0, 0],
          [0.7, 0.9, 0, 0, 0],
          [0, 0, 0, 0, 0],
        ]).data,
      ),
    );
  });

  it('respects 4- versus 8-connectivity', () => {
    const diag = m([
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 0],
    ]);
    expect(keepLargestComponent(diag).data.filter((v) => v === 1).length).toBe(2);
    expect(keepLargestComponent(diag, { connectivity: 4 }).data.filter((v) => v === 1).length).toBe(1);
    expect(() => keepLargestComponent(diag, { connectivity: 6 as 4 })).toThrow(/connectivity must be 4 or 8/);
  });
});

describe('featherMask and guidedFilter', () => {
  it('feathering softens a step but keeps the far sides', () => {
    const step = makeMask(40, 4, (x) => (x < 20 ? 0 : 1));
    const f = featherMask(step, 6);
    expect(f.data[2 * 40 + 19]).toBeGreaterThan(0.2);
    expect(f.data[2 * 40 + 20]).toBeLessThan(0.8);
    expect(f.data[2 * 40 + 0]).toBeCloseTo(0, 5);
    expect(f.data[2 * 40 + 39]).toBeCloseTo(1, 5);
  });

  it('the guided filter snaps a blurry mask edge to the photo edge', () => {
    const photo = makeImage(60, 20, (x) => (x < 30 ? [20, 20, 20] : [230, 230, 230]));
    const blurry = makeMask(60, 20, (x) => Math.min(1, Math.max(0, (x - 22) / 16)));
    const refined = guidedFilter(blurry, photo, { radius: 6, eps: 1e-4, subsample: 1 });
    const errBefore = [26, 28, 32, 34].reduce((e, x) => e + Math.abs((blurry.data[10 * 60 + x] as number) - (x < 30 ? 0 : 1)), 0);
    const errAfter = [26, 28, 32, 34].reduce((e, x) => e + Math.abs((refined.data[10 * 60 + x] as number) - (x < 30 ? 0 : 1)), 0);
    expect(errAfter).toBeLessThan(errBefore * 0.8);
    for (const v of refined.data) expect(v >= 0 && v <= 1).toBe(true);
  });

  it('the colour guide follows an edge of equal brightness that the grey guide cannot see', () => {
    // Red | green of the same luma (BT.601 ~96): flat in grey, a clear edge in colour.
    const photo = makeImage(60, 20, (x) => (x < 30 ? [200, 50, 50] : [50, 128, 50]));
    const blurry = makeMask(60, 20, (x) => Math.min(1, Math.max(0, (x - 22) / 16)));
    const err = (m: Mask) => [26, 28, 32, 34].reduce((e, x) => e + Math.abs((m.data[10 * 60 + x] as number) - (x < 30 ? 0 : 1)), 0);
    const colour = guidedFilter(blurry, photo, { radius: 6, eps: 1e-4, subsample: 1 });
    const grey = guidedFilter(blurry, photo, { radius: 6, eps: 1e-4, subsample: 1, guide: 'grey' });
    expect(err(colour)).toBeLessThan(err(blurry) * 0.8);
    expect(err(grey)).toBeGreaterThan(err(blurry) * 0.95);
  });

  it('the colour guided filter equals a direct per-window least-squares reference', () => {
    const w = 9;
    const h = 7;
    const r = 2;
    const eps = 1e-3;
    const photo = makeImage(w, h, (x, y) => [(x * 37 + y * 11) % 256, (x * y * 13) % 256, (200 - x * 9 - y * 17 + 256) % 256]);
    const mask = makeMask(w, h, (x, y) => ((x * 3 + y * 5) % 7) / 6);
    const refl = (i: number, n: number) => (i < 0 ? -i : i >= n ? 2 * n - 2 - i : i);
    const I = (x: number, y: number) => [0, 1, 2].map((k) => (photo.data[3 * (y * w + x) + k] as number) / 255);
    const window = (x: number, y: number, f: (u: number, v: number) => number[]) => {
      let acc: number[] | undefined;
      for (let dy = -r; dy <= r; dy++)
        for (let dx = -r; dx <= r; dx++) {
          const v = f(refl(x + dx, w), refl(y + dy, h));
          acc = acc ? acc.map((a, k) => a + (v[k] as number)) : v;
        }
      return (acc as number[]).map((a) => a / (2 * r + 1) ** 2);
    };
    // a = (Sigma + eps I)^-1 cov(I, p) and b = mean p - a . mean I, per window, solved by Cramer's rule.
    const det3 = (m: number[][]) =>
      m[0]![0]! * (m[1]![1]! * m[2]![2]! - m[1]![2]! * m[2]![1]!) -
      m[0]![1]! * (m[1]![0]! * m[2]![2]! - m[1]![2]! * m[2]![0]!) +
      m[0]![2]! * (m[1]![0]! * m[2]![1]! - m[1]![1]! * m[2]![0]!);
    const coef = (x: number, y: number) => {
      const mI = window(x, y, (u, v) => I(u, v));
      const mp = window(x, y, (u, v) => [mask.data[v * w + u] as number])[0] as number;
      const mIp = window(x, y, (u, v) => I(u, v).map((c) => c * (mask.data[v * w + u] as number)));
      const mII = window(x, y, (u, v) => I(u, v).flatMap((a) => I(u, v).map((b) => a * b)));
      const S = [0, 1, 2].map((i) => [0, 1, 2].map((j) => (mII[3 * i + j] as number) - (mI[i] as number) * (mI[j] as number) + (i === j ? eps : 0)));
      const c = [0, 1, 2].map((i) => (mIp[i] as number) - (mI[i] as number) * mp);
      const d = det3(S);
      const a = [0, 1, 2].map((k) => det3(S.map((row, i) => row.map((v, j) => (j === k ? (c[i] as number) : v)))) / d);
      return [...a, mp - a.reduce((t, ak, k) => t + ak * (mI[k] as number), 0)];
    };
    const out = guidedFilter(mask, photo, { radius: r, eps, subsample: 1 });
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        const m = window(x, y, coef);
        const q = I(x, y).reduce((t, c, k) => t + (m[k] as number) * c, m[3] as number);
        expect(out.data[y * w + x]).toBeCloseTo(Math.min(1, Math.max(0, q)), 4);
      }
  });

  it('the guided filter checks the guide size and its options', () => {
    const photo = makeImage(8, 8, () => [0, 0, 0]);
    expect(() =>
      guidedFilter(
        makeMask(4, 4, () => 0),
        photo,
      ),
    ).toThrow(/guide must be a 4x4 image like the mask/);
    expect(() =>
      guidedFilter(
        makeMask(8, 8, () => 0),
        photo,
        { eps: 0 },
      ),
    ).toThrow(/options.eps/);
    expect(() =>
      guidedFilter(
        makeMask(8, 8, () => 0),
        photo,
        { guide: 'rgb' as 'grey' },
      ),
    ).toThrow(/options.guide must be 'colour' or 'grey', got "rgb"/);
  });
});

describe('MaskSmoother', () => {
  it('is an exponential moving average and restarts on a size change', () => {
    const s = new MaskSmoother(0.5);
    expect(Array.from(s.update(m([[1, 0]])).data)).toEqual([1, 0]);
    expect(Array.from(s.update(m([[0, 0]])).data)).toEqual([0.5, 0]);
    expect(Array.from(s.update(m([[0, 1]])).data)).toEqual([0.25, 0.5]);
    expect(Array.from(s.update(m([[1], [1]])).data)).toEqual([1, 1]);
    expect(() => new MaskSmoother(0)).toThrow(/alpha must be a number in \(0, 1\]/);
    // A NaN would stay in the average for every later frame: refused, and the state is kept.
    expect(() => s.update(m([[Number.NaN], [0]]))).toThrow(/mask.data\[0\] must be a value in 0..1, got NaN/);
    expect(() => s.update(m([[2], [0]]))).toThrow(/got 2/);
    expect(Array.from(s.update(m([[0], [0]])).data)).toEqual([0.5, 0.5]);
  });
});

describe('toMask and metrics', () => {
  it('accepts 8-bit ndarray-like masks and rejects bad ones', () => {
    expect(Array.from(toMask({ data: Uint8Array.from([0, 255]), shape: [1, 2] }).data)).toEqual([0, 1]);
    expect(Array.from(maskToUint8(m([[0, 0.5, 1]])))).toEqual([0, 128, 255]);
    expect(() => toMask({ data: Float32Array.from([0, Number.NaN]), width: 2, height: 1 })).toThrow(/mask.data\[1\] must be a value in 0..1, got NaN/);
    expect(() => toMask({ data: new Float32Array(3), width: 2, height: 1 })).toThrow(/mask.data must be 2 values for 2x1/);
    expect(() => toMask({ data: new Uint8Array(6), shape: [1, 2, 3] })).toThrow(/mask.shape must be \[height, width\]/);
    expect(() => toMask(null as unknown as Mask)).toThrow(TypeError);
  });

  it('IoU and boundary F on hand-checked masks', () => {
    const a = m([[1, 1, 0, 0]]);
    const b = m([[0, 1, 1, 0]]);
    expect(maskIoU(a, b)).toBeCloseTo(1 / 3, 10);
    expect(maskIoU(a, a)).toBe(1);
    const big = makeMask(40, 40, (x, y) => (x >= 10 && x < 30 && y >= 10 && y < 30 ? 1 : 0));
    expect(boundaryFScore(big, big).f).toBe(1);
    const shifted = makeMask(40, 40, (x, y) => (x >= 14 && x < 34 && y >= 10 && y < 30 ? 1 : 0));
    const near = boundaryFScore(shifted, big, 4);
    const far = boundaryFScore(shifted, big, 1);
    expect(near.f).toBe(1);
    expect(far.f).toBeLessThan(0.8);
    expect(() => maskIoU(a, m([[1]]))).toThrow(/b must be a 4x1 mask like a/);
  });
});
