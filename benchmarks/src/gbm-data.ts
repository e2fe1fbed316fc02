/**
 * Deterministic synthetic data for `npm run bench -- gbm`, written once to /tmp/aiffel-gbm-bench
 * as raw little-endian arrays that the Python peers read with numpy.fromfile:
 * - higgs: binary classification, 28 features (21 "low-level" measurements and 7 non-linear
 *   "high-level" combinations, like HIGGS), label from a noisy non-linear score;
 * - house: regression, 16 numeric features (four with 10% missing) and 4 categorical
 *   (5, 20, 50 and 200 categories), target with interactions and category effects.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const GBM_DIR = '/tmp/aiffel-gbm-bench';

export interface GbmSet {
  name: string;
  rows: number;
  cols: number;
  categorical: number[];
  task: 'binary' | 'regression';
}

export const sets: Record<string, { train: number; test: number; cols: number; categorical: number[]; task: 'binary' | 'regression' }> = {
  higgs: { train: 1_000_000, test: 200_000, cols: 28, categorical: [], task: 'binary' },
  house: { train: 200_000, test: 50_000, cols: 20, categorical: [16, 17, 18, 19], task: 'regression' },
  'higgs-small': { train: 100_000, test: 20_000, cols: 28, categorical: [], task: 'binary' },
  'house-small': { train: 20_000, test: 5_000, cols: 20, categorical: [16, 17, 18, 19], task: 'regression' },
};

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function normal(r: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
}

function higgsRow(r: () => number, x: Float32Array, o: number): number {
  for (let j = 0; j < 21; j++) x[o + j] = j % 3 === 0 ? -Math.log(1 - r()) : normal(r);
  const a = x.subarray(o, o + 21);
  const hl = [
    Math.sqrt((a[0] as number) * (a[3] as number)),
    Math.hypot(a[1] as number, a[2] as number),
    (a[4] as number) * (a[5] as number),
    Math.abs((a[6] as number) - (a[7] as number)),
    Math.log1p(a[9] as number) + (a[10] as number),
    Math.sin(a[11] as number) * (a[12] as number),
    (a[15] as number) + (a[18] as number) * (a[13] as number),
  ];
  for (let j = 0; j < 7; j++) x[o + 21 + j] = hl[j] as number;
  const score =
    0.9 * (hl[0] as number) -
    0.7 * (hl[1] as number) +
    0.6 * Math.tanh(hl[2] as number) +
    0.4 * (hl[3] as number) -
    0.5 * (hl[5] as number) +
    0.3 * (a[14] as number) * (a[16] as number) -
    0.2 * (a[17] as number) ** 2 +
    0.8 * normal(r);
  return score > 0.05 ? 1 : 0;
}

function houseRow(r: () => number, x: Float32Array, o: number, effects: Float64Array[]): number {
  for (let j = 0; j < 16; j++) x[o + j] = j < 8 ? normal(r) : r() * 10;
  const cards = [5, 20, 50, 200];
  const cat = cards.map((c) => Math.floor(r() ** 1.5 * c));
  let y =
    3 * Math.sin(x[o] as number) +
    2 * (x[o + 1] as number) * (x[o + 2] as number) +
    (x[o + 8] as number) ** 1.5 / 5 +
    Math.log1p(x[o + 9] as number) * (x[o + 3] as number);
  y += 0.5 * Math.max(0, (x[o + 10] as number) - 5) - 0.3 * (x[o + 4] as number) ** 2;
  for (let c = 0; c < 4; c++) {
    x[o + 16 + c] = cat[c] as number;
    y += (effects[c] as Float64Array)[cat[c] as number] as number;
  }
  y += normal(r) * 0.5;
  // Missing values after the target is computed: what a model sees is incomplete, as in life.
  for (const j of [3, 9, 12, 14]) if (r() < 0.1) x[o + j] = Number.NaN;
  return y;
}

function generate(name: string, rows: number, seed: number): { x: Float32Array; y: Float64Array } {
  const spec = sets[name] as (typeof sets)[string];
  const r = rng(seed);
  const x = new Float32Array(rows * spec.cols);
  const y = new Float64Array(rows);
  const er = rng(7);
  const effects = [5, 20, 50, 200].map((c) => Float64Array.from({ length: c }, () => normal(er) * 1.5));
  for (let i = 0; i < rows; i++) y[i] = spec.task === 'binary' ? higgsRow(r, x, i * spec.cols) : houseRow(r, x, i * spec.cols, effects);
  return { x, y };
}

/** Writes <name>.{train,test}.{x.f32,y.f64} and <name>.meta.json unless present; returns the base path. */
export function ensureGbmData(name: string): string {
  const spec = sets[name];
  if (!spec) throw new Error(`unknown set ${name}`);
  mkdirSync(GBM_DIR, { recursive: true });
  const base = join(GBM_DIR, name);
  if (!existsSync(`${base}.meta.json`)) {
    for (const [part, rows, seed] of [
      ['train', spec.train, 1],
      ['test', spec.test, 2],
    ] as const) {
      const { x, y } = generate(name, rows, seed + (name.startsWith('house') ? 100 : 0));
      writeFileSync(`${base}.${part}.x.f32`, new Uint8Array(x.buffer));
      writeFileSync(`${base}.${part}.y.f64`, new Uint8Array(y.buffer));
    }
    writeFileSync(
      `${base}.meta.json`,
      JSON.stringify({ name, train: spec.train, test: spec.test, cols: spec.cols, categorical: spec.categorical, task: spec.task }),
    );
  }
  return base;
}

export function loadGbmPart(
  base: string,
  part: 'train' | 'test',
): { x: Float32Array; y: Float64Array; rows: number; cols: number; categorical: number[]; task: string } {
  const meta = JSON.parse(readFileSync(`${base}.meta.json`, 'utf8')) as { train: number; test: number; cols: number; categorical: number[]; task: string };
  const xb = readFileSync(`${base}.${part}.x.f32`);
  const yb = readFileSync(`${base}.${part}.y.f64`);
  const x = new Float32Array(xb.buffer, xb.byteOffset, xb.byteLength / 4);
  const y = new Float64Array(yb.buffer.slice(yb.byteOffset, yb.byteOffset + yb.byteLength));
  return { x: x.byteOffset % 4 === 0 ? x : Float32Array.from(x), y, rows: meta[part], cols: meta.cols, categorical: meta.categorical, task: meta.task };
}
