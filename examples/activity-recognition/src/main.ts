#!/usr/bin/env node
// `npm run example -- activity-recognition [--data DIR] [--quick]`: the phone-sensor activity
// exercise end to end on the raw UCI HAPT recordings (or a built-in synthetic set).
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { FeatureRange } from '@aiffel/algos';
import { classificationReport, HierarchicalClassifier } from '@aiffel/core';
import { GradientBoostingClassifier, intRange, logUniform, RandomForestClassifier, TPESearch, uniform } from '@aiffel/gbm-ensemble';
import { ProgressBar, ready } from '@aiffel/runtime';
import { SequenceClassifier } from '@aiffel/seq2seq-attn';
import { ACTIVITIES, loadHapt, STATIC, syntheticHapt, TEST_SUBJECTS, type WindowSet } from './hapt.js';
import { confusionPng, importancePng, signalsPng } from './plots.js';
import { subjectFolds, subjectSplit, takeMatrix, takeWindows } from './split.js';

const here = dirname(fileURLToPath(import.meta.url));
const USAGE =
  'usage: activity-recognition [--data DIR (uci-hapt-raw, default ../shared/data/har/uci-hapt-raw when present)] [--synthetic] [--quick] [--epochs N] [--trees N] [--trials N] [--workers N] [--out DIR] [--seed N]';

function fail(message: string): never {
  console.error(`activity-recognition: ${message}\n${USAGE}`);
  process.exit(2);
}

let values: Record<string, string | boolean | undefined>;
try {
  ({ values } = parseArgs({
    strict: true,
    options: {
      data: { type: 'string' },
      synthetic: { type: 'boolean' },
      quick: { type: 'boolean' },
      epochs: { type: 'string' },
      trees: { type: 'string' },
      trials: { type: 'string' },
      workers: { type: 'string' },
      out: { type: 'string' },
      seed: { type: 'string' },
      help: { type: 'boolean' },
    },
  }));
} catch (e) {
  fail((e as Error).message);
}
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const int = (name: string, v: unknown, min: number, max: number, fallback: number) => {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) fail(`--${name} must be an integer in [${min}, ${max}], got ${JSON.stringify(v)}`);
  return n;
};
const quick = values.quick === true;
const epochs = int('epochs', values.epochs, 1, 1000, quick ? 2 : 30);
const trees = int('trees', values.trees, 5, 5000, quick ? 40 : 300);
const trials = int('trials', values.trials, 1, 500, quick ? 3 : 16);
const workers = int('workers', values.workers, 1, 64, 2);
const seed = int('seed', values.seed, 0, 2 ** 31 - 1, 0);
const out = resolve((values.out as string | undefined) ?? join(here, '..', 'out'));
const defaultData = resolve(here, '../../../../shared/data/har/uci-hapt-raw');

let set: WindowSet;
try {
  if (values.synthetic) set = syntheticHapt(seed);
  else if (values.data !== undefined) {
    const dir = resolve(values.data as string);
    set = loadHapt(existsSync(join(dir, 'uci-hapt-raw')) ? join(dir, 'uci-hapt-raw') : dir);
  } else if (existsSync(defaultData)) set = loadHapt(defaultData);
  else {
    console.log(`(${defaultData} not found: using the built-in SYNTHETIC recordings; pass --data for the real ones)`);
    set = syntheticHapt(seed);
  }
} catch (e) {
  console.error(`activity-recognition: ${(e as Error).message}`);
  process.exit(1);
}
await ready();
mkdirSync(out, { recursive: true });
const synthetic = set.source.includes('SYNTHETIC');
const acts = ACTIVITIES as readonly string[];

// ---- EDA ------------------------------------------------------------------------------------
console.log(`\n## Data: ${set.source}`);
console.log(
  `${set.labels.length} windows of 128 samples (2.56 s, 50% overlap) from ${new Set(set.subjects).size} people; read ${set.seconds.read.toFixed(1)} s, filters ${set.seconds.signals.toFixed(1)} s, 561 features ${set.seconds.features.toFixed(1)} s (${Math.round(set.labels.length / Math.max(set.seconds.features, 1e-9))} windows/s, one thread)`,
);
const split = subjectSplit(set.subjects, TEST_SUBJECTS);
console.log('| label | windows | train | test |\n|---|---|---|---|');
for (const label of [...acts, ...[...new Set(set.labels)].filter((l) => !acts.includes(l)).sort()]) {
  const n = set.labels.filter((l) => l === label).length;
  const te = Array.from(split.test).filter((i) => set.labels[i] === label).length;
  console.log(`| ${label} | ${n} | ${n - te} | ${te} |`);
}
const perSubject = [...new Set(set.subjects)].sort((a, b) => a - b).map((s) => `${s}:${set.subjects.filter((x) => x === s).length}`);
console.log(`windows per person: ${perSubject.join(' ')}`);
console.log(
  `split: UCI's test people ${[...TEST_SUBJECTS].join(', ')} (${split.test.length} windows) against the other ${new Set(set.subjects).size - TEST_SUBJECTS.size} (${split.train.length})`,
);
writeFileSync(join(out, 'signals.png'), await signalsPng(set.examples));
console.log(`example signals: ${join(out, 'signals.png')}`);

// ---- the 6-activity task on engineered features ------------------------------------------------
const six = (rows: Int32Array) => Int32Array.from(Array.from(rows).filter((i) => acts.includes(set.labels[i] as string)));
const train6 = six(split.train);
const test6 = six(split.test);
const range = FeatureRange.fit(takeMatrix(set.features, train6));
const Xtr = range.transform(takeMatrix(set.features, train6));
const Xte = range.transform(takeMatrix(set.features, test6));
const ytr = Array.from(train6, (i) => set.labels[i] as string);
const yte = Array.from(test6, (i) => set.labels[i] as string);
const results: Record<string, { accuracy: number; macroF1: number; seconds: number }> = {};

async function report(key: string, title: string, pred: string[], seconds: number, classes: readonly string[] = acts, truth = yte) {
  const r = classificationReport(truth, pred, classes);
  results[key] = { accuracy: r.accuracy, macroF1: r.macroF1, seconds };
  console.log(`${title}: accuracy ${(r.accuracy * 100).toFixed(2)}%, macro F1 ${r.macroF1.toFixed(4)} (${seconds.toFixed(1)} s)`);
  const file = join(out, `confusion-${key}.png`);
  writeFileSync(file, await confusionPng(`${title}: accuracy ${(r.accuracy * 100).toFixed(1)}%`, classes, r.confusion));
}
const timed = async <T>(f: () => T | Promise<T>): Promise<[T, number]> => {
  const t = performance.now();
  const v = await f();
  return [v, (performance.now() - t) / 1000];
};

console.log(`\n## Engineered features: 561 per window, scaled to [-1, 1] on the training people`);
const rfOptions = { nEstimators: trees, seed, nThreads: workers };
const [rf, rfSeconds] = await timed(() => new RandomForestClassifier<string>(rfOptions).fit(Xtr, ytr));
await report('random_forest', `random forest (${trees} trees)`, rf.predict(Xte), rfSeconds);
const importance = rf.featureImportance();
const ranked = Array.from(importance, (v, i) => ({ name: set.features.names[i] as string, index: i, value: v })).sort((a, b) => b.value - a.value);
console.log('top 20 features by random-forest importance (mean impurity decrease):');
ranked.slice(0, 20).forEach((r, k) => console.log(`  ${String(k + 1).padStart(2)}. ${r.name} ${r.value.toFixed(4)}`));
writeFileSync(join(out, 'importance.png'), await importancePng('Random-forest importance, top 20 of 561', ranked.slice(0, 20)));

const boost = (boosting: 'gbdt' | 'goss', extra: Record<string, unknown> = {}) =>
  new GradientBoostingClassifier<string>({
    boosting,
    nEstimators: trees,
    learningRate: 0.1,
    numLeaves: 15,
    colsampleBytree: 0.5,
    seed,
    nThreads: workers,
    ...extra,
  });
const [gbdt, gbdtSeconds] = await timed(() => boost('gbdt').fit(Xtr, ytr));
await report('gbdt', `gradient boosting, gbdt (${trees} rounds)`, gbdt.predict(Xte), gbdtSeconds);
const [goss, gossSeconds] = await timed(() => boost('goss').fit(Xtr, ytr));
await report('goss', `gradient boosting, goss (${trees} rounds)`, goss.predict(Xte), gossSeconds);

// The exercise's selection: each "team member" ranks the features with a different model; keep the
// features every ranking puts in its top 100.
const topOf = (v: Float64Array, k: number) =>
  new Set(
    Array.from(v, (x, i) => [x, i] as const)
      .sort((a, b) => b[0] - a[0])
      .slice(0, k)
      .map(([, i]) => i),
  );
const rankings = [topOf(importance, 100), topOf(gbdt.featureImportance('gain'), 100), topOf(goss.featureImportance('gain'), 100)];
const selected = [...(rankings[0] as Set<number>)].filter((i) => rankings.every((r) => r.has(i))).sort((a, b) => a - b);
console.log(`intersection of the top 100 of random forest, gbdt and goss importance: ${selected.length} features`);
const pick = (m: { data: Float64Array; rows: number; cols: number }) =>
  takeMatrix(
    m,
    Int32Array.from({ length: m.rows }, (_, i) => i),
    selected,
  );
const [sel, selSeconds] = await timed(() => boost('gbdt').fit(pick(Xtr), ytr));
await report('gbdt_selected', `gbdt on the ${selected.length} selected features`, sel.predict(pick(Xte)), selSeconds);

console.log('\n## Static / dynamic hierarchy: a gate, then one booster per group');
const groups = { dynamic: acts.filter((a) => !STATIC.has(a)), static: acts.filter((a) => STATIC.has(a)) };
const [hier, hierSeconds] = await timed(() =>
  new HierarchicalClassifier<typeof Xtr, string>({ groups, gate: () => boost('gbdt'), expert: () => boost('gbdt') }).fit(Xtr, ytr),
);
await report('hierarchy', 'hierarchy (gbdt gate + gbdt per group, soft)', hier.predict(Xte), hierSeconds);
const gateTruth = yte.map((l) => (STATIC.has(l) ? 'static' : 'dynamic'));
const gatePred = (hier.gate as GradientBoostingClassifier<string>).predict(Xte);
console.log(`gate accuracy (static vs dynamic): ${(classificationReport(gateTruth, gatePred).accuracy * 100).toFixed(2)}%`);

console.log(`\n## TPE search of the booster (${trials} trials, 3 folds by person on the training people)`);
const folds = subjectFolds(
  Array.from(train6, (i) => set.subjects[i] as number),
  3,
);
const searchTrees = Math.max(20, Math.round(trees / 3));
const bar = new ProgressBar({ total: trials, label: 'tpe' });
const search = new TPESearch<string>({
  estimator: (p) => boost('gbdt', { nEstimators: searchTrees, ...p }),
  space: { learningRate: logUniform(0.03, 0.3), numLeaves: intRange(7, 63), colsampleBytree: uniform(0.2, 1), minChildSamples: intRange(5, 60) },
  nTrials: trials,
  nStartup: Math.min(trials, Math.max(2, Math.round(trials / 3))),
  cv: folds,
  scoring: 'accuracy',
  seed,
  onTrial: (t, i) => bar.update(i + 1, `cv accuracy ${t.meanScore.toFixed(4)}`),
});
const [, searchSeconds] = await timed(() => search.fit(Xtr, ytr));
bar.done();
console.log(`best: ${JSON.stringify(search.bestParams)} (cv accuracy ${search.bestScore.toFixed(4)}, ${searchSeconds.toFixed(0)} s)`);
const [tuned, tunedSeconds] = await timed(() => boost('gbdt', search.bestParams).fit(Xtr, ytr));
await report('gbdt_tuned', `gbdt with the TPE parameters (${trees} rounds)`, tuned.predict(Xte), tunedSeconds);

// ---- raw windows -----------------------------------------------------------------------------
console.log(`\n## Raw windows: SequenceClassifier (Conv1D 32 + LSTM 64 + attention) on 9 channels, ${workers} worker threads`);
const seqBar = new ProgressBar({ total: epochs, label: 'lstm' });
const seq = new SequenceClassifier<string>({ hiddenSize: quick ? 32 : 64, convFilters: 32, pooling: 'attention', seed });
const [, seqSeconds] = await timed(() =>
  seq.fit(takeWindows(set.raw, train6), ytr, {
    epochs,
    batchSize: 64,
    learningRate: 2e-3,
    validation: 0.1,
    earlyStopping: { patience: 5 },
    workers,
    seed,
    onProgress: (p) => {
      if (p.phase === 'epoch') seqBar.update(p.epoch, `loss ${p.loss.toFixed(3)} val ${p.validation?.loss.toFixed(3)}`);
    },
  }),
);
seqBar.done();
await report(
  'sequence',
  `SequenceClassifier on raw windows (${seq.log?.epochs.length} epochs, best ${seq.log?.bestEpoch})`,
  seq.predict(takeWindows(set.raw, test6)),
  seqSeconds,
);

// ---- 12 classes, transitions included ---------------------------------------------------------------
console.log('\n## 12 classes (postural transitions included), same people split');
const labels12 = [...new Set(set.labels)].sort((a, b) => set.labels.indexOf(a) - set.labels.indexOf(b));
const range12 = FeatureRange.fit(takeMatrix(set.features, split.train));
const y12tr = Array.from(split.train, (i) => set.labels[i] as string);
const y12te = Array.from(split.test, (i) => set.labels[i] as string);
const [g12, g12Seconds] = await timed(() => boost('gbdt').fit(range12.transform(takeMatrix(set.features, split.train)), y12tr));
const X12te = range12.transform(takeMatrix(set.features, split.test));
await report('gbdt_12', 'gbdt, 12 classes', g12.predict(X12te), g12Seconds, labels12, y12te);
const [rf12, rf12Seconds] = await timed(() =>
  new RandomForestClassifier<string>(rfOptions).fit(range12.transform(takeMatrix(set.features, split.train)), y12tr),
);
await report('random_forest_12', 'random forest, 12 classes', rf12.predict(X12te), rf12Seconds, labels12, y12te);

// ---- summary -----------------------------------------------------------------------------------
const treeKeys = ['random_forest', 'gbdt', 'goss', 'gbdt_selected', 'gbdt_tuned'];
const bestTree = treeKeys.reduce((a, b) => ((results[b]?.accuracy ?? 0) > (results[a]?.accuracy ?? 0) ? b : a));
console.log(`\nbest tree model on engineered features: ${bestTree}`);
const r4 = (v: number | undefined) => Number((v ?? Number.NaN).toFixed(4));
const summary: Record<string, unknown> = {
  data: synthetic ? 'synthetic' : 'uci-hapt-raw',
  quick,
  train_windows: train6.length,
  test_windows: test6.length,
  best_tree_model: bestTree,
  tree_accuracy: r4(results[bestTree]?.accuracy),
  tree_macro_f1: r4(results[bestTree]?.macroF1),
  hierarchy_accuracy: r4(results.hierarchy?.accuracy),
  hierarchy_macro_f1: r4(results.hierarchy?.macroF1),
  sequence_accuracy: r4(results.sequence?.accuracy),
  sequence_macro_f1: r4(results.sequence?.macroF1),
  selected_features: selected.length,
  features_windows_per_second: Math.round(set.labels.length / Math.max(set.seconds.features, 1e-9)),
};
for (const [k, v] of Object.entries(results)) {
  summary[`${k}_accuracy`] = r4(v.accuracy);
  summary[`${k}_macro_f1`] = r4(v.macroF1);
}
console.log(JSON.stringify(summary));
