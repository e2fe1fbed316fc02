/**
 * @aiffel/face-embed against its peers, same run:
 * (a) detect + landmarks + 128-d descriptors over the six sample photos of @vladmandic/face-api
 *     (22 faces, 1920x1280-class JPEGs): faces per second, ours (FaceEmbedderPool on both cores,
 *     and FaceEmbedder on one) vs face-api's own node-wasm pipeline with the same weights
 *     (peers/faceapi_peer.cjs, a separate process; it has no way to use the second core);
 * (b) gallery search latency, k = 5, over 100,000 and 1,000,000 random 128-d vectors: ours (int8
 *     SIMD scan + exact re-rank) vs a plain JavaScript linear scan vs numpy brute force
 *     (peers/face_search_peer.py, Debian python3-numpy), on the same vectors and queries.
 * Headline: faces_per_second. Usage: npm run bench -- face [reps]   (default 3)
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { FaceDetector, FaceEmbedder, FaceEmbedderPool, FaceGallery } from '@aiffel/face-embed';
import { BENCH_DIR, fmt, report, runPythonPeer, time } from './harness.js';

const reps = Number(process.argv[2] ?? 3);
const require = createRequire(import.meta.url);
const demo = join(dirname(require.resolve('@vladmandic/face-api/package.json')), 'demo');
const photos = [1, 2, 3, 4, 5, 6].map((i) => join(demo, `sample${i}.jpg`));
const bytes = photos.map((p) => readFileSync(p));

// (a) throughput
const embedder = await FaceEmbedder.load();
let faces = 0;
const pass = async () => {
  faces = 0;
  for (const b of bytes) faces += (await embedder.embedAll(b)).length;
};
const single = await time(pass, reps);
const singleFps = faces / single.median;
embedder.dispose();
// Both cores: one embedder per worker thread, photos handed out as workers free up.
const pool = await FaceEmbedderPool.create();
let poolFaces = 0;
const pooled = await time(async () => {
  poolFaces = (await pool.embedAll(bytes)).reduce((s, r) => s + r.length, 0);
}, reps);
await pool.close();
const oursFps = poolFaces / pooled.median;
// Detection alone (+ landmarks), per photo: the SSD against the tiny detector option.
const detectMs: Record<string, number> = {};
const detectFaces: Record<string, number> = {};
for (const detector of ['ssd', 'tiny'] as const) {
  const d = await FaceDetector.load({ detector });
  let found = 0;
  const t = await time(async () => {
    found = 0;
    for (const b of bytes) found += (await d.detectAll(b)).length;
  }, reps);
  detectMs[detector] = Number(((t.median * 1000) / bytes.length).toFixed(1));
  detectFaces[detector] = found;
  d.dispose();
}
const peerRun = spawnSync(process.execPath, [join(BENCH_DIR, 'peers', 'faceapi_peer.cjs'), String(reps), ...photos], { cwd: BENCH_DIR, encoding: 'utf8' });
let peer: { faces: number; faces_per_second: number; version: string } | undefined;
try {
  peer = JSON.parse(peerRun.stdout.trim().split('\n').at(-1) ?? '');
} catch {
  console.error(`face-api peer failed: ${peerRun.stderr.slice(-500)}`);
}

// (b) search latency
function lcg(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296 - 0.5;
  };
}
const dir = mkdtempSync(join(tmpdir(), 'face-bench-'));
const search: Record<string, number | null> = {};
const nq = 20;
for (const n of [100_000, 1_000_000]) {
  const rand = lcg(n);
  // Spread like real descriptors (components within about ±0.25).
  const x = new Float32Array(n * 128);
  for (let i = 0; i < x.length; i++) x[i] = rand() * 0.5;
  const q = new Float32Array(nq * 128);
  for (let i = 0; i < q.length; i++) q[i] = rand() * 0.5;
  const gallery = new FaceGallery();
  const rows = Array.from({ length: n }, (_, i) => ({ name: `id${i}`, descriptor: x.subarray(i * 128, (i + 1) * 128) }));
  gallery.addMany(rows);
  let qi = 0;
  const oursT = await time(() => gallery.search(q.subarray((qi++ % nq) * 128, (qi % nq || nq) * 128), { k: 5 }), nq * reps, 2);
  const scan = (v: Float32Array) => {
    // The peers' approach: a distance per row, then sort the k best (a partial selection here).
    const best: { i: number; d: number }[] = [];
    for (let i = 0; i < n; i++) {
      let s = 0;
      const o = i * 128;
      for (let j = 0; j < 128; j++) {
        const t = (v[j] as number) - (x[o + j] as number);
        s += t * t;
      }
      if (best.length < 5 || s < (best[4] as { d: number }).d) {
        best.push({ i, d: s });
        best.sort((a, b) => a.d - b.d);
        if (best.length > 5) best.pop();
      }
    }
    return best;
  };
  let sj = 0;
  const jsT = await time(() => scan(q.subarray((sj++ % nq) * 128, (sj % nq || nq) * 128)), Math.min(nq, 5), 1);
  const ourFirst = gallery.search(q.subarray(0, 128), { k: 5 }).map((h) => h.id);
  const jsFirst = scan(q.subarray(0, 128)).map((b) => b.i);
  if (JSON.stringify(ourFirst) !== JSON.stringify(jsFirst)) throw new Error(`search results differ at n=${n}: ${ourFirst} vs ${jsFirst}`);
  writeFileSync(join(dir, 'x.f32'), x);
  writeFileSync(join(dir, 'q.f32'), q);
  const np = runPythonPeer('face_search_peer.py', [join(dir, 'x.f32'), String(n), join(dir, 'q.f32'), String(nq), String(reps)]);
  const npRes = np.ok ? (np.result as { ms: number; first: number[] }) : undefined;
  if (npRes && JSON.stringify(npRes.first) !== JSON.stringify(ourFirst)) throw new Error(`numpy results differ at n=${n}`);
  if (!np.ok) console.error(np.reason);
  const key = n === 100_000 ? '100k' : '1m';
  search[`search_ms_${key}`] = Number((oursT.median * 1000).toFixed(2));
  search[`search_ms_${key}_js_scan`] = Number((jsT.median * 1000).toFixed(1));
  search[`search_ms_${key}_numpy`] = npRes ? Number(npRes.ms.toFixed(1)) : null;
}
rmSync(dir, { recursive: true, force: true });

const r = (a: number | null | undefined, b: number | null | undefined) => (a == null || b == null ? 'n/a' : fmt(a / b));
report(
  {
    bench: 'face',
    metric: 'faces_per_second',
    unit: 'faces/s',
    better: 'higher',
    ours: Number(oursFps.toFixed(2)),
    peer: peer ? Number(peer.faces_per_second.toFixed(2)) : null,
    peer_name: `@vladmandic/face-api ${peer?.version ?? '?'} node-wasm (same weights)`,
    faces_per_second_one_thread: Number(singleFps.toFixed(2)),
    faces: poolFaces,
    peer_faces: peer?.faces ?? null,
    photos: photos.length,
    detect_ms_per_photo_ssd: detectMs.ssd,
    detect_ms_per_photo_tiny: detectMs.tiny,
    faces_found_ssd: detectFaces.ssd,
    faces_found_tiny: detectFaces.tiny,
    ...search,
  },
  [
    ['detect + landmarks + embed, faces/s, both cores', fmt(oursFps), fmt(peer?.faces_per_second), r(oursFps, peer?.faces_per_second)],
    ['detect + landmarks + embed, faces/s, one thread', fmt(singleFps), fmt(peer?.faces_per_second), r(singleFps, peer?.faces_per_second)],
    ['detect + landmarks per photo, ms: ssd (peer column: tiny)', fmt(detectMs.ssd, 0), fmt(detectMs.tiny, 0), r(detectMs.ssd, detectMs.tiny)],
    ['search k=5, 100k, ms (peer: numpy)', fmt(search.search_ms_100k), fmt(search.search_ms_100k_numpy), r(search.search_ms_100k, search.search_ms_100k_numpy)],
    [
      'search k=5, 100k, ms (peer: JS scan)',
      fmt(search.search_ms_100k),
      fmt(search.search_ms_100k_js_scan),
      r(search.search_ms_100k, search.search_ms_100k_js_scan),
    ],
    ['search k=5, 1M, ms (peer: numpy)', fmt(search.search_ms_1m), fmt(search.search_ms_1m_numpy), r(search.search_ms_1m, search.search_ms_1m_numpy)],
    ['search k=5, 1M, ms (peer: JS scan)', fmt(search.search_ms_1m), fmt(search.search_ms_1m_js_scan), r(search.search_ms_1m, search.search_ms_1m_js_scan)],
  ],
);
