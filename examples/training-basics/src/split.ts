import { trainTestSplit } from '@aiffel/gbm-ensemble';
import { Rng } from '@aiffel/runtime';
import type { Table } from './tables.js';

/** Row indices of the train and test parts. */
export interface Split {
  train: number[];
  test: number[];
  how: string;
}

/**
 * 80 / 20: by group when the table has groups (every window of a person on one side, so the test
 * score is for people the model never saw), stratified by class for classification, plain otherwise.
 */
export function splitTable(t: Table, seed: number): Split {
  if (t.groups) {
    const people = [...new Set(t.groups)].sort((a, b) => a - b);
    const perm = new Rng(seed).permutation(people.length);
    const held = new Set(Array.from(perm.subarray(0, Math.round(people.length * 0.2)), (i) => people[i] as number));
    const train: number[] = [];
    const test: number[] = [];
    for (const [i, g] of t.groups.entries()) (held.has(g) ? test : train).push(i);
    return { train, test, how: `by person: ${held.size} of ${people.length} people held out` };
  }
  const fold = trainTestSplit(t.X.length, { testSize: 0.2, seed, ...(t.kind !== 'regression' && { stratify: t.y }) });
  return { train: Array.from(fold.train), test: Array.from(fold.test), how: t.kind === 'regression' ? 'random 20%' : 'random 20%, stratified by class' };
}

/** Missing values (NaN) replaced by the training rows' median of each column, in both parts. */
export function imputeMedians(X: number[][], train: number[]): { X: number[][]; filled: number } {
  const cols = X[0]?.length ?? 0;
  const medians = Array.from({ length: cols }, (_, j) => {
    const v = train
      .map((i) => (X[i] as number[])[j] as number)
      .filter((x) => !Number.isNaN(x))
      .sort((a, b) => a - b);
    return v.length === 0 ? 0 : (v[Math.floor(v.length / 2)] as number);
  });
  let filled = 0;
  const out = X.map((row) =>
    row.map((v, j) => {
      if (!Number.isNaN(v)) return v;
      filled++;
      return medians[j] as number;
    }),
  );
  return { X: out, filled };
}
