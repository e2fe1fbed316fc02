import * as tf from '@tensorflow/tfjs-core';
import { rangeError, typeError } from '../errors.js';
import type { LossFn } from './losses.js';

export type ClassLabel = string | number;
/** Per-class loss weights: 'balanced' (n / (classes x count), as scikit-learn) or `{ label: weight }`. */
export type ClassWeight = 'balanced' | Record<string, number>;

/** Refuses a malformed classWeight option by name. */
export function checkClassWeight(name: string, cw: unknown): ClassWeight | undefined {
  if (cw === undefined || cw === 'balanced') return cw;
  if (cw === null || typeof cw !== 'object' || Array.isArray(cw)) throw typeError(name, "'balanced' or { label: weight }", cw);
  for (const [k, v] of Object.entries(cw))
    if (!(typeof v === 'number' && v > 0 && Number.isFinite(v))) throw rangeError(`${name}.${k}`, 'a positive finite number', v);
  return cw as ClassWeight;
}

/**
 * Training targets for a classifier: the sorted distinct labels, and y = [class index, class weight]
 * per row, the layout `weightedCrossEntropy` reads. Labels must be of one type (strings or numbers)
 * with at least two classes.
 */
export function classTargets<L extends ClassLabel>(
  labels: ArrayLike<L>,
  rows: number,
  classWeight: ClassWeight | undefined,
  weightName = 'options.classWeight',
): { classes: L[]; y: { data: Float32Array; rows: number; cols: number; shape: number[] } } {
  if (labels === null || typeof labels !== 'object' || typeof labels.length !== 'number') throw typeError('labels', 'an array of class labels', labels);
  if (labels.length !== rows) throw rangeError('labels length', `${rows} (one per row of X)`, labels.length);
  const list = Array.from(labels);
  list.forEach((l, i) => {
    if (!((typeof l === 'string' && l.length > 0) || (typeof l === 'number' && Number.isFinite(l))))
      throw typeError(`labels[${i}]`, 'a non-empty string or a finite number', l);
  });
  if (new Set(list.map((l) => typeof l)).size > 1)
    throw typeError(
      'labels',
      'labels of one type (all strings or all numbers)',
      list.find((l) => typeof l !== list[0] && typeof l === 'string'),
    );
  const classes = [...new Set(list)].sort((a, b) => (typeof a === 'number' ? (a as number) - (b as number) : String(a).localeCompare(String(b))));
  if (classes.length < 2) throw rangeError('labels', 'at least 2 distinct classes', classes.length);
  const index = new Map<L, number>(classes.map((c, i) => [c, i]));
  const counts = new Float64Array(classes.length);
  for (const l of list) counts[index.get(l) as number] = (counts[index.get(l) as number] as number) + 1;
  const weights = classes.map((c, i) => {
    if (classWeight === undefined) return 1;
    if (classWeight === 'balanced') return rows / (classes.length * (counts[i] as number));
    const w = classWeight[String(c)];
    if (w === undefined) throw rangeError(`${weightName}.${String(c)}`, 'a weight for every class', undefined);
    return w;
  });
  const data = new Float32Array(rows * 2);
  list.forEach((l, i) => {
    const c = index.get(l) as number;
    data[2 * i] = c;
    data[2 * i + 1] = weights[c] as number;
  });
  return { classes, y: { data, rows, cols: 2, shape: [rows, 2] } };
}

/** Cross-entropy from logits, each row weighted by its class weight (y = [class index, weight]); one output = binary. */
export function weightedCrossEntropy(outputs: number): LossFn {
  return (y, logits) => {
    const label = y.slice([0, 0], [-1, 1]).reshape([-1]);
    const w = y.slice([0, 1], [-1, 1]).reshape([-1]);
    const perRow =
      outputs === 1
        ? tf.losses.sigmoidCrossEntropy(label.reshape([-1, 1]), logits, undefined, undefined, tf.Reduction.NONE).reshape([-1])
        : tf.losses.softmaxCrossEntropy(tf.oneHot(tf.cast(label, 'int32'), outputs), logits, undefined, undefined, tf.Reduction.NONE);
    return tf.div(tf.sum(tf.mul(perRow, w)), tf.sum(w)) as tf.Scalar;
  };
}

/** The most probable class of each row of `p` (rows x classes.length, row-major); ties go to the first class. */
export function probaToLabels<L>(p: ArrayLike<number>, classes: readonly L[]): L[] {
  const k = classes.length;
  return Array.from({ length: p.length / k }, (_, i) => {
    let best = 0;
    for (let c = 1; c < k; c++) if ((p[i * k + c] as number) > (p[i * k + best] as number)) best = c;
    return classes[best] as L;
  });
}

/** Row-wise softmax of logits (rows x k) as probabilities; k = 1 is a sigmoid into two columns. */
export function logitsToProba(logits: ArrayLike<number>, rows: number, k: number): Float64Array {
  const classes = k === 1 ? 2 : k;
  const out = new Float64Array(rows * classes);
  for (let i = 0; i < rows; i++) {
    if (k === 1) {
      const p = 1 / (1 + Math.exp(-(logits[i] as number)));
      out[2 * i] = 1 - p;
      out[2 * i + 1] = p;
      continue;
    }
    let max = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < k; c++) max = Math.max(max, logits[i * k + c] as number);
    let sum = 0;
    for (let c = 0; c < k; c++) sum += Math.exp((logits[i * k + c] as number) - max);
    for (let c = 0; c < k; c++) out[i * k + c] = Math.exp((logits[i * k + c] as number) - max) / sum;
  }
  return out;
}
