#!/usr/bin/env node
// `npm run example -- training-basics [--data ../shared/data] [--quick] [--out DIR]`: the course's
// training basics as a lesson on three tables, one per head and loss.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCli } from '@aiffel/example-kit';
import { ProgressBar, ready } from '@aiffel/runtime';
import { curvesPng } from './curves-png.js';
import { type LessonResult, runLesson } from './lesson.js';
import { realTables, syntheticTables, type Table } from './tables.js';

const here = dirname(fileURLToPath(import.meta.url));
const USAGE = 'usage: training-basics [--data DIR (default ../shared/data when present)] [--synthetic] [--quick] [--epochs N] [--out DIR] [--seed N]';

const cli = parseCli({
  name: 'training-basics',
  usage: USAGE,
  options: {
    data: { type: 'string' },
    synthetic: { type: 'boolean' },
    quick: { type: 'boolean' },
    epochs: { type: 'string' },
    out: { type: 'string' },
    seed: { type: 'string' },
  },
});
const { values, int } = cli;
const quick = values.quick === true;
const epochs = int('epochs', 2, 10_000, quick ? 24 : 120);
const seed = int('seed', 0, 2 ** 31 - 1, 0);
const out = resolve((values.out as string | undefined) ?? join(here, '..', 'out'));
const defaultData = resolve(here, '../../../../shared/data');

let tables: Table[] = cli.attempt(() => {
  if (values.synthetic) return syntheticTables(seed);
  if (values.data !== undefined) return realTables(resolve(values.data as string));
  if (existsSync(defaultData)) return realTables(defaultData);
  console.log(`(${defaultData} not found: using the built-in SYNTHETIC tables; pass --data for real ones)`);
  return syntheticTables(seed);
});
// A quick run keeps the lesson's shape on fewer rows.
if (quick) tables = tables.map((t) => subsample(t, 3000, seed));

function subsample(t: Table, n: number, s: number): Table {
  if (t.X.length <= n) return t;
  const step = t.X.length / n;
  const idx = Array.from({ length: n }, (_, i) => Math.floor(i * step + (s % Math.max(1, Math.floor(step)))));
  return {
    ...t,
    X: idx.map((i) => t.X[i] as number[]),
    y: idx.map((i) => t.y[i] as number),
    ...(t.groups && { groups: idx.map((i) => (t.groups as number[])[i] as number) }),
  };
}

await ready();
mkdirSync(out, { recursive: true });
const results: LessonResult[] = [];
for (const table of tables) {
  console.log(`\n## ${table.title}: ${table.X.length} rows x ${table.featureNames.length} features, target ${table.target} (${table.source})`);
  const bar = new ProgressBar({ total: 4 * epochs, label: table.kind });
  let done = 0;
  const r = await runLesson(table, {
    epochs,
    learningRate: 3e-3,
    batchSize: 64,
    hidden: [64, 32],
    patience: Math.max(3, Math.round(epochs / 8)),
    seed,
    onProgress: (p, schedule) => {
      if (p.phase === 'epoch') bar.update(++done, `${schedule} epoch ${p.epoch}`);
    },
  });
  bar.done();
  results.push(r);
  console.log(
    `head: ${r.head}; split ${r.split.how}: ${r.split.train.length} train (15% of them for early stopping), ${r.split.test.length} test${r.imputed ? `; ${r.imputed} missing values filled with training medians` : ''}`,
  );
  const metricNames = Object.keys(r.gbm.test);
  console.log(`| model | ${metricNames.join(' | ')} | epochs run | best epoch | seconds |`);
  console.log(`|---|${metricNames.map(() => '---').join('|')}|---|---|---|`);
  for (const run of r.runs)
    console.log(
      `| MLP, ${run.schedule} | ${metricNames.map((m) => run.test[m]?.toFixed(4)).join(' | ')} | ${run.log.epochs.length} | ${run.log.bestEpoch} | ${run.seconds.toFixed(1)} |`,
    );
  console.log(`| gradient boosting (300 trees) | ${metricNames.map((m) => r.gbm.test[m]?.toFixed(4)).join(' | ')} | - | - | ${r.gbm.seconds.toFixed(1)} |`);
  const png = join(out, `curves-${r.table.kind}.png`);
  writeFileSync(png, await curvesPng(`${table.title}: ${r.head}`, r.runs));
  console.log(`curves: ${png}`);
}

const summary: Record<string, unknown> = { data: tables[0]?.source === 'built-in' ? 'synthetic' : 'real', epochs, quick };
for (const r of results) {
  const primary = r.table.kind === 'regression' ? 'rmse' : r.table.kind === 'binary' ? 'auc' : 'accuracy';
  const better = (a: number, b: number) => (primary === 'rmse' ? a < b : a > b);
  const best = r.runs.reduce((a, b) => (better(b.test[primary] as number, a.test[primary] as number) ? b : a));
  summary[`${r.table.kind}_best_schedule`] = best.schedule;
  for (const [k, v] of Object.entries(best.test)) summary[`${r.table.kind}_mlp_${k}`] = Number(v.toFixed(4));
  for (const [k, v] of Object.entries(r.gbm.test)) summary[`${r.table.kind}_gbm_${k}`] = Number(v.toFixed(4));
}
console.log(JSON.stringify(summary));
