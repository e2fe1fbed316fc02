/**
 * @aiffel/sparse-als against implicit 0.7.2 (the library people use; built from source by
 * benchmarks/build-peers.sh) and, as a second column, a numpy/scipy implementation of the same
 * CG-ALS (benchmarks/peers/als_peer.py), on planted low-rank data with power-law popularity at two
 * scales: small (50,000 x 20,000, ~2M non-zeros) and last.fm-360K (358,868 x 292,385, ~17.5M).
 * All three solve one problem: confidence 1 + alpha r, the same regularization, CG steps and
 * threads (implicit with OPENBLAS_NUM_THREADS=1, as it asks). Seconds per iteration (median),
 * precision@10 on the same held-out users, peak memory; each side in its own process.
 * Headline: seconds per iteration at the last.fm scale, peer implicit.
 * Usage: npm run bench -- als [--quick] (quick: a tiny and the small scale only)
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ensureAlsData, ensureSplit, loadAlsData, scales } from './als-data.js';
import { BENCH_DIR, fmt, PYTHON, report } from './harness.js';
import { implicitBuild } from './peer-builds.js';

const quick = process.argv.includes('--quick');
const plan = quick
  ? [
      { scale: 'tiny', iterations: 5, evalUsers: 500 },
      { scale: 'small', iterations: 5, evalUsers: 1000 },
    ]
  : [
      { scale: 'small', iterations: 5, evalUsers: 5000 },
      { scale: 'lastfm', iterations: 3, evalUsers: 3000 },
    ];
const params = { factors: 64, reg: 0.1, alpha: 2, cgSteps: 3 };

type Figures = { seconds_per_iteration?: number; precision_at_10?: number; max_rss_mb?: number; error?: string; [k: string]: unknown };
const threads = '2';
function run(cmd: string, args: string[], env: Record<string, string> = {}): Figures {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20, env: { ...process.env, ...env } });
  if (r.status !== 0) return { error: (r.stderr || '').trim().split('\n').slice(-2).join(' | ') };
  try {
    return JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '') as Figures;
  } catch {
    return { error: 'no JSON line' };
  }
}

const implicit = implicitBuild();
if (!implicit.ok) console.error(implicit.reason);
const ratioOf = (a: number | undefined, b: number | undefined, digits = 2) => fmt((a ?? Number.NaN) / (b ?? Number.NaN), digits);
const rows: string[][] = [];
const extra: Record<string, unknown> = {};
let headline: { ours: number; peer: number | null } = { ours: Number.NaN, peer: null };
for (const { scale, iterations, evalUsers } of plan) {
  const spec = scales[scale] as (typeof scales)[string];
  const base = ensureAlsData(spec);
  const { train, test } = ensureSplit(base, evalUsers);
  const shape = loadAlsData(train);
  const argv = [train, test, String(params.factors), String(iterations), String(params.reg), String(params.alpha), String(params.cgSteps)];
  const ours = run(process.execPath, ['--import', 'tsx', join(BENCH_DIR, 'src', 'als-task.ts'), ...argv]);
  const peer: Figures = !existsSync(PYTHON)
    ? { error: `${PYTHON} not found` }
    : implicit.ok
      ? run(PYTHON, [join(BENCH_DIR, 'peers', 'implicit_peer.py'), implicit.path, ...argv, threads], { OPENBLAS_NUM_THREADS: '1' })
      : { error: implicit.reason };
  const numpy = existsSync(PYTHON)
    ? run(PYTHON, [join(BENCH_DIR, 'peers', 'als_peer.py'), ...argv], { OPENBLAS_NUM_THREADS: threads })
    : { error: `${PYTHON} not found` };
  if (ours.error) console.error(`ours (${scale}): ${ours.error}`);
  if (peer.error && implicit.ok) console.error(`implicit (${scale}): ${peer.error}`);
  if (numpy.error) console.error(`numpy (${scale}): ${numpy.error}`);
  const label = `${scale} ${shape.rows}x${shape.cols}, ${(shape.nnz / 1e6).toFixed(1)}M nnz`;
  const line = (measure: string, key: keyof Figures, digits: number, ratioDigits = 2) => [
    `${label}: ${measure}`,
    fmt(ours[key] as number | undefined, digits),
    fmt(peer[key] as number | undefined, digits),
    ratioOf(ours[key] as number | undefined, peer[key] as number | undefined, ratioDigits),
    fmt(numpy[key] as number | undefined, digits),
    ratioOf(ours[key] as number | undefined, numpy[key] as number | undefined, ratioDigits),
  ];
  rows.push(line('seconds / iteration', 'seconds_per_iteration', 2));
  rows.push(line(`precision@10 (${evalUsers} held-out)`, 'precision_at_10', 4, 3));
  rows.push(line('peak memory MB', 'max_rss_mb', 0));
  const over = (a?: number, b?: number) => (a && b ? a / b : null);
  extra[scale] = {
    users: shape.rows,
    items: shape.cols,
    nnz: shape.nnz,
    iterations,
    ours,
    implicit: peer,
    numpy,
    ratio_vs_implicit: over(ours.seconds_per_iteration, peer.seconds_per_iteration),
    ratio_vs_numpy: over(ours.seconds_per_iteration, numpy.seconds_per_iteration),
    precision_ratio_vs_implicit: over(ours.precision_at_10, peer.precision_at_10),
  };
  if (scale === 'lastfm' || (quick && scale === 'small'))
    headline = { ours: ours.seconds_per_iteration ?? Number.NaN, peer: peer.seconds_per_iteration ?? null };
}

report(
  {
    bench: quick ? 'als-quick' : 'als',
    metric: 'seconds_per_iteration',
    unit: 's',
    better: 'lower',
    ours: headline.ours,
    peer: headline.peer,
    peer_name: `implicit 0.7.2 AlternatingLeastSquares (CG, built from source, ${threads} threads, OPENBLAS_NUM_THREADS=1)`,
    second_peer_name: 'numpy/scipy CG-ALS reference (benchmarks/peers/als_peer.py, OpenBLAS, 2 threads)',
    params: { ...params, threads: Number(threads) },
    ...extra,
  },
  rows,
  ['measure', 'ours', 'implicit', 'ours/implicit', 'numpy ref', 'ours/numpy'],
);
