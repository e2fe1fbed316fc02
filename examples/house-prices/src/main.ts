/**
 * The King County house-price competition (Kaggle) end to end with @aiffel/gbm-ensemble:
 *   npm run example -- house-prices [--data kc_house_data.csv] [--quick] [--out dir] [--trials N] [--seed N]
 * A fixed 20% of the sales plays the competition's test set (its prices are used only to score
 * the submission). On the rest: the exercise's outlier removal and features, a Spearman heatmap and
 * the zip code price plot, grid search and TPE search (3-fold CV), the exercise's five-model vote
 * and a stacking ensemble of the same models, `submission.csv` (id,price), and the held-out RMSE
 * in dollars of every model. Ends with one JSON line of metrics.
 */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomicSync } from '@aiffel/core';
import { parseCli } from '@aiffel/example-kit';
import {
  correlationMatrix,
  GradientBoostingRegressor,
  GridSearchCV,
  intRange,
  log1pTarget,
  logUniform,
  rmse,
  StackingRegressor,
  TPESearch,
  trainTestSplit,
  uniform,
  VotingRegressor,
} from '@aiffel/gbm-ensemble';
import { barChartSvg } from './bar-chart.js';
import { removeOutliers } from './cleaning.js';
import { FEATURES, featureRows, zipStats } from './features.js';
import { type House, loadHouses, syntheticHouses } from './houses.js';
import { EXERCISE_RATE, voteMembers } from './models.js';
import { correlationHeatmapPng, zipcodePricePng } from './plots.js';

const USAGE = 'usage: npm run example -- house-prices [--data kc_house_data.csv] [--quick] [--out dir] [--trials N] [--seed N]';
const cli = parseCli({
  name: 'house-prices',
  usage: USAGE,
  options: { data: { type: 'string' }, quick: { type: 'boolean' }, out: { type: 'string' }, trials: { type: 'string' }, seed: { type: 'string' } },
});
const quick = cli.values.quick === true;
const dataPath = cli.values.data;
const outDir = cli.values.out ?? 'out';
const trials = cli.int('trials', 1, 500, quick ? 4 : 12);
const seed = cli.int('seed', 0, 2 ** 31 - 1, 2019);
if (dataPath !== undefined && !(existsSync(dataPath) && statSync(dataPath).isFile()))
  cli.dataError(new Error(`--data: ${dataPath} is not a file (expected kc_house_data.csv)`));
const houses = cli.attempt(() => {
  try {
    return dataPath ? loadHouses(dataPath) : syntheticHouses(quick ? 4000 : 20000);
  } catch (e) {
    throw new Error(`--data: ${dataPath}: ${(e as Error).message}`);
  }
});
mkdirSync(outDir, { recursive: true });
const t0 = performance.now();
console.log(`${houses.length} sales from ${dataPath ?? 'built-in data (pass --data kc_house_data.csv for the real set)'}`);

// The competition's split: fixed, so every run and every model is scored on the same sales.
const split = trainTestSplit(houses.length, { testSize: 0.2, seed: 42 });
const testHouses = Array.from(split.test, (i) => houses[i] as House);
const { kept: trainHouses, removed } = removeOutliers(Array.from(split.train, (i) => houses[i] as House));
console.log(
  `competition split: ${trainHouses.length + removed.reduce((s, r) => s + r.count, 0)} training sales, ${testHouses.length} test sales (prices hidden until scoring)`,
);
for (const r of removed) console.log(`  removed from training: ${r.count} sale(s) with ${r.rule}`);

// EDA on the training rows: Spearman correlations (the exercise's heatmap) and prices by zip code.
const edaColumns = [
  'price',
  'grade',
  'sqft_living',
  'sqft_living15',
  'sqft_above',
  'bathrooms',
  'lat',
  'bedrooms',
  'view',
  'floors',
  'sqft_basement',
  'waterfront',
  'yr_built',
  'long',
  'sqft_lot',
  'condition',
] as const;
const spearman = correlationMatrix(
  trainHouses.map((h) => edaColumns.map((c) => h[c])),
  'spearman',
);
const heatmap = join(outDir, 'house-prices-spearman.png');
writeFileAtomicSync(heatmap, await correlationHeatmapPng('Spearman correlation, training sales', [...edaColumns], spearman));
const byZip = new Map<string, number[]>();
for (const h of trainHouses) {
  const prices = byZip.get(h.zipcode);
  if (prices) prices.push(h.price);
  else byZip.set(h.zipcode, [h.price]);
}
const zips = [...byZip].map(([zipcode, prices]) => {
  const s = prices.sort((a, b) => a - b);
  return { zipcode, median: s[Math.floor(s.length / 2)] as number, count: s.length };
});
const zipPlot = join(outDir, 'house-prices-zipcodes.png');
writeFileAtomicSync(zipPlot, await zipcodePricePng('Median sale price by zip code (training sales)', zips));
const top = edaColumns
  .slice(1)
  .map((c, k) => ({ c, r: spearman[0]?.[k + 1] as number }))
  .sort((a, b) => Math.abs(b.r) - Math.abs(a.r))
  .slice(0, 5);
console.log(`Spearman with price: ${top.map((t) => `${t.c} ${t.r.toFixed(2)}`).join(', ')}; heatmap ${heatmap}, zip codes ${zipPlot}`);

const stats = zipStats(trainHouses);
const zipCodes = new Map<string, number>();
const Xtr = featureRows(trainHouses, stats, zipCodes);
const Xte = featureRows(testHouses, stats, zipCodes);
const ytr = log1pTarget.transform(trainHouses.map((h) => h.price));
const truth = testHouses.map((h) => h.price);
const cat = [FEATURES.indexOf('zipcode')];
const dollars = (logPred: ArrayLike<number>) => rmse(truth, log1pTarget.inverse(Float64Array.from(logPred)));

// Grid search, then TPE (Optuna's sampler) over a wider space; both 3-fold CV in log price.
const searchRounds = quick ? 80 : 200;
const gbdt = (p: Record<string, unknown>) => new GradientBoostingRegressor({ nEstimators: searchRounds, categoricalFeatures: cat, seed, ...p });
const grid = new GridSearchCV({
  estimator: gbdt,
  paramGrid: quick ? { numLeaves: [15, 63], learningRate: [0.1] } : { numLeaves: [15, 31, 63], learningRate: [0.05, 0.1] },
  cv: 3,
  scoring: 'rmse',
  refit: false,
}).fit(Xtr, ytr);
console.log('grid search (3-fold CV, RMSE in log price), best first:');
console.table(grid.table());
const tpe = new TPESearch({
  estimator: gbdt,
  space: {
    numLeaves: intRange(8, 128),
    learningRate: logUniform(0.02, 0.2),
    minChildSamples: intRange(5, 60),
    colsampleBytree: uniform(0.3, 1),
    lambdaL2: logUniform(1e-3, 10),
  },
  nTrials: trials,
  nStartup: Math.min(trials, Math.max(2, Math.round(trials / 3))),
  cv: 3,
  scoring: 'rmse',
  seed,
  refit: false,
  onTrial: (t, i) => console.log(`  TPE trial ${i + 1}/${trials}: rmse ${t.meanScore.toFixed(4)} ${JSON.stringify(t.params)}`),
}).fit(Xtr, ytr);
console.log(`TPE best: ${JSON.stringify(tpe.bestParams)} (cv rmse ${tpe.bestScore.toFixed(4)}; grid best ${grid.bestScore.toFixed(4)})`);
// The tuned model trains with a smaller rate and proportionally more rounds, as the exercise did with its final models.
const tuned = gbdt({ ...tpe.bestParams, learningRate: (tpe.bestParams.learningRate as number) / 4, nEstimators: searchRounds * 4 }).fit(Xtr, ytr);

// The exercise's five-model vote, and a stacking ensemble of the same five beside it.
const budget = quick ? { rounds: 100, learningRate: 0.1, seed } : { rounds: 2000, learningRate: EXERCISE_RATE, seed };
const members = voteMembers(budget, cat);
console.log(`vote: ${members.map(([n]) => n).join(', ')} at learning rate ${budget.learningRate}, ${budget.rounds} rounds each`);
const voting = new VotingRegressor({ estimators: members.map(([n, make]) => [n, make()] as [string, GradientBoostingRegressor]) }).fit(Xtr, ytr);
const stacking = new StackingRegressor({ estimators: members, cv: quick ? 2 : 3 }).fit(Xtr, ytr);
const seconds = (performance.now() - t0) / 1000;

const memberPreds = voting.predictMembers(Xte);
const votePred = voting.predict(Xte);
const rmseDollars: Record<string, number> = { tuned_gbdt: dollars(tuned.predict(Xte)) };
for (const [n] of members) rmseDollars[n] = dollars(memberPreds[n] as Float64Array);
rmseDollars.voting = dollars(votePred);
rmseDollars.stacking = dollars(stacking.predict(Xte));
console.log('held-out RMSE in dollars (the competition metric, on the test sales):');
for (const [n, v] of Object.entries(rmseDollars)) console.log(`  ${n.padEnd(16)} $${Math.round(v).toLocaleString('en-US')}`);

const chart = join(outDir, 'house-prices-importance.svg');
writeFileAtomicSync(chart, barChartSvg('Feature importance (gain), TPE-tuned gbdt', FEATURES, Array.from(tuned.featureImportance('gain'))));

// The competition's submission format: id,price for every test sale, from the vote.
const submission = join(outDir, 'submission.csv');
const prices = log1pTarget.inverse(votePred);
writeFileAtomicSync(submission, `id,price\n${testHouses.map((h, k) => `${h.row},${Math.round(prices[k] as number)}`).join('\n')}\n`);
console.log(`submission: ${submission} (${testHouses.length} rows, id = row index in the data file)`);

console.log(
  JSON.stringify({
    example: 'house-prices',
    data: dataPath ?? 'built-in',
    train_rows: Xtr.length,
    test_rows: Xte.length,
    outliers_removed: removed,
    rmse_dollars: rmseDollars,
    rmse_log_voting: rmse(log1pTarget.transform(truth), votePred),
    grid_best: { params: grid.bestParams, cv_rmse_log: grid.bestScore },
    tpe_best: { params: tpe.bestParams, cv_rmse_log: tpe.bestScore },
    spearman_with_price: Object.fromEntries(edaColumns.slice(1).map((c, k) => [c, spearman[0]?.[k + 1]])),
    files: { submission, heatmap, zipcodes: zipPlot, importance: chart },
    seconds,
  }),
);
