import { classificationReport, rocCurve } from '@aiffel/face-embed';

export interface HeldOutReport {
  photos: number;
  accuracy: number;
  macroF1: number;
  /** Mean one-vs-rest ROC AUC over the classes that have positives and negatives in the test set. */
  rocAucOvr: number | null;
  perClass: { label: string; precision: number; recall: number; f1: number; support: number; rocAuc: number | null }[];
  labels: string[];
  confusion: number[][];
}

/** Accuracy, per-class precision / recall / F1, one-vs-rest ROC AUC and the confusion matrix. */
export function heldOutReport(truth: string[], probabilities: Map<string, number>[], labels: string[]): HeldOutReport {
  const predicted = probabilities.map((p) => [...p].reduce((a, b) => (b[1] > a[1] ? b : a))[0]);
  const r = classificationReport(truth, predicted, labels);
  const aucs = labels.map((label) => {
    const pairs = truth.map((t, i) => ({ distance: 1 - ((probabilities[i] as Map<string, number>).get(label) ?? 0), same: t === label }));
    if (!pairs.some((p) => p.same) || pairs.every((p) => p.same)) return null;
    return rocCurve(pairs).auc;
  });
  const known = aucs.filter((a): a is number => a !== null);
  const present = r.perClass.filter((c) => c.support > 0);
  return {
    photos: truth.length,
    accuracy: r.accuracy,
    macroF1: present.length === 0 ? 0 : present.reduce((s, c) => s + c.f1, 0) / present.length,
    rocAucOvr: known.length === 0 ? null : known.reduce((s, a) => s + a, 0) / known.length,
    perClass: r.perClass.map((c, i) => ({ ...c, rocAuc: aucs[i] ?? null })),
    labels,
    confusion: r.confusion,
  };
}
