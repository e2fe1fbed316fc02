/**
 * The LightGBM CLI's side of `npm run bench -- gbm`, in its own process:
 * `node --import tsx lightgbm-task.ts <lightgbm> <base> <gbdt|goss> <trees> <leaves> <threads>`
 * writes the set once as CSV (every float32 written exactly, NaN as "nan"), trains with the same
 * settings as ours (learning rate 0.1, leaves, 255 bins, threads, categorical features native),
 * predicts the test rows with the CLI, and prints one JSON line: the boosting-loop seconds from
 * LightGBM's own log (its data loading, which includes parsing the CSV, is reported apart), the
 * CLI's wall seconds, test AUC or RMSE, and how far LightGBMModel's predictions of the same model
 * are from the CLI's (the import's parity on a large model).
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { LightGBMModel, rmse, rocAuc } from '@aiffel/gbm-ensemble';
import { loadGbmPart } from './gbm-data.js';

const [cli = '', base = '', boosting = 'gbdt', trees = '200', leaves = '63', threads = '2'] = process.argv.slice(2);
const train = loadGbmPart(base, 'train');
const test = loadGbmPart(base, 'test');

/** Label first, then the features; written to a temporary name and renamed, so a killed run leaves no half file. */
async function ensureCsv(part: typeof train, path: string): Promise<string> {
  if (existsSync(path)) return path;
  const tmp = `${path}.${process.pid}.tmp`;
  const out = createWriteStream(tmp);
  const { rows, cols, x, y } = part;
  let chunk: string[] = [];
  for (let r = 0; r < rows; r++) {
    const cells = [String(y[r])];
    for (let c = 0; c < cols; c++) {
      const v = x[r * cols + c] as number;
      cells.push(Number.isNaN(v) ? 'nan' : String(v));
    }
    chunk.push(cells.join(','));
    if (chunk.length === 10_000 || r === rows - 1) {
      if (!out.write(`${chunk.join('\n')}\n`)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
      chunk = [];
    }
  }
  out.end();
  await finished(out);
  renameSync(tmp, path);
  return path;
}

function run(args: Record<string, string>): { log: string; seconds: number } {
  const t0 = performance.now();
  const r = spawnSync(
    cli,
    Object.entries(args).map(([k, v]) => `${k}=${v}`),
    { encoding: 'utf8', maxBuffer: 256 << 20 },
  );
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`lightgbm exited ${r.status}: ${(r.stdout + r.stderr).trim().split('\n').slice(-2).join(' | ')}`);
  return { log: r.stdout + r.stderr, seconds };
}

const binary = train.task === 'binary';
const trainCsv = await ensureCsv(train, `${base}.train.csv`);
const testCsv = await ensureCsv(test, `${base}.test.csv`);
const work = mkdtempSync(join(tmpdir(), 'aiffel-lgb-bench-'));
try {
  const model = join(work, 'model.txt');
  const params = {
    objective: binary ? 'binary' : 'regression',
    boosting,
    num_trees: trees,
    num_leaves: leaves,
    learning_rate: '0.1',
    max_bin: '255',
    num_threads: threads,
    ...(train.categorical.length ? { categorical_feature: train.categorical.join(',') } : {}),
  };
  const fit = run({ task: 'train', data: trainCsv, label_column: '0', output_model: model, verbosity: '1', ...params });
  const loop = [...fit.log.matchAll(/([\d.]+) seconds elapsed, finished iteration (\d+)/g)].at(-1);
  const load = /Finished loading data in ([\d.]+) seconds/.exec(fit.log);
  if (!loop) throw new Error('no "seconds elapsed, finished iteration" line in the LightGBM log');
  const output = join(work, 'pred.txt');
  const predicted = run({ task: 'predict', data: testCsv, input_model: model, output_result: output, precise_float_parser: 'true', num_threads: threads });
  const pred = Float64Array.from(readFileSync(output, 'utf8').trim().split('\n').map(Number));
  const ours = LightGBMModel.load(model).predict({ data: test.x, rows: test.rows, cols: test.cols });
  let parity = 0;
  for (let i = 0; i < pred.length; i++) parity = Math.max(parity, Math.abs((ours[i] as number) - (pred[i] as number)));
  console.log(
    JSON.stringify({
      train_seconds: Number(loop[1]),
      load_seconds: load ? Number(load[1]) : null,
      train_wall_seconds: fit.seconds,
      predict_wall_seconds: predicted.seconds,
      ...(binary ? { auc: rocAuc(test.y, pred) } : { rmse: rmse(test.y, pred) }),
      import_max_abs_diff: parity,
      iterations: Number(loop[2]),
    }),
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
