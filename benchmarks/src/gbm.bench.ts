/**
 * @aiffel/gbm-ensemble against XGBoost (tree_method=hist), the LightGBM 4.6.0 CLI (gbdt and goss;
 * built from source by benchmarks/build-peers.sh) and scikit-learn's HistGradientBoosting on deterministic synthetic data (benchmarks/src/gbm-data.ts): binary
 * 1,000,000 x 28 (HIGGS-like) and regression 200,000 x 20 with categorical and missing values.
 * 200 trees, learning rate 0.1, 63 leaves, 255 bins, 2 threads; each run in its own process.
 * LightGBM reads CSV, so its train time is the boosting loop from its own log; ours is compared
 * on the same footing (train minus binning), with LightGBM's data loading reported apart.
 * Headline: train seconds on the 1M x 28 set, peer XGBoost hist.
 * Usage: npm run bench -- gbm [--quick]   (quick: 100,000 / 20,000-row sets)
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ensureGbmData } from './gbm-data.js';
import { BENCH_DIR, fmt, PYTHON, report } from './harness.js';
import { lightgbmBuild } from './peer-builds.js';

const quick = process.argv.includes('--quick');
const [binarySet, regressionSet] = quick ? ['higgs-small', 'house-small'] : ['higgs', 'house'];
const trees = '200';
const leaves = '63';
const threads = '2';
type Figures = {
  train_seconds?: number;
  predict_seconds?: number;
  predict_one_row_us?: number;
  auc?: number;
  rmse?: number;
  max_rss_mb?: number;
  bin_seconds?: number;
  load_seconds?: number;
  import_max_abs_diff?: number;
  error?: string;
};
const lightgbm = lightgbmBuild();
if (!lightgbm.ok) console.error(lightgbm.reason);
const loop = (f: Figures) => (f.train_seconds ?? Number.NaN) - (f.bin_seconds ?? Number.NaN);

function run(cmd: string, args: string[]): Figures {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20, env: { ...process.env, OMP_NUM_THREADS: threads } });
  if (r.status !== 0) return { error: (r.stderr || '').trim().split('\n').slice(-2).join(' | ') };
  try {
    return JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '') as Figures;
  } catch {
    return { error: 'no JSON line' };
  }
}

const rows: Array<[string, string, string, string]> = [];
const extra: Record<string, unknown> = {};
for (const set of [binarySet, regressionSet] as string[]) {
  const base = ensureGbmData(set);
  const ours = run(process.execPath, ['--import', 'tsx', join(BENCH_DIR, 'src', 'gbm-task.ts'), base, 'gbdt', trees, leaves, threads]);
  const goss = run(process.execPath, ['--import', 'tsx', join(BENCH_DIR, 'src', 'gbm-task.ts'), base, 'goss', trees, leaves, threads]);
  const xgb = run(PYTHON, [join(BENCH_DIR, 'peers', 'gbm_peer.py'), base, 'xgboost', trees, leaves, threads]);
  const skl = run(PYTHON, [join(BENCH_DIR, 'peers', 'gbm_peer.py'), base, 'sklearn', trees, leaves, threads]);
  const lgbTask = (boosting: string): Figures =>
    lightgbm.ok
      ? run(process.execPath, ['--import', 'tsx', join(BENCH_DIR, 'src', 'lightgbm-task.ts'), lightgbm.path, base, boosting, trees, leaves, threads])
      : { error: lightgbm.reason };
  const lgb = lgbTask('gbdt');
  const lgbGoss = lgbTask('goss');
  for (const [name, f] of Object.entries({ ours, goss, xgboost: xgb, sklearn: skl, lightgbm: lgb, lightgbm_goss: lgbGoss }))
    if (f.error && !(name.startsWith('lightgbm') && !lightgbm.ok)) console.error(`${name} (${set}): ${f.error}`);
  const q = set.startsWith('higgs') ? 'auc' : 'rmse';
  rows.push([
    `${set}: train s (ours gbdt / goss vs XGBoost)`,
    `${fmt(ours.train_seconds, 1)} / ${fmt(goss.train_seconds, 1)}`,
    fmt(xgb.train_seconds, 1),
    fmt((ours.train_seconds ?? Number.NaN) / (xgb.train_seconds ?? Number.NaN)),
  ]);
  rows.push([
    `${set}: train s vs scikit-learn HGB`,
    fmt(ours.train_seconds, 1),
    fmt(skl.train_seconds, 1),
    fmt((ours.train_seconds ?? Number.NaN) / (skl.train_seconds ?? Number.NaN)),
  ]);
  rows.push([
    `${set}: boosting loop s, binned data (ours gbdt / goss vs LightGBM CLI gbdt / goss)`,
    `${fmt(loop(ours), 1)} / ${fmt(loop(goss), 1)}`,
    `${fmt(lgb.train_seconds, 1)} / ${fmt(lgbGoss.train_seconds, 1)}`,
    `${fmt(loop(ours) / (lgb.train_seconds ?? Number.NaN))} / ${fmt(loop(goss) / (lgbGoss.train_seconds ?? Number.NaN))}`,
  ]);
  rows.push([
    `${set}: predict s vs XGBoost`,
    fmt(ours.predict_seconds, 2),
    fmt(xgb.predict_seconds, 2),
    fmt((ours.predict_seconds ?? Number.NaN) / (xgb.predict_seconds ?? Number.NaN)),
  ]);
  rows.push([
    `${set}: predict one row, median us, vs XGBoost inplace_predict`,
    fmt(ours.predict_one_row_us, 1),
    fmt(xgb.predict_one_row_us, 1),
    fmt((ours.predict_one_row_us ?? Number.NaN) / (xgb.predict_one_row_us ?? Number.NaN)),
  ]);
  rows.push([
    `${set}: test ${q} (ours gbdt / goss vs XGBoost / sklearn)`,
    `${fmt(ours[q], 4)} / ${fmt(goss[q], 4)}`,
    `${fmt(xgb[q], 4)} / ${fmt(skl[q], 4)}`,
    fmt((ours[q] ?? Number.NaN) / (xgb[q] ?? Number.NaN), 4),
  ]);
  rows.push([
    `${set}: test ${q} (ours gbdt / goss vs LightGBM gbdt / goss)`,
    `${fmt(ours[q], 4)} / ${fmt(goss[q], 4)}`,
    `${fmt(lgb[q], 4)} / ${fmt(lgbGoss[q], 4)}`,
    fmt((ours[q] ?? Number.NaN) / (lgb[q] ?? Number.NaN), 4),
  ]);
  rows.push([
    `${set}: peak memory MB vs XGBoost`,
    fmt(ours.max_rss_mb, 0),
    fmt(xgb.max_rss_mb, 0),
    fmt((ours.max_rss_mb ?? Number.NaN) / (xgb.max_rss_mb ?? Number.NaN)),
  ]);
  extra[set] = {
    ours_gbdt: ours,
    ours_goss: goss,
    xgboost_hist: xgb,
    sklearn_hgb: skl,
    lightgbm_gbdt: lgb,
    lightgbm_goss: lgbGoss,
    // Ours, training minus binning, over LightGBM's boosting loop: the same work on both sides.
    loop_ratio_vs_lightgbm: loop(ours) / (lgb.train_seconds ?? Number.NaN) || null,
    goss_loop_ratio_vs_lightgbm: loop(goss) / (lgbGoss.train_seconds ?? Number.NaN) || null,
  };
}
const head = extra[binarySet] as { ours_gbdt: Figures; xgboost_hist: Figures; ours_goss: Figures; lightgbm_gbdt: Figures };
report(
  {
    bench: quick ? 'gbm-quick' : 'gbm',
    metric: 'train_seconds',
    unit: 's',
    better: 'lower',
    ours: head.ours_gbdt.train_seconds ?? Number.NaN,
    peer: head.xgboost_hist.train_seconds ?? null,
    peer_name: `XGBoost ${'hist'} (Debian python3-xgboost), ${binarySet}`,
    auc: head.ours_gbdt.auc,
    auc_xgboost: head.xgboost_hist.auc,
    goss_train_seconds: head.ours_goss.train_seconds,
    goss_auc: head.ours_goss.auc,
    lightgbm_train_seconds: head.lightgbm_gbdt.train_seconds ?? null,
    lightgbm_auc: head.lightgbm_gbdt.auc ?? null,
    params: { trees: 200, learning_rate: 0.1, leaves: 63, max_bin: 255, threads: 2 },
    ...extra,
  },
  rows,
);
