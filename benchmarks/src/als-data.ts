/**
 * Deterministic implicit-feedback data for `npm run bench -- als`: users and items with planted
 * rank-16 tastes and power-law item popularity; each user's interactions are drawn from the
 * popularity distribution and kept with probability sigmoid(taste match), values are play counts.
 * Written once as raw CSR arrays (int32 indptr/indices, float32 data) that ours and numpy read.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CsrMatrix } from '@aiffel/sparse-als';

export interface AlsScale {
  name: string;
  users: number;
  items: number;
  nnz: number;
}

export const scales: Record<string, AlsScale> = {
  small: { name: 'als-small', users: 50_000, items: 20_000, nnz: 2_000_000 },
  lastfm: { name: 'als-lastfm', users: 358_868, items: 292_385, nnz: 17_500_000 },
  tiny: { name: 'als-tiny', users: 5_000, items: 2_000, nnz: 200_000 },
};

export const alsDir = join(tmpdir(), 'aiffel-als-bench');

function mulberry(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function ensureAlsData(scale: AlsScale): string {
  mkdirSync(alsDir, { recursive: true });
  const base = join(alsDir, scale.name);
  if (existsSync(`${base}.meta.json`)) return base;
  const rand = mulberry(7);
  const normal = () => Math.sqrt(-2 * Math.log(rand() || 1e-12)) * Math.cos(2 * Math.PI * rand());
  const r = 16;
  const { users, items } = scale;
  const uv = Float32Array.from({ length: users * r }, normal);
  const iv = Float32Array.from({ length: items * r }, normal);
  // Popularity ~ rank^-0.9: a cumulative table to sample items by inverse CDF.
  const cum = new Float64Array(items);
  let total = 0;
  for (let i = 0; i < items; i++) {
    total += (i + 1) ** -0.9;
    cum[i] = total;
  }
  const perUser = scale.nnz / users;
  const indptr = new Int32Array(users + 1);
  const cols: number[] = [];
  const vals: number[] = [];
  const seen = new Set<number>();
  for (let u = 0; u < users; u++) {
    // Heavy-tailed activity: a few users play a lot.
    const want = Math.max(1, Math.round(perUser * Math.exp(0.8 * normal() - 0.32)));
    seen.clear();
    let tries = 0;
    while (seen.size < Math.min(want, items) && tries < want * 20) {
      tries++;
      const x = rand() * total;
      let lo = 0;
      let hi = items - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if ((cum[mid] as number) < x) lo = mid + 1;
        else hi = mid;
      }
      if (seen.has(lo)) continue;
      let dot = 0;
      for (let k = 0; k < r; k++) dot += (uv[u * r + k] as number) * (iv[lo * r + k] as number);
      if (rand() < 1 / (1 + Math.exp(-dot / 2))) seen.add(lo);
    }
    for (const i of [...seen].sort((a, b) => a - b)) {
      cols.push(i);
      vals.push(1 + Math.floor(-Math.log(rand() || 1e-12) * 3));
    }
    indptr[u + 1] = cols.length;
  }
  writeFileSync(`${base}.indptr.i32`, Buffer.from(indptr.buffer));
  writeFileSync(`${base}.indices.i32`, Buffer.from(Int32Array.from(cols).buffer));
  writeFileSync(`${base}.data.f32`, Buffer.from(Float32Array.from(vals).buffer));
  writeFileSync(`${base}.meta.json`, JSON.stringify({ users, items, nnz: cols.length }));
  return base;
}

function typed<T>(path: string, Ctor: new (b: ArrayBuffer) => T): T {
  const b = readFileSync(path);
  return new Ctor(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer);
}

export function loadAlsData(base: string): CsrMatrix {
  const meta = JSON.parse(readFileSync(`${base}.meta.json`, 'utf8')) as { users: number; items: number };
  return new CsrMatrix(
    meta.users,
    meta.items,
    typed(`${base}.indptr.i32`, Int32Array),
    typed(`${base}.indices.i32`, Int32Array),
    typed(`${base}.data.f32`, Float32Array),
  );
}

/** Writes a CSR matrix in the raw layout loadAlsData reads. */
export function writeAlsData(base: string, m: CsrMatrix): string {
  writeFileSync(`${base}.indptr.i32`, Buffer.from(m.indptr.buffer, m.indptr.byteOffset, m.indptr.byteLength));
  writeFileSync(`${base}.indices.i32`, Buffer.from(m.indices.buffer, m.indices.byteOffset, m.indices.byteLength));
  writeFileSync(`${base}.data.f32`, Buffer.from(m.data.buffer, m.data.byteOffset, m.data.byteLength));
  writeFileSync(`${base}.meta.json`, JSON.stringify({ users: m.rows, items: m.cols, nnz: m.nnz }));
  return base;
}

/**
 * Holds out one random interaction of each of `evalUsers` users (those with at least two), the
 * same for ours and the peer: returns the train and test bases.
 */
export function ensureSplit(base: string, evalUsers: number): { train: string; test: string } {
  // The split's files name its size, so a different evalUsers never reuses a cached split.
  const train = `${base}-split${evalUsers}-train`;
  const test = `${base}-split${evalUsers}-test`;
  if (existsSync(`${test}.meta.json`)) return { train, test };
  const m = loadAlsData(base);
  const rand = mulberry(11);
  const hold = new Int32Array(m.rows).fill(-1);
  let picked = 0;
  for (let u = 0; u < m.rows && picked < evalUsers; u += 1 + Math.floor(rand() * Math.max(1, m.rows / evalUsers))) {
    const s = m.indptr[u] as number;
    const n = (m.indptr[u + 1] as number) - s;
    if (n < 2) continue;
    hold[u] = s + Math.floor(rand() * n);
    picked++;
  }
  const tr: number[][] = [[], [], []];
  const te: number[][] = [[], [], []];
  for (let u = 0; u < m.rows; u++) {
    for (let t = m.indptr[u] as number; t < (m.indptr[u + 1] as number); t++) {
      const dst = t === hold[u] ? te : tr;
      (dst[0] as number[]).push(u);
      (dst[1] as number[]).push(m.indices[t] as number);
      (dst[2] as number[]).push(m.data[t] as number);
    }
  }
  const build = (p: number[][]) => CsrMatrix.fromCoo(m.rows, m.cols, p[0] as number[], p[1] as number[], p[2] as number[]);
  writeAlsData(train, build(tr));
  writeAlsData(test, build(te));
  return { train, test };
}
