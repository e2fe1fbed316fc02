import type { Fold } from '@aiffel/gbm-ensemble';

/** Row indices of the training and test people. */
export function subjectSplit(subjects: readonly number[], test: ReadonlySet<number>): { train: Int32Array; test: Int32Array } {
  const tr: number[] = [];
  const te: number[] = [];
  subjects.forEach((s, i) => {
    (test.has(s) ? te : tr).push(i);
  });
  return { train: Int32Array.from(tr), test: Int32Array.from(te) };
}

/** k folds that never split a person (GroupKFold): people dealt round-robin by id. */
export function subjectFolds(subjects: readonly number[], k: number): Fold[] {
  const people = [...new Set(subjects)].sort((a, b) => a - b);
  const foldOf = new Map(people.map((p, i) => [p, i % k]));
  return Array.from({ length: k }, (_, f) => ({
    train: Int32Array.from(subjects.flatMap((s, i) => (foldOf.get(s) !== f ? [i] : []))),
    test: Int32Array.from(subjects.flatMap((s, i) => (foldOf.get(s) === f ? [i] : []))),
  }));
}

/** Rows of a row-major matrix. */
export function takeMatrix(
  m: { data: Float64Array; cols: number },
  rows: Int32Array,
  cols?: readonly number[],
): { data: Float64Array; rows: number; cols: number } {
  const c = cols ?? Array.from({ length: m.cols }, (_, i) => i);
  const data = new Float64Array(rows.length * c.length);
  for (let r = 0; r < rows.length; r++) {
    const base = (rows[r] as number) * m.cols;
    for (let j = 0; j < c.length; j++) data[r * c.length + j] = m.data[base + (c[j] as number)] as number;
  }
  return { data, rows: rows.length, cols: c.length };
}

/** Windows (N x T x C float32) at `rows`. */
export function takeWindows(
  raw: { data: Float32Array; shape: [number, number, number] },
  rows: Int32Array,
): { data: Float32Array; shape: [number, number, number] } {
  const per = raw.shape[1] * raw.shape[2];
  const data = new Float32Array(rows.length * per);
  rows.forEach((r, i) => {
    data.set(raw.data.subarray(r * per, (r + 1) * per), i * per);
  });
  return { data, shape: [rows.length, raw.shape[1], raw.shape[2]] };
}
