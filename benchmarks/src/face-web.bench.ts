/**
 * The face-scoring web service under load, on 127.0.0.1 only: the example's server in its own
 * process (demo model, 2 worker threads), a bounded client of our own (fetch, a fixed number of
 * requests, N at a time), one 1920x1280 JPEG with one face (cut from a face-api.js sample photo by
 * the server's own answer). Reports p50 / p95 / p99 latency, requests/s and errors at 1 and 8
 * concurrent clients, and the server's peak RSS (VmHWM). The peer figure is the exercise's own
 * published 1-2 s per request (its lower bound, 1000 ms).
 * Usage: npm run bench -- face-web [requests-at-1] [requests-at-8]   (default 40 and 80)
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { oneFacePhoto } from '../../examples/face-scoring/src/one-face-photo.js';
import { BENCH_DIR, fmt, report } from './harness.js';

const single = Number(process.argv[2] ?? 40);
const many = Number(process.argv[3] ?? 80);
const require = createRequire(import.meta.url);
const group = join(dirname(require.resolve('@vladmandic/face-api/package.json')), 'demo', 'sample1.jpg');
const main = join(BENCH_DIR, '..', 'examples', 'face-scoring', 'dist', 'main.js');

const server = spawn(process.execPath, [main, 'serve', '--port', '0', '--workers', '2'], { stdio: ['ignore', 'pipe', 'inherit'] });
const base = await new Promise<string>((resolve, reject) => {
  let out = '';
  const timer = setTimeout(() => reject(new Error(`the server did not start within 300 s:\n${out}`)), 300_000);
  server.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
    if (m) {
      clearTimeout(timer);
      resolve(m[1] as string);
    }
  });
  server.on('exit', (code) => reject(new Error(`the server exited with ${code}:\n${out}`)));
});

async function score(bytes: Uint8Array): Promise<{ ok: boolean; ms: number; body?: unknown }> {
  const form = new FormData();
  form.append('photo', new Blob([new Uint8Array(bytes)], { type: 'image/jpeg' }), 'photo.jpg');
  const t0 = performance.now();
  try {
    const res = await fetch(`${base}/api/score`, { method: 'POST', body: form });
    const body = await res.json();
    return { ok: res.ok, ms: performance.now() - t0, body };
  } catch {
    return { ok: false, ms: performance.now() - t0 };
  }
}

/** `total` requests, `clients` at a time, each client sending its next as soon as the last is answered. */
async function load(bytes: Uint8Array, total: number, clients: number) {
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < total) {
        next++;
        const r = await score(bytes);
        if (r.ok) latencies.push(r.ms);
        else errors++;
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? Number.NaN;
  return { p50: q(0.5), p95: q(0.95), p99: q(0.99), rps: latencies.length / seconds, errors, n: total };
}

function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? Number.NaN) / 1024;
}

try {
  const first = (await score(readFileSync(group))).body as Parameters<typeof oneFacePhoto>[1];
  const photo = await oneFacePhoto(group, first);
  const check = (await score(photo)).body as { status: string };
  if (check.status !== 'one') throw new Error(`the benchmark photo should have one face, the server says ${check.status}`);
  await load(photo, 6, 2); // warm-up: both workers' first passes
  const one = await load(photo, single, 1);
  const eight = await load(photo, many, 8);
  const rss = peakRssMb(server.pid as number);
  const health = (await (await fetch(`${base}/api/health`)).json()) as { event_loop_delay_ms: { p99: number; max: number } };
  report(
    {
      bench: 'face-web',
      metric: 'p50_ms',
      unit: 'ms',
      better: 'lower',
      ours: Number(one.p50.toFixed(1)),
      peer: 1000,
      peer_name: "the exercise's published 1-2 s per request (lower bound)",
      p95_ms: Number(one.p95.toFixed(1)),
      p99_ms: Number(one.p99.toFixed(1)),
      rps_1: Number(one.rps.toFixed(2)),
      errors_1: one.errors,
      p50_ms_8: Number(eight.p50.toFixed(1)),
      p95_ms_8: Number(eight.p95.toFixed(1)),
      p99_ms_8: Number(eight.p99.toFixed(1)),
      rps_8: Number(eight.rps.toFixed(2)),
      errors_8: eight.errors,
      throughput_gain_8_vs_1: Number((eight.rps / one.rps).toFixed(2)),
      server_peak_rss_mb: Number(rss.toFixed(0)),
      event_loop_delay_p99_ms: health.event_loop_delay_ms.p99,
      event_loop_delay_max_ms: health.event_loop_delay_ms.max,
      requests: [one.n, eight.n],
      photo: '1920x1280 JPEG, one face',
    },
    [
      ['p50 latency, 1 client, ms', fmt(one.p50, 0), '1000-2000', fmt(one.p50 / 1000)],
      ['p95 / p99, 1 client, ms', `${fmt(one.p95, 0)} / ${fmt(one.p99, 0)}`, '', ''],
      ['requests/s, 1 client', fmt(one.rps), '', ''],
      ['p50 / p95 / p99, 8 clients, ms', `${fmt(eight.p50, 0)} / ${fmt(eight.p95, 0)} / ${fmt(eight.p99, 0)}`, '', ''],
      ['requests/s, 8 clients (gain over 1)', `${fmt(eight.rps)} (${fmt(eight.rps / one.rps)}x)`, '', ''],
      ['errors (1 / 8 clients)', `${one.errors} / ${eight.errors}`, '', ''],
      ['server peak RSS, MB', fmt(rss, 0), '', ''],
      ['server event-loop delay p99 / max, ms (whole run)', `${health.event_loop_delay_ms.p99} / ${health.event_loop_delay_ms.max}`, '', ''],
    ],
  );
} finally {
  server.kill('SIGTERM');
}
