import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fillGaps, harFeatures, harSignals, inertialWindows, type Triaxial } from '@aiffel/algos';
import type { ActivityTask } from './task.js';

/**
 * WISDM v1.1's transformed table: 43 features per 10 s window, 36 users, no raw signals. Missing
 * values ('?', the time-between-peaks columns) are filled by linear interpolation along each user's
 * windows in file order, as the exercise asks, and reported. Every fourth user is held out.
 */
export function loadWisdm(file: string): ActivityTask {
  if (!existsSync(file)) throw new Error(`${file} not found (expected WISDM_ar_v1.1_transformed.arff)`);
  const lines = readFileSync(file, 'utf8').split(/\r?\n/);
  const names = lines.filter((l) => /^@attribute/i.test(l)).map((l) => (l.match(/^@attribute\s+"?([^"\s{]+)"?/i) as RegExpMatchArray)[1] as string);
  const start = lines.findIndex((l) => /^@data/i.test(l));
  if (start < 0 || names[1] !== 'user' || names.at(-1) !== 'class')
    throw new Error(`${file}: not the WISDM transformed ARFF (no @data, or no user / class attributes)`);
  const featureNames = names.slice(2, -1);
  const rows = lines.slice(start + 1).filter((l) => l.trim().length > 0);
  const users: number[] = [];
  const labels: string[] = [];
  const columns = featureNames.map(() => new Float64Array(rows.length));
  rows.forEach((r, i) => {
    const p = r.split(',');
    if (p.length !== names.length) throw new Error(`${file}: data row ${i + 1} must have ${names.length} fields, got ${p.length}`);
    users.push(Number(p[1]));
    labels.push(p.at(-1) as string);
    featureNames.forEach((_, c) => {
      const v = p[c + 2] as string;
      (columns[c] as Float64Array)[i] = v === '?' ? Number.NaN : Number(v);
    });
  });
  const notes: string[] = [];
  for (const [c, col] of columns.entries()) {
    let filled = 0;
    for (const u of new Set(users)) {
      const idx = users.flatMap((x, i) => (x === u ? [i] : []));
      const series = idx.map((i) => col[i] as number);
      if (!series.some(Number.isNaN)) continue;
      if (series.every(Number.isNaN)) {
        idx.forEach((i) => {
          col[i] = 0;
        });
        filled += idx.length;
        continue;
      }
      const { values, report } = fillGaps(series);
      idx.forEach((i, k) => {
        col[i] = values[k] as number;
      });
      filled += report.filled;
    }
    if (filled > 0) notes.push(`${featureNames[c]}: ${filled} missing values filled by linear interpolation along each user's windows`);
  }
  const isTest = (u: number) => u % 4 === 0;
  const pick = (test: boolean) => {
    const idx = users.flatMap((u, i) => (isTest(u) === test ? [i] : []));
    const data = new Float64Array(idx.length * featureNames.length);
    idx.forEach((r, i) => {
      columns.forEach((col, c) => {
        data[i * featureNames.length + c] = col[r] as number;
      });
    });
    return { X: { data, rows: idx.length, cols: featureNames.length }, y: idx.map((i) => labels[i] as string), subjects: idx.map((i) => users[i] as number) };
  };
  const train = pick(false);
  const test = pick(true);
  return {
    source: `WISDM v1.1 transformed (${file})`,
    dataset: 'wisdm',
    featureNames,
    classes: ['Walking', 'Jogging', 'Upstairs', 'Downstairs', 'Sitting', 'Standing'],
    staticLabels: ['Sitting', 'Standing'],
    split: `users with id divisible by 4 held out (${[...new Set(test.subjects)].sort((a, b) => a - b).join(', ')})`,
    notes,
    Xtr: train.X,
    ytr: train.y,
    Xte: test.X,
    yte: test.y,
    trainSubjects: train.subjects,
    raw: undefined,
    rawMissing: 'the WISDM v1.1 raw signals are not in ../shared, only the transformed table',
  };
}

function readTs(file: string): { cases: number[][][]; labels: string[] } {
  const lines = readFileSync(file, 'utf8').split(/\r?\n/);
  const start = lines.findIndex((l) => /^@data/i.test(l.trim()));
  if (start < 0) throw new Error(`${file}: no @data line (not a UEA .ts file)`);
  const cases: number[][][] = [];
  const labels: string[] = [];
  lines.slice(start + 1).forEach((l, i) => {
    if (l.trim().length === 0) return;
    const dims = l.split(':');
    labels.push(dims.pop() as string);
    const channels = dims.map((d) => d.split(',').map(Number));
    if (channels.length !== 6 || channels.some((c) => c.length !== (channels[0] as number[]).length || c.some((v) => !Number.isFinite(v))))
      throw new Error(`${file}: case ${i + 1} must be 6 dimensions of equal length with finite values`);
    cases.push(channels);
  });
  return { cases, labels };
}

/**
 * UEA BasicMotions: 80 cases of a smartwatch's accelerometer and gyroscope, 10 s at 10 Hz, four
 * activities, the archive's own train / test halves. Each case is one window: the UCI HAR pipeline
 * runs at fs = 10 (noise low-pass 4 Hz, below the 5 Hz Nyquist), giving the same 561 features.
 */
export function loadBasicMotions(dir: string): ActivityTask {
  const part = (name: string) => {
    const file = join(dir, `BasicMotions_${name}.ts`);
    if (!existsSync(file)) throw new Error(`${file} not found (expected the UEA BasicMotions .ts files)`);
    const { cases, labels } = readTs(file);
    const feats: Float64Array[] = [];
    const raws: Float32Array[] = [];
    let names: readonly string[] = [];
    if (cases.length === 0) throw new Error(`${file}: no cases after @data`);
    const T = ((cases[0] as number[][])[0] as number[]).length;
    for (const c of cases) {
      const s = harSignals(c.slice(0, 3) as unknown as Triaxial, c.slice(3, 6) as unknown as Triaxial, { fs: 10, noiseCutoff: 4 });
      const f = harFeatures(s, [{ start: 0, end: T }]);
      names = f.names;
      feats.push(f.data);
      raws.push(inertialWindows(s, [{ start: 0, end: T }]).data);
    }
    const data = new Float64Array(cases.length * 561);
    feats.forEach((f, i) => {
      data.set(f, i * 561);
    });
    const raw = new Float32Array(cases.length * T * 9);
    raws.forEach((r, i) => {
      raw.set(r, i * T * 9);
    });
    return { X: { data, rows: cases.length, cols: 561 }, y: labels, names, raw: { data: raw, shape: [cases.length, T, 9] as [number, number, number] } };
  };
  const train = part('TRAIN');
  const test = part('TEST');
  return {
    source: `UEA BasicMotions (${dir})`,
    dataset: 'basicmotions',
    featureNames: train.names,
    classes: ['Standing', 'Walking', 'Running', 'Badminton'],
    staticLabels: ['Standing'],
    split: "the archive's TRAIN / TEST halves (40 cases each; people are not identified)",
    notes: [],
    Xtr: train.X,
    ytr: train.y,
    Xte: test.X,
    yte: test.y,
    trainSubjects: undefined,
    raw: { train: train.raw, test: test.raw },
    rawMissing: undefined,
  };
}
