import { rangeError } from '@aiffel/core';
import { pair } from './check.js';

export function meanSquaredError(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  pair(yTrue, yPred, 'meanSquaredError');
  let s = 0;
  for (let i = 0; i < yTrue.length; i++) s += ((yTrue[i] as number) - (yPred[i] as number)) ** 2;
  return s / yTrue.length;
}

export function rmse(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  return Math.sqrt(meanSquaredError(yTrue, yPred));
}

/** Root mean squared log error (Kaggle's house-price score); negative values are an error. */
export function rmsle(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  pair(yTrue, yPred, 'rmsle');
  let s = 0;
  for (let i = 0; i < yTrue.length; i++) {
    const a = yTrue[i] as number;
    const b = yPred[i] as number;
    if (a < 0 || b < 0) throw rangeError(`rmsle ${a < 0 ? 'yTrue' : 'yPred'}[${i}]`, 'non-negative', a < 0 ? a : b);
    s += (Math.log1p(a) - Math.log1p(b)) ** 2;
  }
  return Math.sqrt(s / yTrue.length);
}

export function meanAbsoluteError(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  pair(yTrue, yPred, 'meanAbsoluteError');
  let s = 0;
  for (let i = 0; i < yTrue.length; i++) s += Math.abs((yTrue[i] as number) - (yPred[i] as number));
  return s / yTrue.length;
}

/** Coefficient of determination; 0 for a constant target predicted exactly, as scikit-learn. */
export function r2Score(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  pair(yTrue, yPred, 'r2Score');
  let m = 0;
  for (let i = 0; i < yTrue.length; i++) m += yTrue[i] as number;
  m /= yTrue.length;
  let ssRes = 0;
  let ssTot = 0;
  for (let i = 0; i < yTrue.length; i++) {
    ssRes += ((yTrue[i] as number) - (yPred[i] as number)) ** 2;
    ssTot += ((yTrue[i] as number) - m) ** 2;
  }
  if (ssTot === 0) return ssRes === 0 ? 1 : 0;
  return 1 - ssRes / ssTot;
}
