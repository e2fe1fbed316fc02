import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { harFeatures, harSignals, inertialWindows, Rng, segmentWindows, type Triaxial } from '@aiffel/algos';

/** UCI HAR's six activities (HAPT ids 1-6); ids 7-12 are the postural transitions. */
export const ACTIVITIES = ['WALKING', 'WALKING_UPSTAIRS', 'WALKING_DOWNSTAIRS', 'SITTING', 'STANDING', 'LAYING'] as const;
export const TRANSITIONS = ['STAND_TO_SIT', 'SIT_TO_STAND', 'SIT_TO_LIE', 'LIE_TO_SIT', 'STAND_TO_LIE', 'LIE_TO_STAND'] as const;
export const LABELS = [...ACTIVITIES, ...TRANSITIONS];
/** UCI HAR v1's test volunteers: no person is in both train and test. */
export const TEST_SUBJECTS = new Set([2, 4, 9, 10, 12, 13, 18, 20, 24]);
export const STATIC = new Set(['SITTING', 'STANDING', 'LAYING']);

/** Every labelled 128-sample window: its label, person, 561 features and 9 raw channels. */
export interface WindowSet {
  source: string;
  labels: string[];
  subjects: number[];
  /** Row-major windows x 561. */
  features: { data: Float64Array; rows: number; cols: number; names: readonly string[] };
  /** windows x 128 x 9 (UCI's body_acc, body_gyro, total_acc). */
  raw: { data: Float32Array; shape: [number, number, number] };
  /** One example recording's signals per activity, for the EDA plot. */
  examples: Map<string, { acc: Triaxial; gyro: Triaxial }>;
  seconds: { read: number; signals: number; features: number };
}

function readAxes(file: string): [Float64Array, Float64Array, Float64Array] {
  const text = gunzipSync(readFileSync(file)).toString('latin1');
  const rows = text.trimEnd().split('\n');
  const axes: [Float64Array, Float64Array, Float64Array] = [new Float64Array(rows.length), new Float64Array(rows.length), new Float64Array(rows.length)];
  rows.forEach((r, i) => {
    const p = r.split(' ');
    if (p.length !== 3) throw new Error(`${file}: row ${i + 1} must be 3 numbers, got "${r.slice(0, 60)}"`);
    for (let a = 0; a < 3; a++) (axes[a] as Float64Array)[i] = Number(p[a]);
  });
  return axes;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** One session: raw 50 Hz acc and gyro (3 axes each) and its labelled segments. */
export interface Recording {
  experiment: number;
  user: number;
  acc: [Float64Array, Float64Array, Float64Array];
  gyro: [Float64Array, Float64Array, Float64Array];
  segments: { start: number; end: number; label: string }[];
}

/** Windows, features and raw channels from a list of recordings (labels already names). */
export function build(source: string, recordings: Recording[], keep: (label: string) => boolean): WindowSet {
  const labels: string[] = [];
  const subjects: number[] = [];
  const featureParts: Float64Array[] = [];
  const rawParts: Float32Array[] = [];
  const examples = new Map<string, { acc: Triaxial; gyro: Triaxial }>();
  let names: readonly string[] = [];
  const seconds = { read: 0, signals: 0, features: 0 };
  for (const r of recordings) {
    let t = performance.now();
    const s = harSignals(r.acc, r.gyro);
    seconds.signals += (performance.now() - t) / 1000;
    const windows = segmentWindows(r.segments.filter((g) => keep(g.label)));
    if (windows.length === 0) continue;
    t = performance.now();
    const f = harFeatures(s, windows);
    seconds.features += (performance.now() - t) / 1000;
    names = f.names;
    featureParts.push(f.data);
    rawParts.push(inertialWindows(s, windows).data);
    for (const w of windows) {
      labels.push(w.label);
      subjects.push(r.user);
    }
    for (const g of r.segments) {
      if (!examples.has(g.label) && g.end - g.start >= 256 && ACTIVITIES.includes(g.label as (typeof ACTIVITIES)[number])) {
        const cut = (a: Float64Array[]) => a.map((x) => x.slice(g.start, g.start + 256)) as unknown as Triaxial;
        examples.set(g.label, { acc: cut(r.acc), gyro: cut(r.gyro) });
      }
    }
  }
  const rows = labels.length;
  const data = new Float64Array(rows * 561);
  let at = 0;
  for (const p of featureParts) {
    data.set(p, at);
    at += p.length;
  }
  const raw = new Float32Array(rows * 128 * 9);
  at = 0;
  for (const p of rawParts) {
    raw.set(p, at);
    at += p.length;
  }
  return { source, labels, subjects, features: { data, rows, cols: 561, names }, raw: { data: raw, shape: [rows, 128, 9] }, examples, seconds };
}

/** The 61 UCI HAPT raw sessions in `dir` (uci-hapt-raw), with their labelled segments. */
export function readHapt(dir: string): Recording[] {
  const labelsFile = join(dir, 'RawData', 'labels.txt');
  if (!existsSync(labelsFile)) throw new Error(`${labelsFile} not found (expected the UCI HAPT raw data: uci-hapt-raw/RawData/labels.txt)`);
  const rows = readFileSync(labelsFile, 'utf8')
    .trim()
    .split('\n')
    .map((l, i) => {
      const p = l.trim().split(/\s+/).map(Number);
      if (p.length !== 5 || !p.every(Number.isInteger)) throw new Error(`${labelsFile}: line ${i + 1} must be 5 integers, got "${l}"`);
      return p as [number, number, number, number, number];
    });
  const sessions = [...new Map(rows.map((r) => [r[0], r[1]])).entries()];
  return sessions.map(([experiment, user]) => ({
    experiment,
    user,
    acc: readAxes(join(dir, 'RawData', `acc_exp${pad(experiment)}_user${pad(user)}.txt.gz`)),
    gyro: readAxes(join(dir, 'RawData', `gyro_exp${pad(experiment)}_user${pad(user)}.txt.gz`)),
    // labels.txt rows are 1-based inclusive; windows want [start, end).
    segments: rows.filter((r) => r[0] === experiment).map((r) => ({ start: r[3] - 1, end: r[4], label: LABELS[r[2] - 1] as string })),
  }));
}

/** Windows, 561 features and raw channels of the UCI HAPT recordings in `dir`. */
export function loadHapt(dir: string, keep: (label: string) => boolean = () => true): WindowSet {
  const t0 = performance.now();
  const recordings = readHapt(dir);
  const read = (performance.now() - t0) / 1000;
  const set = build(`UCI HAPT raw (${dir})`, recordings, keep);
  set.seconds.read = read;
  return set;
}

/**
 * A small SYNTHETIC stand-in with the same shape (50 Hz acc + gyro, 30 people, 12 labels) for runs
 * without ../shared: walking kinds differ in cadence and vertical swing, postures in where gravity
 * points. Labelled as synthetic wherever it is used.
 */
export function syntheticHapt(seed = 0, perPerson = 2): WindowSet {
  const rng = new Rng(seed);
  const recordings: Recording[] = [];
  const gravityOf: Record<string, [number, number, number]> = { SITTING: [0.8, 0.2, 0.55], STANDING: [1, 0, 0.1], LAYING: [0.1, 0.3, -0.95] };
  for (let user = 1; user <= 30; user++) {
    const segments: Recording['segments'] = [];
    const acc: number[][] = [[], [], []];
    const gyro: number[][] = [[], [], []];
    const personal = rng.normal() * 0.05;
    for (let rep = 0; rep < perPerson; rep++) {
      for (const label of LABELS) {
        const len = label.includes('_TO_') ? 150 : 450;
        const start = acc[0]?.length as number;
        const cadence = label === 'WALKING' ? 1.9 : label === 'WALKING_UPSTAIRS' ? 1.5 : label === 'WALKING_DOWNSTAIRS' ? 2.3 : 0;
        const swing = label === 'WALKING_UPSTAIRS' ? 0.35 : label === 'WALKING_DOWNSTAIRS' ? 0.55 : 0.25;
        const g0 = gravityOf[label] ?? gravityOf[label.split('_TO_')[0] === 'LIE' ? 'LAYING' : 'STANDING'] ?? [1, 0, 0];
        const g1 = gravityOf[label] ?? gravityOf[label.endsWith('LIE') ? 'LAYING' : label.endsWith('SIT') ? 'SITTING' : 'STANDING'] ?? [1, 0, 0];
        for (let t = 0; t < len; t++) {
          const mix = label.includes('_TO_') ? t / len : 0;
          const phase = (2 * Math.PI * cadence * t) / 50;
          for (let a = 0; a < 3; a++) {
            const g = (g0[a] as number) * (1 - mix) + (g1[a] as number) * mix;
            const body = cadence > 0 ? swing * (a === 0 ? 1 : 0.4) * Math.sin(phase + a) : 0;
            (acc[a] as number[]).push(g + body + personal + 0.02 * rng.normal());
            (gyro[a] as number[]).push((cadence > 0 ? 0.6 * Math.cos(phase + a) : 0) + (label.includes('_TO_') ? 0.8 : 0) + 0.02 * rng.normal());
          }
        }
        segments.push({ start, end: start + len, label });
        // An unlabelled pause between activities, as in the real recordings.
        for (let t = 0; t < 40; t++)
          for (let a = 0; a < 3; a++) {
            (acc[a] as number[]).push((g1[a] as number) + 0.02 * rng.normal());
            (gyro[a] as number[]).push(0.02 * rng.normal());
          }
      }
    }
    const f = (v: number[][]) => v.map((x) => Float64Array.from(x)) as [Float64Array, Float64Array, Float64Array];
    recordings.push({ experiment: user, user, acc: f(acc), gyro: f(gyro), segments });
  }
  return build('built-in SYNTHETIC recordings (not real data)', recordings, () => true);
}
