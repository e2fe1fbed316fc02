import { checkInteger, checkOptions, Rng } from '@aiffel/core';
import type { FeatureInput } from '../boosting/booster.js';
import type { Label } from '../boosting/labels.js';
import { toSource } from '../data/matrix-source.js';
import { type Estimator, higherIsBetter, type Scoring, scoreModel } from '../selection/estimator.js';

/**
 * Drop in score when one feature's column is shuffled (Breiman; scikit-learn's
 * permutation_importance): positive means the model relies on the feature. Works for any fitted
 * model on held-out data. Returns per feature the mean and std over `nRepeats` shuffles.
 */
export function permutationImportance<Y extends Label>(
  model: Estimator<Y>,
  X: FeatureInput,
  y: ArrayLike<Y>,
  options: { scoring?: Scoring; nRepeats?: number; seed?: number } = {},
): { mean: Float64Array; std: Float64Array; baseline: number } {
  checkOptions('permutationImportance options', options, ['scoring', 'nRepeats', 'seed']);
  const scoring = options.scoring ?? (typeof model.predictProba === 'function' ? 'accuracy' : 'r2');
  const repeats = checkInteger('nRepeats', options.nRepeats ?? 5, 1);
  const sign = higherIsBetter(scoring) ? 1 : -1;
  const src = toSource(X);
  const data = new Float64Array(src.rows * src.cols);
  src.block(0, src.rows, data);
  const baseline = scoreModel(model, { data, rows: src.rows, cols: src.cols }, y, scoring);
  const rng = new Rng(options.seed ?? 0);
  const mean = new Float64Array(src.cols);
  const std = new Float64Array(src.cols);
  const work = new Float64Array(data);
  for (let f = 0; f < src.cols; f++) {
    const drops: number[] = [];
    for (let k = 0; k < repeats; k++) {
      const perm = Int32Array.from({ length: src.rows }, (_, i) => i);
      for (let i = src.rows - 1; i > 0; i--) {
        const j = rng.int(i + 1);
        const t = perm[i] as number;
        perm[i] = perm[j] as number;
        perm[j] = t;
      }
      for (let r = 0; r < src.rows; r++) work[r * src.cols + f] = data[(perm[r] as number) * src.cols + f] as number;
      drops.push(sign * (baseline - scoreModel(model, { data: work, rows: src.rows, cols: src.cols }, y, scoring)));
    }
    for (let r = 0; r < src.rows; r++) work[r * src.cols + f] = data[r * src.cols + f] as number;
    const m = drops.reduce((a, b) => a + b, 0) / repeats;
    mean[f] = m;
    std[f] = Math.sqrt(drops.reduce((a, b) => a + (b - m) ** 2, 0) / repeats);
  }
  return { mean, std, baseline };
}
