#!/usr/bin/env node
// `npm run example -- activity-recognition [--data DIR] [--quick]`: the phone-sensor activity
// exercise end to end on the raw UCI HAPT recordings (or WISDM, BasicMotions, a synthetic set).
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FeatureRange } from '@aiffel/algos';
import { parseCli } from '@aiffel/example-kit';
import { RandomForestClassifier } from '@aiffel/gbm-ensemble';
import { ready } from '@aiffel/runtime';
import { ACTIVITIES, loadHapt, STATIC, syntheticHapt, TEST_SUBJECTS, type WindowSet } from './hapt.js';
import { booster, Results, type RunSettings, runModels } from './models.js';
import { loadBasicMotions, loadWisdm } from './other-sets.js';
import { signalsPng } from './plots.js';
import { subjectSplit, takeMatrix, takeWindows } from './split.js';
import type { ActivityTask } from './task.js';

const here = dirname(fileURLToPath(import.meta.url));
const USAGE =
  'usage: activity-recognition [--data DIR (uci-hapt-raw, wisdm-v1.1-transformed, basicmotions or the har folder; default ../shared/data/har/uci-hapt-raw when present)] [--synthetic] [--quick] [--epochs N] [--trees N] [--trials N] [--workers N] [--out DIR] [--seed N]';

const cli = parseCli({
  name: 'activity-recognition',
  usage: USAGE,
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
  },
});
const { values, int } = cli;
const quick = values.quick === true;
const settings: RunSettings = {
  quick,
  epochs: int('epochs', 1, 1000, quick ? 2 : 12),
  trees: int('trees', 5, 5000, quick ? 40 : 300),
  trials: int('trials', 1, 500, quick ? 3 : 16),
  workers: int('workers', 1, 64, 2),
  seed: int('seed', 0, 2 ** 31 - 1, 0),
  out: resolve((values.out as string | undefined) ?? join(here, '..', 'out')),
};
const defaultData = resolve(here, '../../../../shared/data/har/uci-hapt-raw');

/** Which set a --data folder holds: HAPT raw, WISDM's table or BasicMotions (or the har folder above them). */
function load(dir: string): WindowSet | ActivityTask {
  const at = (...p: string[]) => existsSync(join(dir, ...p));
  if (at('RawData', 'labels.txt')) return loadHapt(dir);
  if (at('uci-hapt-raw')) return loadHapt(join(dir, 'uci-hapt-raw'));
  if (at('WISDM_ar_v1.1_transformed.arff')) return loadWisdm(join(dir, 'WISDM_ar_v1.1_transformed.arff'));
  if (at('BasicMotions_TRAIN.ts')) return loadBasicMotions(dir);
  throw new Error(`${join(dir, 'RawData', 'labels.txt')} not found (expected uci-hapt-raw, wisdm-v1.1-transformed or basicmotions)`);
}

const loaded: WindowSet | ActivityTask = cli.attempt(() => {
  if (values.synthetic) return syntheticHapt(settings.seed);
  if (values.data !== undefined) return load(resolve(values.data as string));
  if (existsSync(defaultData)) return loadHapt(defaultData);
  console.log(`(${defaultData} not found: using the built-in SYNTHETIC recordings; pass --data for the real ones)`);
  return syntheticHapt(settings.seed);
});
await ready();
mkdirSync(settings.out, { recursive: true });
const results = new Results(settings.out);
const acts = ACTIVITIES as readonly string[];
let task: ActivityTask;
let hapt: WindowSet | undefined;

if ('examples' in loaded) {
  const set = loaded;
  hapt = set;
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
  writeFileSync(join(settings.out, 'signals.png'), await signalsPng(set.examples));
  console.log(`example signals: ${join(settings.out, 'signals.png')}`);
  const six = (rows: Int32Array) => Int32Array.from(Array.from(rows).filter((i) => acts.includes(set.labels[i] as string)));
  const train6 = six(split.train);
  const test6 = six(split.test);
  task = {
    source: set.source,
    dataset: set.source.includes('SYNTHETIC') ? 'synthetic' : 'uci-hapt-raw',
    featureNames: set.features.names,
    classes: acts,
    staticLabels: [...STATIC],
    split: `UCI's test people ${[...TEST_SUBJECTS].join(', ')} (${split.test.length} windows) against the other ${new Set(set.subjects).size - TEST_SUBJECTS.size} (${split.train.length})`,
    notes: [],
    Xtr: takeMatrix(set.features, train6),
    ytr: Array.from(train6, (i) => set.labels[i] as string),
    Xte: takeMatrix(set.features, test6),
    yte: Array.from(test6, (i) => set.labels[i] as string),
    trainSubjects: Array.from(train6, (i) => set.subjects[i] as number),
    raw: { train: takeWindows(set.raw, train6), test: takeWindows(set.raw, test6) },
    rawMissing: undefined,
  };
} else {
  task = loaded;
  console.log(`\n## Data: ${task.source}`);
  console.log(`${task.Xtr.rows + task.Xte.rows} windows x ${task.featureNames.length} features`);
  console.log('| label | train | test |\n|---|---|---|');
  for (const c of task.classes) console.log(`| ${c} | ${task.ytr.filter((l) => l === c).length} | ${task.yte.filter((l) => l === c).length} |`);
}
console.log(`split: ${task.split}`);
for (const n of task.notes) console.log(`note: ${n}`);

const { selected, bestTree } = await runModels(task, settings, results);

if (hapt) {
  // Transitions are short (33-139 training windows each): the same models with 12 classes.
  const set = hapt;
  console.log('\n## 12 classes (postural transitions included), same people split');
  const split = subjectSplit(set.subjects, TEST_SUBJECTS);
  const labels12 = [...new Set(set.labels)].sort((a, b) => set.labels.indexOf(a) - set.labels.indexOf(b));
  const raw12 = takeMatrix(set.features, split.train);
  const range12 = FeatureRange.fit(raw12);
  const X12tr = range12.transform(raw12);
  const X12te = range12.transform(takeMatrix(set.features, split.test));
  const y12tr = Array.from(split.train, (i) => set.labels[i] as string);
  const y12te = Array.from(split.test, (i) => set.labels[i] as string);
  let t = performance.now();
  const g12 = booster(settings, 'gbdt').fit(X12tr, y12tr);
  await results.add('gbdt_12', 'gbdt, 12 classes', y12te, g12.predict(X12te), labels12, (performance.now() - t) / 1000);
  t = performance.now();
  const rf12 = new RandomForestClassifier<string>({ nEstimators: settings.trees, seed: settings.seed, nThreads: settings.workers }).fit(X12tr, y12tr);
  await results.add('random_forest_12', 'random forest, 12 classes', y12te, rf12.predict(X12te), labels12, (performance.now() - t) / 1000);
}

console.log(`\nbest tree model on engineered features: ${bestTree}`);
const r4 = (v: number | undefined) => (v === undefined ? null : Number(v.toFixed(4)));
const by = results.byModel;
const summary: Record<string, unknown> = {
  data: task.dataset,
  quick,
  train_windows: task.Xtr.rows,
  test_windows: task.Xte.rows,
  best_tree_model: bestTree,
  tree_accuracy: r4(by[bestTree]?.accuracy),
  tree_macro_f1: r4(by[bestTree]?.macroF1),
  hierarchy_accuracy: r4(by.hierarchy?.accuracy),
  hierarchy_macro_f1: r4(by.hierarchy?.macroF1),
  sequence_accuracy: r4(by.sequence?.accuracy),
  sequence_macro_f1: r4(by.sequence?.macroF1),
  selected_features: selected,
  ...(hapt && { features_windows_per_second: Math.round(hapt.labels.length / Math.max(hapt.seconds.features, 1e-9)) }),
};
for (const [k, v] of Object.entries(by)) {
  summary[`${k}_accuracy`] = r4(v.accuracy);
  summary[`${k}_macro_f1`] = r4(v.macroF1);
}
console.log(JSON.stringify(summary));
