import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCsv } from '@aiffel/gbm-ensemble';
import { Rng } from '@aiffel/runtime';

export type TaskKind = 'regression' | 'binary' | 'multiclass';

/** One lesson's table: features, target (a value, or a class index into `classes`), optional groups for a split by person. */
export interface Table {
  kind: TaskKind;
  title: string;
  source: string;
  featureNames: string[];
  X: number[][];
  y: number[];
  classes?: string[];
  /** Rows of one group (a WISDM user) stay on one side of the split. */
  groups?: number[];
  /** What the target is, as printed. */
  target: string;
}

function columnIndex(header: string[], name: string, file: string): number {
  const i = header.indexOf(name);
  if (i < 0) throw new Error(`--data: ${file} has no column ${JSON.stringify(name)}`);
  return i;
}

function number(v: string | undefined, file: string, line: number, column: string): number {
  const x = Number(v);
  if (v === undefined || v.trim() === '' || !Number.isFinite(x))
    throw new Error(`--data: ${file} line ${line + 2}: ${column} is not a number (${JSON.stringify(v)})`);
  return x;
}

const HOUSE_FEATURES = [
  'bedrooms',
  'bathrooms',
  'sqft_living',
  'sqft_lot',
  'floors',
  'waterfront',
  'view',
  'condition',
  'grade',
  'sqft_above',
  'sqft_basement',
  'yr_built',
  'yr_renovated',
  'lat',
  'long',
  'sqft_living15',
  'sqft_lot15',
];

/** King County house sales: log(1 + price) from the numeric columns and the sale year and month. */
export function houses(file: string): Table {
  const { header, rows } = parseCsv(readFileSync(file, 'utf8'));
  const at = HOUSE_FEATURES.map((c) => columnIndex(header, c, file));
  const price = columnIndex(header, 'price', file);
  const date = columnIndex(header, 'date', file);
  const X = rows.map((r, i) => {
    const d = r[date] ?? '';
    return [...at.map((c, k) => number(r[c], file, i, HOUSE_FEATURES[k] as string)), Number(d.slice(0, 4)) + (Number(d.slice(4, 6)) - 1) / 12];
  });
  return {
    kind: 'regression',
    title: 'house prices (regression)',
    source: file,
    featureNames: [...HOUSE_FEATURES, 'sale_year'],
    X,
    y: rows.map((r, i) => Math.log1p(number(r[price], file, i, 'price'))),
    target: 'log(1 + price)',
  };
}

const POKEMON_STATS = ['Total', 'HP', 'Attack', 'Defense', 'Sp. Atk', 'Sp. Def', 'Speed', 'Generation'];

/** Pokemon: Legendary or not from the base stats, the generation and a one-hot primary type. */
export function pokemon(file: string): Table {
  const { header, rows } = parseCsv(readFileSync(file, 'utf8'));
  const at = POKEMON_STATS.map((c) => columnIndex(header, c, file));
  const type1 = columnIndex(header, 'Type 1', file);
  const legendary = columnIndex(header, 'Legendary', file);
  const types = [...new Set(rows.map((r) => r[type1] ?? ''))].sort();
  const X = rows.map((r, i) => [...at.map((c, k) => number(r[c], file, i, POKEMON_STATS[k] as string)), ...types.map((t) => (r[type1] === t ? 1 : 0))]);
  const y = rows.map((r, i) => {
    const v = r[legendary];
    if (v !== 'True' && v !== 'False') throw new Error(`--data: ${file} line ${i + 2}: Legendary must be True or False, got ${JSON.stringify(v)}`);
    return v === 'True' ? 1 : 0;
  });
  return {
    kind: 'binary',
    title: 'Pokemon legendary (binary)',
    source: file,
    featureNames: [...POKEMON_STATS, ...types.map((t) => `type_${t}`)],
    X,
    y,
    classes: ['not legendary', 'legendary'],
    target: 'Legendary',
  };
}

/** WISDM v1.1's 43 accelerometer features per 10 s window, 6 activities, 36 users; '?' kept as NaN (imputed after the split). */
export function wisdm(file: string): Table {
  const text = readFileSync(file, 'utf8');
  const lines = text.split(/\r?\n/);
  const names = lines.filter((l) => /^@attribute/i.test(l)).map((l) => (l.split(/\s+/)[1] ?? '').replace(/"/g, ''));
  const start = lines.findIndex((l) => /^@data/i.test(l));
  if (start < 0 || names.length < 3) throw new Error(`--data: ${file} is not a WISDM ARFF file (no @attribute / @data)`);
  const classIdx = names.length - 1;
  const rows = lines.slice(start + 1).filter((l) => l.trim() !== '' && !l.startsWith('%'));
  const feature = names.map((_, i) => i).filter((i) => i > 1 && i < classIdx);
  const labels: string[] = [];
  const X: number[][] = [];
  const groups: number[] = [];
  rows.forEach((l, i) => {
    const f = l.split(',');
    if (f.length !== names.length) throw new Error(`--data: ${file} data row ${i + 1} has ${f.length} fields, expected ${names.length}`);
    X.push(feature.map((c) => (f[c] === '?' ? Number.NaN : Number(f[c]))));
    groups.push(Number(f[1]));
    labels.push((f[classIdx] ?? '').trim());
  });
  const classes = [...new Set(labels)].sort();
  return {
    kind: 'multiclass',
    title: 'WISDM activities (multiclass)',
    source: file,
    featureNames: feature.map((c) => names[c] as string),
    X,
    y: labels.map((l) => classes.indexOf(l)),
    classes,
    groups,
    target: 'activity',
  };
}

/** The three real tables from ../shared/data (or a folder laid out like it). */
export function realTables(root: string): Table[] {
  const files = {
    regression: join(root, 'house-prices', 'kc_house_data.csv'),
    binary: join(root, 'pokemon', 'Pokemon.csv'),
    multiclass: join(root, 'har', 'wisdm-v1.1-transformed', 'WISDM_ar_v1.1_transformed.arff'),
  };
  for (const f of Object.values(files))
    if (!existsSync(f)) throw new Error(`--data: ${f} not found (expected house-prices/, pokemon/ and har/wisdm-v1.1-transformed/ under ${root})`);
  return [houses(files.regression), pokemon(files.binary), wisdm(files.multiclass)];
}

/**
 * Built-in SYNTHETIC tables for a fresh clone (no ../shared): a smooth non-linear regression, an
 * imbalanced binary task and a 4-class task, each from a seeded generator.
 */
export function syntheticTables(seed = 0): Table[] {
  const rng = new Rng(seed);
  const n = 2000;
  const reg: number[][] = [];
  const regY: number[] = [];
  const bin: number[][] = [];
  const binY: number[] = [];
  const multi: number[][] = [];
  const multiY: number[] = [];
  for (let i = 0; i < n; i++) {
    const r = Array.from({ length: 8 }, () => rng.normal());
    reg.push(r);
    regY.push(Math.sin(r[0] as number) + 0.5 * (r[1] as number) ** 2 - (r[2] as number) * (r[3] as number) + 0.1 * rng.normal());
    bin.push(r.map((v) => v + 0.1 * rng.normal()));
    binY.push((r[0] as number) ** 2 + (r[1] as number) ** 2 > 3 ? 1 : 0);
    const c = i % 4;
    multi.push(r.map((v, k) => v * 0.7 + (k === c ? 1.5 : 0)));
    multiY.push(c);
  }
  const names = Array.from({ length: 8 }, (_, k) => `x${k}`);
  return [
    { kind: 'regression', title: 'SYNTHETIC regression', source: 'built-in', featureNames: names, X: reg, y: regY, target: 'sin(x0) + x1²/2 - x2·x3 + noise' },
    {
      kind: 'binary',
      title: 'SYNTHETIC binary (imbalanced)',
      source: 'built-in',
      featureNames: names,
      X: bin,
      y: binY,
      classes: ['inside', 'outside'],
      target: 'x0² + x1² > 3',
    },
    {
      kind: 'multiclass',
      title: 'SYNTHETIC 4 classes',
      source: 'built-in',
      featureNames: names,
      X: multi,
      y: multiY,
      classes: ['a', 'b', 'c', 'd'],
      target: 'which coordinate is raised',
    },
  ];
}
