/**
 * Activity recognition, ours against numpy / scipy / scikit-learn in one run, on the raw UCI HAPT
 * recordings (../shared/data/har/uci-hapt-raw, 6 activities, 10,411 windows):
 * - the whole feature pipeline (median + Butterworth filtfilt, gravity split, jerks, magnitudes,
 *   the 561 UCI HAR features of every window) from the same raw arrays: ours on one thread
 *   (harSignals + harFeatures) against peers/har_peer.py, the same definitions vectorised over
 *   windows in numpy; the peer also reports how many of the 561 columns agree with ours;
 * - the tree models' training time on the same features (UCI's subject-wise split): our random
 *   forest and gbdt against scikit-learn's RandomForestClassifier and HistGradientBoostingClassifier
 *   (2 threads each, same tree count / rounds, 15 leaves for the boosters), with test accuracy.
 * Headline: feature windows per second, ours / peer (higher is better).
 * Usage: npm run bench -- har [trees]   (default 100)
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FeatureRange, harFeatures, harSignals, segmentWindows } from '@aiffel/algos';
import { GradientBoostingClassifier, RandomForestClassifier } from '@aiffel/gbm-ensemble';
import { ACTIVITIES, readHapt, TEST_SUBJECTS } from '../../examples/activity-recognition/src/hapt.js';
import { subjectSplit, takeMatrix } from '../../examples/activity-recognition/src/split.js';
import { BENCH_DIR, fmt, report, runPythonPeer, time } from './harness.js';

const trees = Number(process.argv[2] ?? 100);
const dir = join(BENCH_DIR, '..', '..', 'shared', 'data', 'har', 'uci-hapt-raw');
const acts = ACTIVITIES as readonly string[];
const recordings = readHapt(dir);
const windowsOf = recordings.map((r) => segmentWindows(r.segments.filter((s) => acts.includes(s.label))));
const extract = () => recordings.map((r, k) => harFeatures(harSignals(r.acc, r.gyro), windowsOf[k] as { start: number; end: number }[]));
const timing = await time(extract, 3, 1);
const parts = extract();
const rows = parts.reduce((n, p) => n + p.rows, 0);
const features = new Float64Array(rows * 561);
let at = 0;
for (const p of parts) {
  features.set(p.data, at);
  at += p.data.length;
}
const labels = Int32Array.from(windowsOf.flatMap((w) => w.map((x) => acts.indexOf(x.label))));
const subjects = recordings.flatMap((r, k) => (windowsOf[k] as unknown[]).map(() => r.user));
const isTest = Int32Array.from(subjects, (s) => (TEST_SUBJECTS.has(s) ? 1 : 0));

const tmp = mkdtempSync(join(tmpdir(), 'har-bench-'));
try {
  recordings.forEach((r, k) => {
    const raw = new Float64Array(6 * r.acc[0].length);
    [...r.acc, ...r.gyro].forEach((axis, a) => {
      raw.set(axis, a * r.acc[0].length);
    });
    writeFileSync(join(tmp, `rec_${k}.f64`), Buffer.from(raw.buffer));
    writeFileSync(join(tmp, `windows_${k}.i32`), Buffer.from(Int32Array.from((windowsOf[k] as { start: number }[]).map((w) => w.start)).buffer));
  });
  writeFileSync(join(tmp, 'features.f64'), Buffer.from(features.buffer));
  writeFileSync(join(tmp, 'labels.i32'), Buffer.from(labels.buffer));
  writeFileSync(join(tmp, 'split.i32'), Buffer.from(isTest.buffer));
  writeFileSync(join(tmp, 'meta.json'), JSON.stringify({ recordings: recordings.length, lengths: recordings.map((r) => r.acc[0].length), trees }));

  // The same scaling the example and the peer use: [-1, 1] from the training people.
  const split = subjectSplit(subjects, TEST_SUBJECTS);
  const all = { data: features, cols: 561 };
  const rawTrain = takeMatrix(all, split.train);
  const range = FeatureRange.fit(rawTrain);
  const Xtr = range.transform(rawTrain);
  const Xte = range.transform(takeMatrix(all, split.test));
  const ytr = Array.from(split.train, (i) => labels[i] as number);
  const yte = Array.from(split.test, (i) => labels[i] as number);
  const acc = (pred: ArrayLike<number>) => Array.from(pred).filter((p, i) => p === yte[i]).length / yte.length;
  let t = performance.now();
  const rf = new RandomForestClassifier({ nEstimators: trees, seed: 0, nThreads: 2 }).fit(Xtr, ytr);
  const rfSeconds = (performance.now() - t) / 1000;
  const rfAcc = acc(rf.predict(Xte));
  t = performance.now();
  const gb = new GradientBoostingClassifier({ nEstimators: trees, learningRate: 0.1, numLeaves: 15, seed: 0, nThreads: 2 }).fit(Xtr, ytr);
  const gbSeconds = (performance.now() - t) / 1000;
  const gbAcc = acc(gb.predict(Xte));

  const peer = runPythonPeer('har_peer.py', [tmp]);
  if (!peer.ok) console.log(`peer: ${peer.reason}`);
  const p = peer.ok
    ? (peer.result as {
        feature_seconds: number;
        columns_agreeing: number;
        worst_column: number;
        worst_relative_diff: number;
        rf_seconds: number;
        rf_accuracy: number;
        hgb_seconds: number;
        hgb_accuracy: number;
        sklearn: string;
        numpy: string;
      })
    : null;
  const ours = rows / timing.median;
  const theirs = p ? rows / p.feature_seconds : null;
  report(
    {
      bench: 'har',
      metric: 'feature_windows_per_second',
      unit: 'windows/s',
      better: 'higher',
      ours: Math.round(ours),
      peer: theirs === null ? null : Math.round(theirs),
      peer_name: `numpy ${p?.numpy ?? '?'} + scipy (vectorised over windows), one thread`,
      windows: rows,
      feature_columns_agreeing: p?.columns_agreeing ?? null,
      worst_column: p ? `${parts[0]?.names[p.worst_column]} (${p.worst_relative_diff.toExponential(2)} of its range)` : null,
      ours_rf_seconds: Number(rfSeconds.toFixed(2)),
      peer_rf_seconds: p ? Number(p.rf_seconds.toFixed(2)) : null,
      ours_rf_accuracy: Number(rfAcc.toFixed(4)),
      peer_rf_accuracy: p ? Number(p.rf_accuracy.toFixed(4)) : null,
      ours_gbdt_seconds: Number(gbSeconds.toFixed(2)),
      peer_hgb_seconds: p ? Number(p.hgb_seconds.toFixed(2)) : null,
      ours_gbdt_accuracy: Number(gbAcc.toFixed(4)),
      peer_hgb_accuracy: p ? Number(p.hgb_accuracy.toFixed(4)) : null,
      trees,
      sklearn: p?.sklearn ?? null,
    },
    [
      [`feature pipeline, ${rows} windows, windows/s`, fmt(ours, 0), fmt(theirs ?? undefined, 0), theirs ? fmt(ours / theirs) : 'n/a'],
      [`random forest train s (${trees} trees, 2 threads)`, fmt(rfSeconds), fmt(p?.rf_seconds), p ? fmt(rfSeconds / p.rf_seconds) : 'n/a'],
      ['random forest test accuracy', fmt(rfAcc, 4), fmt(p?.rf_accuracy, 4), p ? fmt(rfAcc / p.rf_accuracy) : 'n/a'],
      [`gbdt vs HistGradientBoosting train s (${trees} rounds)`, fmt(gbSeconds), fmt(p?.hgb_seconds), p ? fmt(gbSeconds / p.hgb_seconds) : 'n/a'],
      ['boosting test accuracy', fmt(gbAcc, 4), fmt(p?.hgb_accuracy, 4), p ? fmt(gbAcc / p.hgb_accuracy) : 'n/a'],
    ],
  );
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
