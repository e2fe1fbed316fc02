/**
 * King County house prices (the classic Kaggle exercise) with @aiffel/gbm-ensemble:
 *   npm run example -- house-prices [--data ../shared/data/house-prices/kc_house_data.csv] [--quick] [--out dir]
 * log1p target, engineered features, a random search over the gbdt model's leaves and learning
 * rate, a VotingRegressor of a tuned gbdt and a goss model, RMSE on a held-out 20% (in log price
 * and in dollars), feature importance as an SVG bar chart. Ends with one JSON line of metrics.
 */
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { GradientBoostingRegressor, intRange, log1pTarget, logUniform, RandomizedSearchCV, rmse, trainTestSplit, VotingRegressor } from '@aiffel/gbm-ensemble';
import { barChartSvg } from './bar-chart.js';
import { FEATURES, featureRows, zipStats } from './features.js';
import { type House, loadHouses, syntheticHouses } from './houses.js';

const USAGE = 'usage: npm run example -- house-prices [--data kc_house_data.csv] [--quick] [--out dir]';
let args: { data?: string; quick?: boolean; out?: string };
try {
  args = parseArgs({ strict: true, options: { data: { type: 'string' }, quick: { type: 'boolean' }, out: { type: 'string' } } }).values;
} catch (e) {
  console.error(`house-prices: ${(e as Error).message}\n${USAGE}`);
  process.exit(2);
}
const quick = args.quick === true;
const dataPath = args.data;
const outDir = args.out ?? 'out';
if (dataPath !== undefined && !(existsSync(dataPath) && statSync(dataPath).isFile())) {
  console.error(`house-prices: --data: ${dataPath} is not a file (expected kc_house_data.csv)`);
  process.exit(1);
}

let houses: House[];
try {
  houses = dataPath ? loadHouses(dataPath) : syntheticHouses(quick ? 4000 : 20000);
} catch (e) {
  console.error(`house-prices: --data: ${dataPath}: ${(e as Error).message}`);
  process.exit(1);
}
console.log(`${houses.length} sales from ${dataPath ?? 'built-in data (pass --data kc_house_data.csv for the real set)'}`);
const split = trainTestSplit(houses.length, { testSize: 0.2, seed: 42 });
const trainHouses = Array.from(split.train, (i) => houses[i] as House);
const testHouses = Array.from(split.test, (i) => houses[i] as House);
const stats = zipStats(trainHouses);
const zipCodes = new Map<string, number>();
const Xtr = featureRows(trainHouses, stats, zipCodes);
const Xte = featureRows(testHouses, stats, zipCodes);
const ytr = log1pTarget.transform(trainHouses.map((h) => h.price));
const yte = log1pTarget.transform(testHouses.map((h) => h.price));
const cat = [FEATURES.indexOf('zipcode')];
const common = { nEstimators: quick ? 150 : 600, categoricalFeatures: cat };

const t0 = performance.now();
const search = new RandomizedSearchCV({
  estimator: (p) => new GradientBoostingRegressor({ ...common, nEstimators: quick ? 100 : 300, ...p }),
  paramDistributions: { numLeaves: intRange(8, 64), learningRate: logUniform(0.03, 0.2), minChildSamples: intRange(5, 40) },
  nIter: quick ? 3 : 12,
  cv: 3,
  scoring: 'rmse',
  seed: 7,
  refit: false,
  onTrial: (t, i) => console.log(`  trial ${i + 1}: rmse ${t.meanScore.toFixed(4)} ${JSON.stringify(t.params)}`),
}).fit(Xtr, ytr);
console.log('random search (3-fold CV, log price), best first:');
console.table(search.table().slice(0, 5));

const gbdt = new GradientBoostingRegressor({ ...common, ...search.bestParams, learningRate: (search.bestParams.learningRate as number) / 2 });
const goss = new GradientBoostingRegressor({ ...common, boosting: 'goss', numLeaves: 31, learningRate: 0.05 });
const voting = new VotingRegressor({
  estimators: [
    ['gbdt', gbdt],
    ['goss', goss],
  ],
}).fit(Xtr, ytr);
const seconds = (performance.now() - t0) / 1000;

const members = voting.predictMembers(Xte);
const pred = voting.predict(Xte);
const dollars = (p: Float64Array): number => rmse(log1pTarget.inverse(yte), log1pTarget.inverse(p));
const metrics = {
  example: 'house-prices',
  data: dataPath ?? 'built-in',
  train_rows: Xtr.length,
  test_rows: Xte.length,
  rmse_log_gbdt: rmse(yte, members.gbdt as Float64Array),
  rmse_log_goss: rmse(yte, members.goss as Float64Array),
  rmse_log_voting: rmse(yte, pred),
  rmse_dollars_voting: dollars(pred),
  best_params: search.bestParams,
  seconds,
};
console.log(
  `held-out RMSE (log price): gbdt ${metrics.rmse_log_gbdt.toFixed(4)}, goss ${metrics.rmse_log_goss.toFixed(4)}, voting ${metrics.rmse_log_voting.toFixed(4)}; in dollars ${Math.round(metrics.rmse_dollars_voting)}`,
);

const importance = gbdt.featureImportance('gain');
mkdirSync(outDir, { recursive: true });
const chart = join(outDir, 'house-prices-importance.svg');
writeFileSync(chart, barChartSvg('Feature importance (gain), gbdt model', FEATURES, Array.from(importance)));
console.log(`feature importance chart: ${chart}`);
console.log(JSON.stringify(metrics));
