import { rangeError, typeError } from '@aiffel/core';

/**
 * Two equal-length, non-empty vectors (true values first), each value passed to `value(x, name)`,
 * which throws naming the value when it is not what the metric takes.
 */
function checkPair(yTrue: ArrayLike<unknown>, yPred: ArrayLike<unknown>, what: string, expected: string, value: (x: unknown, name: string) => void): void {
  for (const [name, v] of [
    ['yTrue', yTrue],
    ['yPred', yPred],
  ] as const) {
    if (v === null || typeof v !== 'object' || typeof v.length !== 'number') throw typeError(`${what} ${name}`, expected, v);
    if (v.length === 0) throw rangeError(`${what} ${name}`, 'non-empty', v);
    for (let i = 0; i < v.length; i++) value(v[i], `${what} ${name}[${i}]`);
  }
  if (yTrue.length !== yPred.length) throw rangeError(`${what} yPred.length`, `${yTrue.length} (the length of yTrue)`, yPred.length);
}

/** Two equal-length, non-empty, finite numeric vectors (true values first). */
export function pair(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, what: string): void {
  checkPair(yTrue, yPred, what, 'an array of numbers', (x, name) => {
    if (typeof x !== 'number' || !Number.isFinite(x)) throw rangeError(name, 'a finite number', x);
  });
}

/**
 * Two equal-length, non-empty label vectors: finite numbers, or non-empty strings (what the
 * classifiers take), one type throughout.
 */
export function labelPair(yTrue: ArrayLike<unknown>, yPred: ArrayLike<unknown>, what: string): void {
  let kind: 'number' | 'string' | undefined;
  checkPair(yTrue, yPred, what, 'an array of labels', (x, name) => {
    const ok = (typeof x === 'number' && Number.isFinite(x)) || (typeof x === 'string' && x.length > 0);
    if (!ok) throw rangeError(name, 'a finite number or a non-empty string', x);
    kind ??= typeof x as 'number' | 'string';
    if (typeof x !== kind) throw rangeError(name, `a ${kind} like the other labels`, x);
  });
}
