/**
 * Our side of `npm run bench -- gbm` in its own process (for its own peak memory):
 * `node --import tsx gbm-task.ts <base> <boosting> <trees> <leaves> <threads>` prints one JSON line
 * with train and predict seconds, test AUC (binary) or RMSE (regression) and peak memory.
 */
import { Dataset, GradientBoostingClassifier, GradientBoostingRegressor, rmse, rocAuc } from '@aiffel/gbm-ensemble';
import { loadGbmPart } from './gbm-data.js';

const [base = '', boosting = 'gbdt', trees = '200', leaves = '63', threads = '2'] = process.argv.slice(2);
const train = loadGbmPart(base, 'train');
const test = loadGbmPart(base, 'test');
const params = {
  boosting: boosting as 'gbdt' | 'goss',
  nEstimators: Number(trees),
  numLeaves: Number(leaves),
  learningRate: 0.1,
  maxBin: 255,
  nThreads: Number(threads),
};
const t0 = performance.now();
const ds = new Dataset({ data: train.x, rows: train.rows, cols: train.cols }, { categoricalFeatures: train.categorical });
const binSeconds = (performance.now() - t0) / 1000;
const Xtest = { data: test.x, rows: test.rows, cols: test.cols };

/** Serving latency: the median of 1,000 one-row predictions (test rows in turn), in microseconds. */
function oneRowMicros(predict: (X: { data: Float32Array; rows: number; cols: number }) => Float64Array): number {
  const times: number[] = [];
  for (let i = 0; i < 1000; i++) {
    const X = { data: test.x.subarray(i * test.cols, (i + 1) * test.cols), rows: 1, cols: test.cols };
    const t = performance.now();
    predict(X);
    times.push((performance.now() - t) * 1000);
  }
  return times.sort((a, b) => a - b)[500] as number;
}
// A regressor's predict is its raw score, a classifier's raw score is the log-odds AUC ranks.
const binary = train.task === 'binary';
const m = binary ? new GradientBoostingClassifier(params).fit(ds, train.y) : new GradientBoostingRegressor(params).fit(ds, train.y);
const trainSeconds = (performance.now() - t0) / 1000;
const t1 = performance.now();
const pred = m.predictRaw(Xtest);
const predictSeconds = (performance.now() - t1) / 1000;
const out = {
  train_seconds: trainSeconds,
  bin_seconds: binSeconds,
  predict_seconds: predictSeconds,
  predict_one_row_us: oneRowMicros((X) => m.predictRaw(X)),
  ...(binary ? { auc: rocAuc(test.y, pred) } : { rmse: rmse(test.y, pred) }),
};
console.log(JSON.stringify({ ...out, max_rss_mb: process.resourceUsage().maxRSS / 1024 }));
