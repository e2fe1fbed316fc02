/**
 * The same MLP trained by @aiffel/runtime (MLPRegressor on the Trainer, tfjs wasm, one thread)
 * and by PyTorch on the CPU (2 threads, peers/mlp_peer.py) in the same run, on the King County
 * house-price table (../shared/data/house-prices; log(1 + price) from 18 numeric features):
 * 18-64-32-1 ReLU, inputs and target standardised, Adam 1e-3, MSE, batch 64, a fixed number of
 * epochs (no early stopping), the same 80 / 20 split. Reports the median ms per epoch (ratio) and
 * each side's held-out RMSE on log price.
 * Usage: npm run bench -- mlp [epochs]   (default 20)
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { trainTestSplit } from '@aiffel/gbm-ensemble';
import { MLPRegressor, ready } from '@aiffel/runtime';
import { houses } from '../../examples/training-basics/src/tables.js';
import { BENCH_DIR, fmt, report, runPythonPeer } from './harness.js';

const epochs = Number(process.argv[2] ?? 20);
const file = join(BENCH_DIR, '..', '..', 'shared', 'data', 'house-prices', 'kc_house_data.csv');
// The same table and features as examples/training-basics' regression lesson.
const { X, y } = houses(file);
const split = trainTestSplit(X.length, { testSize: 0.2, seed: 0 });
const pick = <T>(a: T[], idx: ArrayLike<number>) => Array.from(idx, (i) => a[i] as T);
const [Xtr, Xte, ytr, yte] = [pick(X, split.train), pick(X, split.test), pick(y, split.train), pick(y, split.test)];

const dir = mkdtempSync(join(tmpdir(), 'mlp-bench-'));
try {
  const f32 = (rowsOf: number[][] | number[]) => Buffer.from(Float32Array.from((rowsOf as (number | number[])[]).flat()).buffer);
  writeFileSync(join(dir, 'x_train.f32'), f32(Xtr));
  writeFileSync(join(dir, 'y_train.f32'), f32(ytr));
  writeFileSync(join(dir, 'x_test.f32'), f32(Xte));
  writeFileSync(join(dir, 'y_test.f32'), f32(yte));
  writeFileSync(join(dir, 'meta.json'), JSON.stringify({ train: Xtr.length, test: Xte.length, cols: X[0]?.length, epochs, batchSize: 64 }));

  await ready();
  const m = await new MLPRegressor({ hiddenLayerSizes: [64, 32], learningRate: 1e-3, epochs, batchSize: 64, validationFraction: 0, seed: 0 }).fit(Xtr, ytr);
  const epochMs = (m.log?.epochs ?? []).map((e) => e.seconds * 1000).sort((a, b) => a - b);
  const oursMs = epochMs[Math.floor(epochMs.length / 2)] as number;
  const pred = m.predict(Xte);
  const oursRmse = Math.sqrt(yte.reduce((s, v, i) => s + (v - (pred[i] as number)) ** 2, 0) / yte.length);
  const peer = runPythonPeer('mlp_peer.py', [dir]);
  const p = peer.ok ? (peer.result as { ms_per_epoch: number; test_rmse: number; torch: string }) : null;
  if (!peer.ok) console.log(`peer: ${peer.reason}`);
  report(
    {
      bench: 'mlp',
      metric: 'ms_per_epoch',
      unit: 'ms',
      better: 'lower',
      ours: Number(oursMs.toFixed(1)),
      peer: p ? Number(p.ms_per_epoch.toFixed(1)) : null,
      peer_name: `PyTorch ${p?.torch ?? '?'} CPU, 2 threads`,
      ours_test_rmse_log_price: Number(oursRmse.toFixed(4)),
      peer_test_rmse_log_price: p ? Number(p.test_rmse.toFixed(4)) : null,
      epochs,
      train_rows: Xtr.length,
      batch_size: 64,
      network: `${X[0]?.length}-64-32-1 relu, Adam 1e-3`,
    },
    [
      [`ms per epoch (${Xtr.length} rows, batch 64)`, fmt(oursMs, 1), fmt(p?.ms_per_epoch, 1), p ? fmt(oursMs / p.ms_per_epoch) : 'n/a'],
      [`held-out RMSE, log price, after ${epochs} epochs`, fmt(oursRmse, 4), fmt(p?.test_rmse, 4), p ? fmt(oursRmse / p.test_rmse) : 'n/a'],
    ],
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
