import { rangeError } from '@aiffel/core';
import type { Label } from '../boosting/labels.js';
import type { Estimator } from '../selection/estimator.js';

export type Named<T> = [string, T];

/** Members as [name, model] pairs (bare models get names m0, m1, ...), checked for fit/predict. */
export function namedMembers<T>(list: readonly (T | Named<T>)[], what: string, isModel: (m: unknown) => boolean): Named<T>[] {
  if (!Array.isArray(list) || list.length === 0) throw rangeError(what, 'a non-empty array of models or [name, model] pairs', list);
  const out = list.map((e, i): Named<T> => (Array.isArray(e) && e.length === 2 && typeof e[0] === 'string' ? (e as Named<T>) : [`m${i}`, e as T]));
  const names = new Set<string>();
  out.forEach(([n, m], i) => {
    if (!isModel(m)) throw rangeError(`${what}[${i}]`, 'a model with fit() and predict()', m);
    if (names.has(n)) throw rangeError(`${what}[${i}] name`, 'unique', n);
    names.add(n);
  });
  return out;
}

export function isEstimator(m: unknown): boolean {
  return m !== null && typeof m === 'object' && typeof (m as Estimator<Label>).fit === 'function' && typeof (m as Estimator<Label>).predict === 'function';
}

export function checkWeights(weights: readonly number[] | undefined, n: number): Float64Array {
  if (weights === undefined) return new Float64Array(n).fill(1);
  if (!Array.isArray(weights) || weights.length !== n) throw rangeError('weights', `an array of ${n} numbers (one per member)`, weights);
  weights.forEach((w, i) => {
    if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) throw rangeError(`weights[${i}]`, 'a finite number >= 0', w);
  });
  if (weights.every((w) => w === 0)) throw rangeError('weights', 'not all zero', weights);
  return Float64Array.from(weights);
}
