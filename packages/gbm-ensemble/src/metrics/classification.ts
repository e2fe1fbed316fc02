import { rangeError, typeError } from '@aiffel/core';
import { labelPair, pair } from './check.js';

/** A class label as the classifiers take it. */
type Label = number | string;

const byLabel = (a: Label, b: Label): number =>
  typeof a === 'number' && typeof b === 'number' ? a - b : String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;

/** Share of equal labels; numbers or strings, as the classifiers take them. */
export function accuracy<L extends Label>(yTrue: ArrayLike<L>, yPred: ArrayLike<L>): number {
  labelPair(yTrue, yPred, 'accuracy');
  let ok = 0;
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === yPred[i]) ok++;
  return ok / yTrue.length;
}

/**
 * Cross-entropy. `proba` is P(class 1) per row for binary labels 0/1, or one row of class
 * probabilities per sample (number[][] or a flat rows x classes array with `classes`).
 */
export function logLoss(yTrue: ArrayLike<number>, proba: ArrayLike<number> | ArrayLike<ArrayLike<number>>, eps = 1e-15): number {
  const n = yTrue.length;
  if (n === 0) throw rangeError('logLoss yTrue', 'non-empty', yTrue);
  let s = 0;
  const first = (proba as ArrayLike<unknown>)[0];
  if (typeof first === 'number') {
    const p = proba as ArrayLike<number>;
    if (p.length === n) {
      pair(yTrue, p, 'logLoss');
      for (let i = 0; i < n; i++) {
        const y = yTrue[i] as number;
        if (y !== 0 && y !== 1) throw rangeError(`logLoss yTrue[${i}]`, '0 or 1 with one probability per row', y);
        const q = Math.min(Math.max(probability(p[i], i), eps), 1 - eps);
        s -= y === 1 ? Math.log(q) : Math.log(1 - q);
      }
      return s / n;
    }
    if (p.length % n !== 0) throw rangeError('logLoss proba.length', `a multiple of ${n}`, p.length);
    const K = p.length / n;
    for (let i = 0; i < n; i++) s -= Math.log(Math.min(Math.max(probability(p[i * K + classIndex(yTrue, i, K)], i), eps), 1));
    return s / n;
  }
  const rows = proba as ArrayLike<ArrayLike<number>>;
  if (rows.length !== n) throw rangeError('logLoss proba.length', `${n}`, rows.length);
  for (let i = 0; i < n; i++) {
    const row = rows[i] as ArrayLike<number>;
    if (!row || typeof row.length !== 'number') throw typeError(`logLoss proba[${i}]`, 'a row of probabilities', row);
    s -= Math.log(Math.min(Math.max(probability(row[classIndex(yTrue, i, row.length)], i), eps), 1));
  }
  return s / n;
}

// eps clips exact 0 and 1 (log 0); a value outside [0, 1] or NaN is not a probability and
// clipping it would report a loss for scores the caller never meant as probabilities.
function probability(v: number | undefined, row: number): number {
  if (typeof v !== 'number' || !(v >= 0 && v <= 1)) throw rangeError(`logLoss proba (row ${row})`, 'a probability in [0, 1]', v);
  return v;
}

function classIndex(y: ArrayLike<number>, i: number, K: number): number {
  const c = y[i] as number;
  if (!Number.isInteger(c) || c < 0 || c >= K) throw rangeError(`logLoss yTrue[${i}]`, `a class index in [0, ${K - 1}]`, c);
  return c;
}

/**
 * Area under the ROC curve by the rank statistic (Mann-Whitney U), ties sharing their average
 * rank, so it equals scikit-learn's roc_auc_score. Labels must be 0/1 with both present.
 */
export function rocAuc(yTrue: ArrayLike<number>, score: ArrayLike<number>): number {
  pair(yTrue, score, 'rocAuc');
  const n = yTrue.length;
  let pos = 0;
  for (let i = 0; i < n; i++) {
    const y = yTrue[i];
    if (y !== 0 && y !== 1) throw rangeError(`rocAuc yTrue[${i}]`, '0 or 1', y);
    pos += y;
  }
  const neg = n - pos;
  if (pos === 0 || neg === 0) throw rangeError('rocAuc yTrue', 'both classes present', `only class ${pos === 0 ? 0 : 1}`);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => (score[a] as number) - (score[b] as number));
  let rankSum = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && score[order[j + 1] as number] === score[order[i] as number]) j++;
    const avg = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) if (yTrue[order[k] as number] === 1) rankSum += avg;
    i = j + 1;
  }
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

/** Counts[i][j] of true label labels[i] predicted as labels[j]; labels default to the sorted union. */
export function confusionMatrix<L extends Label>(
  yTrue: ArrayLike<L>,
  yPred: ArrayLike<L>,
  labels?: L[],
  what = 'confusionMatrix',
): { labels: L[]; matrix: number[][] } {
  labelPair(yTrue, yPred, what);
  const ls = labels ?? [...new Set([...Array.from(yTrue), ...Array.from(yPred)])].sort(byLabel);
  const at = new Map(ls.map((l, i) => [l, i]));
  const matrix = ls.map(() => new Array<number>(ls.length).fill(0));
  for (let i = 0; i < yTrue.length; i++) {
    const a = at.get(yTrue[i] as L);
    const b = at.get(yPred[i] as L);
    if (a !== undefined && b !== undefined) {
      const row = matrix[a] as number[];
      row[b] = (row[b] as number) + 1;
    }
  }
  return { labels: ls, matrix };
}

export interface F1Options<L extends Label = number> {
  /** 'binary' (default, for the positive label), 'macro', 'micro' or 'weighted'. */
  average?: 'binary' | 'macro' | 'micro' | 'weighted';
  /** The positive label for 'binary'. Default 1. */
  posLabel?: L;
}

export function f1Score<L extends Label>(yTrue: ArrayLike<L>, yPred: ArrayLike<L>, options: F1Options<L> = {}): number {
  const { labels, matrix } = confusionMatrix(yTrue, yPred, undefined, 'f1Score');
  const average = options.average ?? 'binary';
  const f1 = (i: number): number => {
    const tp = (matrix[i] as number[])[i] as number;
    let fp = 0;
    let fn = 0;
    for (let j = 0; j < labels.length; j++) {
      if (j === i) continue;
      fp += (matrix[j] as number[])[i] as number;
      fn += (matrix[i] as number[])[j] as number;
    }
    return tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
  };
  if (average === 'binary') {
    const pos = options.posLabel ?? (1 as L);
    const i = labels.indexOf(pos);
    if (labels.length > 2) throw rangeError('f1Score average', "'macro', 'micro' or 'weighted' for more than two classes", average);
    return i < 0 ? 0 : f1(i);
  }
  if (average === 'micro') return accuracy(yTrue, yPred);
  let s = 0;
  let w = 0;
  labels.forEach((_, i) => {
    const support = (matrix[i] as number[]).reduce((a, b) => a + b, 0);
    const weight = average === 'weighted' ? support : 1;
    s += weight * f1(i);
    w += weight;
  });
  if (average !== 'macro' && average !== 'weighted') throw rangeError('f1Score average', "'binary', 'macro', 'micro' or 'weighted'", average);
  return w === 0 ? 0 : s / w;
}
