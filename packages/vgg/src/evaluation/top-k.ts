import { rangeError } from '@aiffel/runtime';

/**
 * Top-k error: the share of rows whose true class is not among the k highest scores (the
 * ILSVRC measure; k = 1 and k = 5 in the paper). scores: rows x classes, row-major.
 */
export function topKError(scores: ArrayLike<number>, labels: ArrayLike<number>, classes: number, k: number): number {
  if (!Number.isInteger(classes) || classes < 1) throw rangeError('classes', 'a positive integer', classes);
  if (!Number.isInteger(k) || k < 1 || k > classes) throw rangeError('k', `an integer in [1, ${classes}]`, k);
  const rows = labels.length;
  if (rows === 0) throw rangeError('labels', 'at least one label', rows);
  if (scores.length !== rows * classes) throw rangeError('scores length', `${rows * classes} (labels x classes)`, scores.length);
  let wrong = 0;
  for (let r = 0; r < rows; r++) {
    const y = labels[r] as number;
    if (!Number.isInteger(y) || y < 0 || y >= classes) throw rangeError(`labels[${r}]`, `a class in [0, ${classes - 1}]`, y);
    const own = scores[r * classes + y] as number;
    // Rank of the true class: classes scoring higher, ties counted against it.
    let above = 0;
    for (let c = 0; c < classes; c++) if (c !== y && (scores[r * classes + c] as number) >= own) above++;
    if (above >= k) wrong++;
  }
  return wrong / rows;
}
