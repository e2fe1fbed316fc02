import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BENCH_DIR = dirname(dirname(fileURLToPath(import.meta.url)));
export const PYTHON = '/usr/bin/python3';

export interface Timing {
  median: number;
  min: number;
  runs: number[];
}

/** Times `fn` (after `warmup` untimed runs) `reps` times; seconds. */
export async function time(fn: () => unknown | Promise<unknown>, reps: number, warmup = 1): Promise<Timing> {
  for (let i = 0; i < warmup; i++) await fn();
  const runs: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    await fn();
    runs.push((performance.now() - t0) / 1000);
  }
  const sorted = [...runs].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)] as number, min: sorted[0] as number, runs };
}

/**
 * Runs a Python peer script from benchmarks/peers with /usr/bin/python3 and returns the JSON object
 * on its last stdout line, or an explanation when the peer is not installed.
 */
export function runPythonPeer(script: string, args: string[] = []): { ok: true; result: Record<string, unknown> } | { ok: false; reason: string } {
  if (!existsSync(PYTHON)) return { ok: false, reason: `${PYTHON} not found` };
  const r = spawnSync(PYTHON, [join(BENCH_DIR, 'peers', script), ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) {
    const err = (r.stderr || '').trim().split('\n').slice(-3).join(' | ');
    return { ok: false, reason: `${script} failed (${err}); run benchmarks/setup-peers.sh to install the Python peers` };
  }
  const last = r.stdout.trim().split('\n').at(-1) ?? '';
  try {
    return { ok: true, result: JSON.parse(last) as Record<string, unknown> };
  } catch {
    return { ok: false, reason: `${script} printed no JSON line` };
  }
}

/** What a benchmark reports; `report` adds `ratio` and `machine`. */
export interface BenchInput {
  bench: string;
  metric: string;
  unit: string;
  better: 'lower' | 'higher';
  ours: number;
  peer: number | null;
  peer_name: string;
  [more: string]: unknown;
}

export interface BenchResult extends BenchInput {
  /** ours / peer (null when the peer could not run). */
  ratio: number | null;
  machine: string;
}

/**
 * Prints the comparison table and the JSON line (last), and writes results/<bench>.json. Rows are
 * measure, ours, peer, ours/peer unless `header` names other columns (a second peer, say).
 */
export function report(result: BenchInput, rows: string[][], header: string[] = ['measure', 'ours', 'peer', 'ours/peer']): BenchResult {
  const ratio = result.peer === null || result.peer === 0 ? null : Number((result.ours / result.peer).toFixed(4));
  const full: BenchResult = { ...result, ratio, machine: machine() };
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]?.length ?? 0)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i] as number)).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
  const dir = join(BENCH_DIR, 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${result.bench}.json`), `${JSON.stringify(full, null, 2)}\n`);
  console.log(JSON.stringify(full));
  return full;
}

function machine(): string {
  return `${cpus()[0]?.model ?? 'cpu'} x${availableParallelism()}, node ${process.version}`;
}

export function fmt(x: number | null | undefined, digits = 2): string {
  return x === null || x === undefined || !Number.isFinite(x) ? 'n/a' : x.toFixed(digits);
}
