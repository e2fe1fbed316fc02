export type Label = string | number;

export interface ClassificationReport<L extends Label = Label> {
  accuracy: number;
  /** Unweighted mean of the per-class F1 scores (classes with no true and no predicted row count as 0). */
  macroF1: number;
  /** Classes in the order of the confusion matrix: `classes` if given, else every label seen, sorted. */
  classes: L[];
  /** confusion[i][j]: rows of true class i predicted as class j. */
  confusion: number[][];
  perClass: { label: L; precision: number; recall: number; f1: number; support: number }[];
}

const sortLabels = <L extends Label>(a: L, b: L) => (typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b)));

/**
 * Accuracy, macro F1, per-class precision / recall / F1 and the confusion matrix of predicted
 * against true labels (scikit-learn's classification_report and confusion_matrix in one pass).
 */
export function classificationReport<L extends Label>(yTrue: ArrayLike<L>, yPred: ArrayLike<L>, classes?: readonly L[]): ClassificationReport<L> {
  if (yTrue === null || typeof yTrue !== 'object' || typeof yTrue.length !== 'number')
    throw new TypeError(`yTrue must be an array of labels, got ${String(yTrue)}`);
  if (yPred === null || typeof yPred !== 'object' || yPred.length !== yTrue.length)
    throw new RangeError(`yPred must be ${yTrue.length} labels (one per yTrue), got ${yPred?.length ?? String(yPred)}`);
  if (yTrue.length === 0) throw new RangeError('yTrue must be at least one label, got 0');
  const list = classes ? [...classes] : [...new Set([...Array.from(yTrue), ...Array.from(yPred)])].sort(sortLabels);
  const at = new Map<L, number>(list.map((c, i) => [c, i]));
  const K = list.length;
  const confusion = Array.from({ length: K }, () => new Array<number>(K).fill(0));
  let hits = 0;
  for (let i = 0; i < yTrue.length; i++) {
    const t = at.get(yTrue[i] as L);
    const p = at.get(yPred[i] as L);
    if (t === undefined) throw new RangeError(`yTrue[${i}] must be one of the classes (${list.join(', ')}), got ${String(yTrue[i])}`);
    if (p === undefined) throw new RangeError(`yPred[${i}] must be one of the classes (${list.join(', ')}), got ${String(yPred[i])}`);
    (confusion[t] as number[])[p] = ((confusion[t] as number[])[p] as number) + 1;
    if (t === p) hits++;
  }
  const perClass = list.map((label, c) => {
    const tp = (confusion[c] as number[])[c] as number;
    const support = (confusion[c] as number[]).reduce((a, b) => a + b, 0);
    const predicted = confusion.reduce((a, row) => a + (row[c] as number), 0);
    const precision = predicted > 0 ? tp / predicted : 0;
    const recall = support > 0 ? tp / support : 0;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    return { label, precision, recall, f1, support };
  });
  return { accuracy: hits / yTrue.length, macroF1: perClass.reduce((a, p) => a + p.f1, 0) / K, classes: list, confusion, perClass };
}
