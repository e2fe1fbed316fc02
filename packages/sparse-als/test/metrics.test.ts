import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CsrMatrix, fromRecords, ImplicitALS, leaveKOut, popularityRanker, randomSplit, rankingMetrics } from '../src/index.js';

describe('rankingMetrics', () => {
  it('matches a hand computation', () => {
    // One user; train item 0; test items 1 and 3; the ranker returns [1, 2, 3].
    const train = CsrMatrix.fromCoo(1, 6, [0], [0], [1]);
    const test = CsrMatrix.fromCoo(1, 6, [0, 0], [1, 3], [1, 1]);
    const ranker = { recommend: () => [{ index: 1 }, { index: 2 }, { index: 3 }] };
    const r = rankingMetrics(ranker, train, test, { k: 3 });
    expect(r.precision).toBeCloseTo(2 / 2, 12); // 2 hits over min(3, 2)
    expect(r.map).toBeCloseTo((1 / 1 + 2 / 3) / 2, 12);
    const dcg = 1 + 1 / Math.log2(4);
    const idcg = 1 + 1 / Math.log2(3);
    expect(r.ndcg).toBeCloseTo(dcg / idcg, 12);
    // Negatives: 6 items - 1 train - 2 test = 3; positives ranked before 0 and 1 of the 3 ranked negatives.
    expect(r.auc).toBeCloseTo((3 + 2) / (2 * 3), 12);
    expect(r.coverage).toBeCloseTo(3 / 6, 12);
    expect(r.users).toBe(1);
  });

  it('splits keep every interaction exactly once', () => {
    const m = CsrMatrix.fromCoo(3, 4, [0, 0, 0, 1, 2, 2], [0, 1, 2, 3, 0, 3], [1, 2, 3, 4, 5, 6]);
    for (const { train, test } of [randomSplit(m, { testFraction: 0.5, seed: 2 }), leaveKOut(m, { k: 1, seed: 1 })]) {
      expect(train.nnz + test.nnz).toBe(6);
      for (let r = 0; r < 3; r++) for (let c = 0; c < 4; c++) expect(train.get(r, c) + test.get(r, c)).toBe(m.get(r, c));
    }
    const { test } = leaveKOut(m, { k: 1 });
    expect(Array.from(test.rowCounts())).toEqual([1, 0, 1]); // a user with a single interaction keeps it
    expect(() => randomSplit(m, { testFraction: 1 })).toThrow(/options.testFraction must be a number in \(0, 1\), got 1/);
    expect(() => rankingMetrics(popularityRanker(m), m, CsrMatrix.fromCoo(2, 4, [], [], []))).toThrow(/test must be a 3 x 4 matrix like train/);
  });
});

const ml100k = new URL('../../../../shared/data/movielens/ml-100k/u.data', import.meta.url);
const have = existsSync(ml100k);
if (!have) console.warn('skipping real-data test: ../shared/data/movielens/ml-100k is absent (it is present in CI)');

describe.skipIf(!have)('MovieLens 100k', () => {
  it('ALS beats the popularity baseline on held-out precision@10', async () => {
    const rows = readFileSync(ml100k, 'utf8')
      .trim()
      .split('\n')
      .map((l) => l.split('\t'));
    // Ratings of 4 and 5 are positive implicit feedback; lower ones are no signal.
    const { matrix } = fromRecords(rows, { user: (r) => r[0] as string, item: (r) => r[1] as string, value: (r) => (Number(r[2]) >= 4 ? 1 : 0) });
    expect([matrix.rows, matrix.cols, matrix.nnz]).toEqual([943, 1682, 100000]);
    const { train, test } = randomSplit(matrix.eliminateZeros(), { testFraction: 0.2, seed: 1 });
    const model = await new ImplicitALS({ factors: 32, iterations: 10, alpha: 5, regularization: 0.05 }).fit(train);
    const ours = rankingMetrics(model as never, train, test, { k: 10 });
    const pop = rankingMetrics(popularityRanker(train), train, test, { k: 10 });
    expect(ours.precision).toBeGreaterThan(pop.precision * 1.3);
    expect(ours.ndcg).toBeGreaterThan(pop.ndcg);
  });
});
