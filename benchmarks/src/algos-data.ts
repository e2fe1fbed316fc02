/**
 * Deterministic benchmark data for `npm run bench -- algos`, written once as raw little-endian
 * float32 / int32 files so that ours, the JS peers and scikit-learn read the very same numbers.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '@aiffel/algos';

export interface TaskData {
  x: Float32Array;
  rows: number;
  cols: number;
  labels: Int32Array;
}

export interface DataSpec {
  name: string;
  rows: number;
  cols: number;
  centers: number;
  spread: number;
  /** Share of rows drawn uniformly over the bounding box instead of from a blob (label -1). */
  noise: number;
}

export function specs(quick: boolean): Record<string, DataSpec> {
  const s = quick ? 10 : 1;
  return {
    kmeans: { name: `blobs-${100_000 / s}x128`, rows: 100_000 / s, cols: 128, centers: 10, spread: 6, noise: 0 },
    pca: { name: `blobs-${100_000 / s}x128`, rows: 100_000 / s, cols: 128, centers: 10, spread: 6, noise: 0 },
    dbscan20k: { name: `blobs2d-${20_000 / s}`, rows: 20_000 / s, cols: 2, centers: 10, spread: 50, noise: 0.05 },
    dbscan100k: { name: `blobs2d-${100_000 / s}`, rows: 100_000 / s, cols: 2, centers: 10, spread: 50, noise: 0.05 },
    tsne: { name: `blobs-${5000 / s}x128`, rows: 5000 / s, cols: 128, centers: 10, spread: 2, noise: 0 },
  };
}

export const dataDir = join(tmpdir(), 'aiffel-algos-bench');

/** Blobs with unit standard deviation around centres uniform in [-spread, spread]^cols. */
export function ensureData(spec: DataSpec): string {
  mkdirSync(dataDir, { recursive: true });
  const base = join(dataDir, spec.name);
  if (existsSync(`${base}.meta.json`)) return base;
  const rng = new Rng(42);
  const { rows, cols, centers, spread } = spec;
  const c = Float64Array.from({ length: centers * cols }, () => (rng.random() * 2 - 1) * spread);
  const x = new Float32Array(rows * cols);
  const labels = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    if (rng.random() < spec.noise) {
      labels[i] = -1;
      for (let j = 0; j < cols; j++) x[i * cols + j] = (rng.random() * 2 - 1) * (spread + 3);
      continue;
    }
    const k = rng.int(centers);
    labels[i] = k;
    for (let j = 0; j < cols; j++) x[i * cols + j] = (c[k * cols + j] as number) + rng.normal();
  }
  writeFileSync(`${base}.x.f32`, Buffer.from(x.buffer));
  writeFileSync(`${base}.y.i32`, Buffer.from(labels.buffer));
  writeFileSync(`${base}.meta.json`, JSON.stringify({ rows, cols }));
  return base;
}

export function loadData(base: string): TaskData {
  const { rows, cols } = JSON.parse(readFileSync(`${base}.meta.json`, 'utf8')) as { rows: number; cols: number };
  const xb = readFileSync(`${base}.x.f32`);
  const yb = readFileSync(`${base}.y.i32`);
  return {
    x: new Float32Array(xb.buffer.slice(xb.byteOffset, xb.byteOffset + xb.byteLength)),
    rows,
    cols,
    labels: new Int32Array(yb.buffer.slice(yb.byteOffset, yb.byteOffset + yb.byteLength)),
  };
}
