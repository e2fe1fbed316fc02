import { describe, expect, it } from 'vitest';
import { BPR, CsrMatrix, IdMap, leaveKOut, popularityRanker, rankingMetrics } from '../src/index.js';
import { seededRandom } from '../src/rng.js';

/** 600 users in 4 taste groups over 80 items (item i belongs to group i % 4). */
function tastes(seed: number): CsrMatrix {
  const rand = seededRandom(seed);
  const r: number[] = [];
  const c: number[] = [];
  for (let u = 0; u < 600; u++) {
    const seen = new Set<number>();
    for (let k = 0; k < 12; k++) {
      const g = rand() < 0.9 ? u % 4 : Math.floor(rand() * 4);
      const i = g + 4 * Math.floor(rand() * 20);
      if (!seen.has(i)) {
        seen.add(i);
        r.push(u);
        c.push(i);
      }
    }
  }
  return CsrMatrix.fromCoo(600, 80, r, c);
}

describe('BPR', () => {
  it('ranks the held-out item of a taste group far better than popularity', async () => {
    const { train, test } = leaveKOut(tastes(1), { k: 1, seed: 2 });
    const correct: number[] = [];
    const model = await new BPR({ factors: 8, iterations: 60, learningRate: 0.05, seed: 3, onProgress: (p) => correct.push(p.correct) }).fit(train);
    expect(correct.at(-1)).toBeGreaterThan(0.8);
    expect(correct.at(-1)).toBeGreaterThan(correct[0] as number);
    const ours = rankingMetrics(model as never, train, test, { k: 10 });
    const pop = rankingMetrics(popularityRanker(train), train, test, { k: 10 });
    expect(ours.precision).toBeGreaterThan(pop.precision * 1.5);
    for (const r of model.recommend(0, { n: 10 })) expect(train.get(0, r.index)).toBe(0);
  });

  it('shares the recommend API, is deterministic and rejects bad input', async () => {
    const m = tastes(4);
    const items = new IdMap(Array.from({ length: 80 }, (_, i) => `item${i}`));
    const a = await new BPR({ factors: 4, iterations: 3, seed: 1 }).fit(m, { items });
    const b = await new BPR({ factors: 4, iterations: 3, seed: 1 }).fit(m, { items });
    expect(Array.from(a.itemFactors)).toEqual(Array.from(b.itemFactors));
    expect(a.similarItems('item4', { n: 3 })).toHaveLength(3);
    expect(a.recommend(5, { n: 4, filterItems: ['item0'] }).map((r) => r.id)).not.toContain('item0');
    await expect(new BPR().fit(CsrMatrix.fromCoo(2, 1, [0], [0]))).rejects.toThrow(/at least two items/);
    await expect(new BPR().fit(CsrMatrix.fromCoo(2, 2, [0], [0], [-1]))).rejects.toThrow(/finite non-negative values, got -1/);
    expect(() => new BPR({ learningRate: 0 })).toThrow(/options.learningRate must be a positive number, got 0/);
    expect(() => new BPR().recommend(0)).toThrow(/BPR.recommend\(\) called before fit/);
    // A learning rate that overflows the factors stops the fit with the cause (it returned NaN scores).
    await expect(new BPR({ factors: 4, iterations: 3, learningRate: 1e6 }).fit(m)).rejects.toThrow(
      /BPR diverged at iteration 1: the factors became (NaN|-?Infinity); learningRate 1000000 is too large/,
    );
  });
});
