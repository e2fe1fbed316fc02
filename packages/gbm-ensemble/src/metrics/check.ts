import { rangeError, typeError } from '../core/errors.js';

/** Two equal-length, non-empty, finite numeric vectors (true values first). */
export function pair(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, what: string): void {
  for (const [name, v] of [
    ['yTrue', yTrue],
    ['yPred', yPred],
  ] as const) {
    if (v === null || typeof v !== 'object' || typeof v.length !== 'number') throw typeError(`${what} ${name}`, 'an array of numbers', v);
    if (v.length === 0) throw rangeError(`${what} ${name}`, 'non-empty', v);
    for (let i = 0; i < v.length; i++)
      if (typeof v[i] !== 'number' || !Number.isFinite(v[i])) throw rangeError(`${what} ${name}[${i}]`, 'a finite number', v[i]);
  }
  if (yTrue.length !== yPred.length) throw rangeError(`${what} yPred.length`, `${yTrue.length} (the length of yTrue)`, yPred.length);
}

/**
 * Two equal-length, non-empty label vectors: finite numbers, or non-empty strings (what the
 * classifiers take), one type throughout.
 */
export function labelPair(yTrue: ArrayLike<unknown>, yPred: ArrayLike<unknown>, what: string): void {
  let kind: 'number' | 'string' | undefined;
  for (const [name, v] of [
    ['yTrue', yTrue],
    ['yPred', yPred],
  ] as const) {
    if (v === null || typeof v !== 'object' || typeof v.length !== 'number') throw typeError(`${what} ${name}`, 'an array of labels', v);
    if (v.length === 0) throw rangeError(`${what} ${name}`, 'non-empty', v);
    for (let i = 0; i < v.length; i++) {
      const x = v[i];
      const ok = (typeof x === 'number' && Number.isFinite(x)) || (typeof x === 'string' && x.length > 0);
      if (!ok) throw rangeError(`${what} ${name}[${i}]`, 'a finite number or a non-empty string', x);
      kind ??= typeof x as 'number' | 'string';
      if (typeof x !== kind) throw rangeError(`${what} ${name}[${i}]`, `a ${kind} like the other labels`, x);
    }
  }
  if (yTrue.length !== yPred.length) throw rangeError(`${what} yPred.length`, `${yTrue.length} (the length of yTrue)`, yPred.length);
}
