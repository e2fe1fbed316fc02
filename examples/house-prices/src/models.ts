import { GradientBoostingRegressor } from '@aiffel/gbm-ensemble';

export interface Budget {
  /** Boosting rounds of each member at the exercise's learning rate. */
  rounds: number;
  learningRate: number;
  seed: number;
}

/** The exercise's tuned rate: with it, the members need thousands of rounds (`--quick` trades it for 0.1). */
export const EXERCISE_RATE = 0.015;

/**
 * The exercise's five-model vote: one XGBoost-style booster (depth-wise growth, XGBoost's L2 of
 * 1, row and column subsampling) and four LightGBM-style ones at learning rate 0.015 with depths
 * 7, 13, 7 and 11, alternating goss and gbdt. Factories, so a stacking ensemble can refit them
 * per fold.
 */
export function voteMembers(b: Budget, categoricalFeatures: number[]): [string, () => GradientBoostingRegressor][] {
  const common = { nEstimators: b.rounds, learningRate: b.learningRate, categoricalFeatures, seed: b.seed };
  const lgb = (boosting: 'gbdt' | 'goss', maxDepth: number) => () =>
    new GradientBoostingRegressor({ ...common, boosting, maxDepth, numLeaves: Math.min(63, 2 ** maxDepth - 1), colsampleBytree: 0.8 });
  return [
    [
      'xgboost-depth6',
      () =>
        new GradientBoostingRegressor({
          ...common,
          growth: 'depth',
          maxDepth: 6,
          lambdaL2: 1,
          subsample: 0.8,
          colsampleBytree: 0.8,
          minChildSamples: 1,
          minChildWeight: 1,
        }),
    ],
    ['lgbm-goss-d7', lgb('goss', 7)],
    ['lgbm-gbdt-d13', lgb('gbdt', 13)],
    ['lgbm-gbdt-d7', lgb('gbdt', 7)],
    ['lgbm-goss-d11', lgb('goss', 11)],
  ];
}
