import { describe, expect, it } from 'vitest';
import { sortFloat64 } from '../src/data/sort-float64.js';
import { lcg } from './helpers.js';

/** Same values in the same order, telling -0 from +0. */
function expectSameOrder(a: Float64Array, b: Float64Array): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) expect([i, a[i]]).toEqual([i, b[i]]);
}

describe('sortFloat64', () => {
  const r = lcg(7);
  const cases: Record<string, () => number> = {
    'doubles of both signs': () => (r() - 0.5) * 1e6,
    'float32 values (low passes skipped)': () => Math.fround((r() - 0.5) * 100),
    'non-negative float32 values': () => Math.fround(r() * 3),
    'zeros of both signs, subnormals, extremes and infinities': () =>
      [0, -0, 5e-324, -5e-324, 1e-310, Number.MAX_VALUE, -Number.MAX_VALUE, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1, -1][
        Math.floor(r() * 11)
      ] as number,
    'few distinct values': () => Math.floor(r() * 4) - 2,
  };
  for (const [name, gen] of Object.entries(cases))
    it(`orders ${name} as Float64Array.prototype.sort does`, () => {
      for (const n of [0, 1, 2, 3, 1000, 70_001]) {
        const values = Float64Array.from({ length: n }, gen);
        const expected = values.slice().sort();
        expectSameOrder(sortFloat64(values), expected);
      }
    });

  it('sorts a subarray in place without touching its neighbours', () => {
    const all = Float64Array.of(9, 3, -1, 2, -7, 9);
    const view = all.subarray(1, 5);
    expect(sortFloat64(view)).toBe(view);
    expectSameOrder(all, Float64Array.of(9, -7, -1, 2, 3, 9));
  });
});
