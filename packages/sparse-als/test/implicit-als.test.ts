import { describe, expect, it } from 'vitest';
import { cgRows, choleskyRows, type HalfStep } from '../src/als-solvers.js';
import { CsrMatrix, IdMap, ImplicitALS, useSimd } from '../src/index.js';
import { gramPlusRidge } from '../src/linalg.js';
import { seededRandom } from '../src/rng.js';

/** A random sparse users x items matrix with small positive counts. */
function randomMatrix(rows: number, cols: number, density: number, seed: number): CsrMatrix {
  const rand = seededRandom(seed);
  const r: number[] = [];
  const c: number[] = [];
  const v: number[] = [];
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < cols; j++)
      if (rand() < density) {
        r.push(i);
        c.push(j);
        v.push(1 + Math.floor(rand() * 5));
      }
  return CsrMatrix.fromCoo(rows, cols, r, c, v);
}

/**
 * The closed-form solution of one user's weighted ridge regression, built densely over every item
 * (zeros included): x = (Y^T C Y + reg I)^-1 Y^T C p, by Gaussian elimination.
 */
function bruteForce(m: CsrMatrix, u: number, y: Float32Array, f: number, alpha: number, reg: number): number[] {
  const a = Array.from({ length: f }, (_, p) => Array.from({ length: f }, (_, q) => (p === q ? reg : 0)));
  const b = new Array<number>(f).fill(0);
  for (let i = 0; i < m.cols; i++) {
    const r = m.get(u, i);
    const c = 1 + alpha * r;
    const pref = r > 0 ? 1 : 0;
    for (let p = 0; p < f; p++) {
      b[p] = (b[p] as number) + c * pref * (y[i * f + p] as number);
      for (let q = 0; q < f; q++) (a[p] as number[])[q] = ((a[p] as number[])[q] as number) + c * (y[i * f + p] as number) * (y[i * f + q] as number);
    }
  }
  for (let p = 0; p < f; p++) {
    for (let r = p + 1; r < f; r++) {
      const k = ((a[r] as number[])[p] as number) / ((a[p] as number[])[p] as number);
      for (let q = p; q < f; q++) (a[r] as number[])[q] = ((a[r] as number[])[q] as number) - k * ((a[p] as number[])[q] as number);
      b[r] = (b[r] as number) - k * (b[p] as number);
    }
  }
  const x = new Array<number>(f).fill(0);
  for (let p = f - 1; p >= 0; p--) {
    let s = b[p] as number;
    for (let q = p + 1; q < f; q++) s -= ((a[p] as number[])[q] as number) * (x[q] as number);
    x[p] = s / ((a[p] as number[])[p] as number);
  }
  return x;
}

describe('ALS half-step solvers', () => {
  it('Cholesky equals the dense closed form and CG converges to it', () => {
    const m = randomMatrix(12, 30, 0.2, 1);
    const f = 5;
    const rand = seededRandom(2);
    const y = Float32Array.from({ length: 30 * f }, () => rand() - 0.5);
    const step = (factors: Float32Array, cgSteps: number): HalfStep => ({
      indptr: m.indptr,
      indices: m.indices,
      data: m.data,
      alpha: 2,
      other: y,
      gram: gramPlusRidge(y, 30, f, 0.1),
      factors,
      f,
      cgSteps,
    });
    const exact = new Float32Array(12 * f);
    choleskyRows(step(exact, 0), 0, 12);
    const cg = new Float32Array(12 * f);
    cgRows(step(cg, f), 0, 12); // f CG steps solve an f-dimensional system exactly (in exact arithmetic)
    for (let u = 0; u < 12; u++) {
      const ref = bruteForce(m, u, y, f, 2, 0.1);
      for (let k = 0; k < f; k++) {
        expect(exact[u * f + k]).toBeCloseTo(ref[k] as number, 4);
        expect(cg[u * f + k]).toBeCloseTo(ref[k] as number, 3);
      }
    }
  });
});

describe('ImplicitALS', () => {
  const m = randomMatrix(40, 60, 0.12, 3);

  it('lowers the training loss, is deterministic for a seed and scores liked items high', async () => {
    const a = await new ImplicitALS({ factors: 8, iterations: 8, calculateTrainingLoss: true, seed: 4 }).fit(m);
    const b = await new ImplicitALS({ factors: 8, iterations: 8, calculateTrainingLoss: true, seed: 4 }).fit(m);
    expect(Array.from(a.userFactors)).toEqual(Array.from(b.userFactors));
    for (let i = 1; i < a.lossHistory.length; i++) expect(a.lossHistory[i]).toBeLessThanOrEqual((a.lossHistory[i - 1] as number) * 1.0001);
    const recs = a.recommend(0, { n: 5, filterLiked: false });
    const liked = new Set(m.row(0).indices);
    expect(recs.filter((r) => liked.has(r.index)).length).toBeGreaterThanOrEqual(3);
  });

  it('recommend returns exactly n, never liked or filtered items, only from the candidates', async () => {
    const model = await new ImplicitALS({ factors: 6, iterations: 4 }).fit(m);
    for (let u = 0; u < 40; u++) {
      const liked = new Set(m.row(u).indices);
      const recs = model.recommend(u, { n: 10, filterItems: [0, 1, 2] });
      expect(recs).toHaveLength(10);
      for (const r of recs) {
        expect(liked.has(r.index)).toBe(false);
        expect([0, 1, 2]).not.toContain(r.index);
      }
      for (let k = 1; k < recs.length; k++) expect((recs[k - 1] as { score: number }).score).toBeGreaterThanOrEqual((recs[k] as { score: number }).score);
    }
    const only = model.recommend(5, { n: 3, items: [10, 11, 12, 13], filterLiked: false });
    expect(only).toHaveLength(3);
    expect(only.every((r) => [10, 11, 12, 13].includes(r.index))).toBe(true);
    // Fewer candidates than n: all of them, no padding.
    const all = model.recommend(0, { n: 100, items: [1, 2], filterLiked: false });
    expect(all).toHaveLength(2);
    expect(model.recommendMany([0, 1], { n: 4 }).map((r) => r.length)).toEqual([4, 4]);
  });

  it('explain: contributions sum to the score of the exact user vector', async () => {
    const model = await new ImplicitALS({ factors: 6, iterations: 5 }).fit(m);
    const u = 3;
    const row = m.row(u);
    const x = model.recalculateUser({ items: Array.from(row.indices), values: Array.from(row.values) });
    for (const item of [0, 7, 33]) {
      const e = model.explain(u, item);
      const sum = e.contributions.reduce((s, c) => s + c.contribution, 0);
      expect(sum).toBeCloseTo(e.score, 6);
      let direct = 0;
      for (let k = 0; k < 6; k++) direct += (x[k] as number) * (model.itemFactors[item * 6 + k] as number);
      expect(e.score).toBeCloseTo(direct, 4);
      for (let k = 1; k < e.contributions.length; k++)
        expect((e.contributions[k - 1] as { contribution: number }).contribution).toBeGreaterThanOrEqual(
          (e.contributions[k] as { contribution: number }).contribution,
        );
    }
    expect(model.explain(u, 0, { n: 2 }).contributions).toHaveLength(2);
  });

  it('fold-in equals a full solve and partialFitUsers adds users', async () => {
    const users = new IdMap(Array.from({ length: 40 }, (_, i) => `u${i}`));
    const items = new IdMap(Array.from({ length: 60 }, (_, i) => `i${i}`));
    const model = await new ImplicitALS({ factors: 5, iterations: 4, solver: 'cholesky' }).fit(m, { users, items });
    // After fit, the item factors are newer than the user factors: one exact user half-step reproduces recalculateUser.
    const step: HalfStep = {
      indptr: m.indptr,
      indices: m.indices,
      data: m.data,
      alpha: model.alpha,
      other: model.itemFactors,
      gram: gramPlusRidge(model.itemFactors, 60, 5, model.regularization),
      factors: new Float32Array(40 * 5),
      f: 5,
      cgSteps: 1,
    };
    choleskyRows(step, 0, 40);
    const row = m.row(7);
    const folded = model.recalculateUser({ items: Array.from(row.indices, (i) => `i${i}`), values: Array.from(row.values) });
    for (let k = 0; k < 5; k++) expect(folded[k]).toBeCloseTo(step.factors[7 * 5 + k] as number, 5);
    model.partialFitUsers(['new-user'], [{ items: ['i1', 'i2', 'i3'] }]);
    expect(model.users?.get('new-user')).toBe(40);
    const recs = model.recommend('new-user', { n: 5 });
    expect(recs.map((r) => r.id)).not.toContain('i1');
    expect(model.recommendFor({ items: ['i1', 'i2', 'i3'] }, { n: 5 }).map((r) => r.id)).toEqual(recs.map((r) => r.id));
    expect(model.similarItems('i4', { n: 3 }).map((r) => r.id)).not.toContain('i4');
    expect(model.similarItems('i4', { n: 1, includeSelf: true })[0]?.id).toBe('i4');
    expect(model.similarUsers('u0', { n: 2 })).toHaveLength(2);
  });

  it('scores with the SIMD kernel as with plain JS', async () => {
    const model = await new ImplicitALS({ factors: 6, iterations: 3 }).fit(m);
    const simd = model.recommend(2, { n: 8 });
    useSimd(false);
    const js = model.recommend(2, { n: 8 });
    useSimd(true);
    expect(simd.map((r) => r.index)).toEqual(js.map((r) => r.index));
    simd.forEach((r, k) => {
      expect(r.score).toBeCloseTo((js[k] as { score: number }).score, 5);
    });
  });

  it('handles empty rows and columns and drops stored zeros', async () => {
    const x = CsrMatrix.fromCoo(5, 6, [0, 0, 2, 4], [1, 2, 1, 5], [3, 0, 1, 2]);
    const model = await new ImplicitALS({ factors: 3, iterations: 3 }).fit(x);
    expect(model.userItems?.nnz).toBe(3);
    expect(model.recommend(1, { n: 6 })).toHaveLength(6); // a user with no history still gets n items
    for (const v of model.userFactors) expect(Number.isFinite(v)).toBe(true);
  });

  it('rejects bad input, bad options and unknown ids', async () => {
    const bad = CsrMatrix.fromCoo(2, 2, [0, 1], [0, 1], [1, -2]);
    await expect(new ImplicitALS().fit(bad)).rejects.toThrow(/userItems must hold finite non-negative values, got -2 at row 1, column 1/);
    await expect(new ImplicitALS().fit('x' as never)).rejects.toThrow(/userItems must be a CsrMatrix/);
    expect(() => new ImplicitALS({ factors: 0 })).toThrow(/options.factors must be an integer in \[1, 4096\], got 0/);
    expect(() => new ImplicitALS({ solver: 'lu' as never })).toThrow(/options.solver must be 'cg' or 'cholesky'/);
    expect(() => new ImplicitALS({ alpha: -1 })).toThrow(/options.alpha must be a non-negative number/);
    expect(() => new ImplicitALS({ factor: 3 } as never)).toThrow(/unknown option "factor"/);
    expect(() => new ImplicitALS().recommend(0)).toThrow(/recommend\(\) called before fit/);
    const model = await new ImplicitALS({ factors: 3, iterations: 2 }).fit(m, { users: new IdMap(Array.from({ length: 40 }, (_, i) => i * 10)) });
    expect(() => model.recommend(5)).toThrow(/user 5 is unknown/);
    expect(() => model.recommend(10, { n: -1 })).toThrow(/options.n must be an integer >= 0, got -1/);
    expect(() => model.recommend(10, { filterItems: [999] })).toThrow(/options.filterItems\[\] must be an integer in \[0, 59\], got 999/);
    expect(() => model.recalculateUser({ items: [1], values: [Number.NaN] })).toThrow(/values\[0\] must be a finite number/);
    await expect(new ImplicitALS().fit(m, { users: new IdMap(['a']) })).rejects.toThrow(/maps.users.size must be the matrix's 40 rows/);
  });

  it('stops a fit whose confidences overflow (alpha 1e30) instead of returning NaN scores, and keeps the old model', async () => {
    const model = await new ImplicitALS({ factors: 3, iterations: 2 }).fit(m);
    const before = model.recommend(0, { n: 3 });
    const huge = new ImplicitALS({ factors: 3, iterations: 2, alpha: 1e30 });
    await expect(huge.fit(m)).rejects.toThrow(
      /ImplicitALS diverged at iteration 1: the factors became NaN; confidences 1 \+ alpha x value \(alpha 1e\+30, largest value 5\) overflow float32/,
    );
    expect(() => huge.recommend(0)).toThrow(/called before fit/);
    expect(model.recommend(0, { n: 3 })).toEqual(before);
    expect(before.every((r) => Number.isFinite(r.score))).toBe(true);
  });

  it("keeps its own copies of the caller's id maps: folding in on one model leaves the other intact", async () => {
    const users = new IdMap(Array.from({ length: 40 }, (_, i) => `u${i}`));
    const items = new IdMap(Array.from({ length: 60 }, (_, i) => `i${i}`));
    const one = await new ImplicitALS({ factors: 3, iterations: 2, seed: 1 }).fit(m, { users, items });
    const two = await new ImplicitALS({ factors: 3, iterations: 2, seed: 1 }).fit(m, { users, items });
    one.partialFitUsers(['new'], [{ items: ['i1'] }]);
    expect(one.users?.has('new')).toBe(true);
    // Before, the shared map gained 'new' too: two's save/load failed and its similarUsers gave zeros.
    expect(users.has('new')).toBe(false);
    expect(two.users?.size).toBe(40);
    expect(ImplicitALS.fromBytes(two.toBytes()).recommend('u3', { n: 3 })).toEqual(two.recommend('u3', { n: 3 }));
    expect(two.similarUsers('u0', { n: 2 }).every((r) => Number.isFinite(r.score) && r.score !== 0)).toBe(true);
  });

  it('refuses a user listed twice in one partialFitUsers call, changing nothing', async () => {
    const users = new IdMap(Array.from({ length: 40 }, (_, i) => `u${i}`));
    const items = new IdMap(Array.from({ length: 60 }, (_, i) => `i${i}`));
    const model = await new ImplicitALS({ factors: 3, iterations: 2 }).fit(m, { users, items });
    expect(() => model.partialFitUsers(['new', 'u1', 'new'], [{ items: ['i1'] }, { items: ['i2'] }, { items: ['i3'] }])).toThrow(
      /users\[2\] must be a user not listed before \(it repeats users\[0\]\), got "new"/,
    );
    expect(model.users?.has('new')).toBe(false);
    expect(model.userFactors.length).toBe(40 * 3);
  });
});
