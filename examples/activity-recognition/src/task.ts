/** One classification task the example runs, whatever the data set: features, labels, raw windows. */
export interface ActivityTask {
  source: string;
  dataset: 'uci-hapt-raw' | 'synthetic' | 'wisdm' | 'basicmotions';
  featureNames: readonly string[];
  /** The labels in display order. */
  classes: readonly string[];
  /** Labels of the static group in the hierarchy; the rest are dynamic. */
  staticLabels: readonly string[];
  /** How train and test were separated. */
  split: string;
  /** What loading did to the data (filled gaps, ...). */
  notes: string[];
  Xtr: { data: Float64Array; rows: number; cols: number };
  ytr: string[];
  Xte: { data: Float64Array; rows: number; cols: number };
  yte: string[];
  /** The person of each training row (folds never split a person), when known. */
  trainSubjects: number[] | undefined;
  raw: { train: { data: Float32Array; shape: [number, number, number] }; test: { data: Float32Array; shape: [number, number, number] } } | undefined;
  /** Why there is no sequence model, when raw is undefined. */
  rawMissing: string | undefined;
}
