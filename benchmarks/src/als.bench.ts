/**
 * @aiffel/sparse-als against a numpy/scipy implementation of the same CG-ALS (benchmarks/peers/als_peer.py)
 * on planted low-rank data with power-law popularity, at two scales: small (50,000 x 20,000,
 * ~2M non-zeros) and last.fm-360K (358,868 x 292,385, ~17.5M). Seconds per iteration (median),
 * precision@10 on held-out interactions, peak memory; each side in its own process.
 * Headline: seconds per iteration at the last.fm scale (ours), peer the numpy reference.
 * Usage: npm run bench -- als [--quick] (quick: a tiny and the small scale only)
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ensureAlsData, ensureSplit, loadAlsData, scales } from './als-data.js';
import { BENCH_DIR, fmt, PYTHON, report } from './harness.js';

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
function run(cmd: string, args: string[]): Figures {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) return { error: (r.stderr || '').trim().split('\n').slice(-2).join(' | ') };
  try {
    return JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '') as Figures;
  } catch {
    return { error: 'no JSON line' };
  }
}

const rows: Array<[string, string, string, string]> = [];
const extra: Record<string, unknown> = {};
let headline: { ours: number; peer: number | null } = { ours: Number.NaN, peer: null };
for (const { scale, iterations, evalUsers } of plan) {
  const spec = scales[scale] as (typeof scales)[string];
  const base = ensureAlsData(spec);
  const { train, test } = ensureSplit(base, evalUsers);
  const shape = loadAlsData(train);
  const argv = [train, test, String(params.factors), String(iterations), String(params.reg), String(params.alpha), String(params.cgSteps)];
  const ours = run(process.execPath, ['--import', 'tsx', join(BENCH_DIR, 'src', 'als-task.ts'), ...argv]);
  const peer = existsSync(PYTHON) ? run(PYTHON, [join(BENCH_DIR, 'peers', 'als_peer.py'), ...argv]) : { error: `${PYTHON} not found` };
  if (ours.error) console.error(`ours (${scale}): ${ours.error}`);
  if (peer.error) console.error(`numpy (${scale}): ${peer.error}`);
  const label = `${scale} ${shape.rows}x${shape.cols}, ${(shape.nnz / 1e6).toFixed(1)}M nnz`;
  const ratio = ours.seconds_per_iteration && peer.seconds_per_iteration ? ours.seconds_per_iteration / peer.seconds_per_iteration : null;
  rows.push([`${label}: seconds / iteration`, fmt(ours.seconds_per_iteration, 2), fmt(peer.seconds_per_iteration, 2), fmt(ratio)]);
  rows.push([
    `${label}: precision@10 (${evalUsers} held-out)`,
    fmt(ours.precision_at_10, 4),
    fmt(peer.precision_at_10, 4),
    fmt((ours.precision_at_10 ?? Number.NaN) / (peer.precision_at_10 ?? Number.NaN), 3),
  ]);
  rows.push([
    `${label}: peak memory MB`,
    fmt(ours.max_rss_mb, 0),
    fmt(peer.max_rss_mb, 0),
    fmt((ours.max_rss_mb ?? Number.NaN) / (peer.max_rss_mb ?? Number.NaN)),
  ]);
  extra[scale] = { users: shape.rows, items: shape.cols, nnz: shape.nnz, iterations, ours, numpy: peer, speedup_vs_numpy: ratio ? 1 / ratio : null };
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
    peer_name: 'numpy/scipy CG-ALS reference (benchmarks/peers/als_peer.py, OpenBLAS, 2 threads)',
    params,
    ...extra,
  },
  rows,
);
