/** Per-class precision / recall / F1 and the confusion matrix (rows: true, columns: predicted). */
export interface ClassificationReport {
  accuracy: number;
  labels: string[];
  perClass: { label: string; precision: number; recall: number; f1: number; support: number }[];
  confusion: number[][];
}

export function classificationReport(truth: string[], predicted: string[], labels: string[]): ClassificationReport {
  const index = new Map(labels.map((l, i) => [l, i]));
  const k = labels.length;
  const confusion = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  let correct = 0;
  truth.forEach((t, i) => {
    const a = index.get(t);
    const b = index.get(predicted[i] as string);
    if (a === undefined || b === undefined) return;
    (confusion[a] as number[])[b] = ((confusion[a] as number[])[b] as number) + 1;
    if (a === b) correct++;
  });
  const perClass = labels.map((label, c) => {
    const tp = (confusion[c] as number[])[c] as number;
    const support = (confusion[c] as number[]).reduce((s, v) => s + v, 0);
    const predictedCount = confusion.reduce((s, row) => s + (row[c] as number), 0);
    const precision = predictedCount === 0 ? 0 : tp / predictedCount;
    const recall = support === 0 ? 0 : tp / support;
    return { label, precision, recall, f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall), support };
  });
  return { accuracy: truth.length === 0 ? 0 : correct / truth.length, labels, perClass, confusion };
}
