import { type AugmentOptions, FaceClassifier, type FaceEmbedder } from '@aiffel/face-embed';
import { Rng } from '@aiffel/runtime';
import { type FaceResult, toFaceResult } from '../engine/types.js';
import type { TrainingPhoto } from './labelled-photos.js';
import { type HeldOutReport, heldOutReport } from './metrics.js';
import { ALL, type Backbone, type GateKind, ScoreModel } from './score-model.js';

/** The exercise's augmentation: rotation 20 degrees, horizontal flip, brightness 0.65-1.35, shear 0.15. */
export const EXERCISE_AUGMENT: Required<Omit<AugmentOptions, 'seed' | 'copies'>> = { rotation: 20, flip: true, brightness: 0.35, shear: 0.15 };

export interface TrainOptions {
  gateKind: GateKind;
  /** 'auto' trains on both and keeps the one with the better held-out accuracy (then macro F1). */
  backbone: Backbone | 'auto';
  /** Augmented copies per training photo. */
  copies: number;
  /** Share of each class's photos held out for the report (at least one when a class has two). */
  testShare: number;
  seed: number;
  description: string;
  demo: boolean;
  onProgress?: (done: number, total: number, what: string) => void;
}

interface Embedded {
  photo: TrainingPhoto;
  group: string;
  /** Plain features first, then the augmented copies, per backbone. */
  features: Record<Backbone, Float32Array[]>;
  face: FaceResult;
}

export interface TrainResult {
  model: ScoreModel;
  /** Held-out report of each backbone tried. */
  reports: Partial<Record<Backbone, HeldOutReport & { gateAccuracy: number | null }>>;
  skipped: { unit: string; reason: string }[];
  train: number;
  test: number;
}

const HEAD_OPTIONS = { hidden: 0, epochs: 300, learningRate: 0.01, l2: 1e-3, batchSize: 32, validationSplit: 0.2, patience: 30 };

/**
 * Transfer learning as the exercise did it: frozen face networks give the features, only small
 * softmax heads are trained (a gate, and one scorer per group), on augmented copies of few photos.
 * Augmented copies stay with their photo, so no copy of a test photo is ever trained on.
 */
export async function trainScoreModel(embedder: FaceEmbedder, photos: TrainingPhoto[], o: TrainOptions): Promise<TrainResult> {
  const embedded: Embedded[] = [];
  const skipped: TrainResult['skipped'] = [];
  const augment = { ...EXERCISE_AUGMENT, copies: o.copies };
  for (const [i, photo] of photos.entries()) {
    o.onProgress?.(i, photos.length, photo.unit);
    try {
      const largest = await embedder.embedLargest(photo.image);
      const f = largest.face;
      if (f === undefined) {
        skipped.push({ unit: photo.unit, reason: 'no face' });
        continue;
      }
      const seed = o.seed * 100_003 + i;
      const descriptor = (await embedder.embedAugmented(photo.image, { ...augment, seed }, { backbone: 'descriptor' })).descriptors;
      const appearance = (await embedder.embedAugmented(photo.image, { ...augment, seed }, { backbone: 'appearance' })).descriptors;
      const face = toFaceResult(f);
      const group = o.gateKind === 'trained' ? (photo.group as string) : o.gateKind === 'gender-net' ? face.gender : ALL;
      embedded.push({ photo, group, features: { descriptor, appearance }, face });
    } catch (e) {
      skipped.push({ unit: photo.unit, reason: (e as Error).message });
    }
  }
  o.onProgress?.(photos.length, photos.length, 'embedded');
  const { train, test } = splitByPhoto(embedded, o.testShare, o.seed);
  const backbones: Backbone[] = o.backbone === 'auto' ? ['descriptor', 'appearance'] : [o.backbone];
  const reports: TrainResult['reports'] = {};
  let best: { model: ScoreModel; accuracy: number; f1: number } | undefined;
  for (const backbone of backbones) {
    const model = await fitModel(train, backbone, o);
    const report = evaluate(model, test, o.gateKind);
    reports[backbone] = report;
    if (best === undefined || report.accuracy > best.accuracy || (report.accuracy === best.accuracy && report.macroF1 > best.f1))
      best = { model, accuracy: report.accuracy, f1: report.macroF1 };
  }
  const chosen = (best as { model: ScoreModel }).model;
  const summary = { chosen: chosen.backbone, train: train.length, test: test.length, skipped: skipped.length, reports };
  const model = new ScoreModel(chosen.backbone, chosen.gateKind, chosen.gate, chosen.heads, o.description, o.demo, summary);
  return { model, reports, skipped, train: train.length, test: test.length };
}

const classKey = (e: Embedded) => (e.group === ALL ? e.photo.level : `${e.group}/${e.photo.level}`);

function splitByPhoto(items: Embedded[], share: number, seed: number): { train: Embedded[]; test: Embedded[] } {
  const rng = new Rng(seed);
  const byClass = new Map<string, Embedded[]>();
  for (const e of items) byClass.set(classKey(e), [...(byClass.get(classKey(e)) ?? []), e]);
  const train: Embedded[] = [];
  const test: Embedded[] = [];
  for (const key of [...byClass.keys()].sort()) {
    const members = byClass.get(key) as Embedded[];
    const perm = rng.permutation(members.length);
    const take = members.length < 2 ? 0 : Math.min(members.length - 1, Math.max(1, Math.round(members.length * share)));
    perm.forEach((p, k) => {
      (k < take ? test : train).push(members[p] as Embedded);
    });
  }
  return { train, test };
}

async function fitHead(rows: Float32Array[], labels: string[], seed: number, what: string): Promise<FaceClassifier> {
  if (new Set(labels).size < 2) throw new Error(`${what} has photos of only one class (${labels[0]}); a head needs at least two`);
  return new FaceClassifier({ ...HEAD_OPTIONS, seed }).fit(rows, labels);
}

async function fitModel(train: Embedded[], backbone: Backbone, o: TrainOptions): Promise<ScoreModel> {
  const rows = (e: Embedded) => e.features[backbone];
  let gate: FaceClassifier | null = null;
  if (o.gateKind === 'trained') {
    gate = await fitHead(
      train.flatMap(rows),
      train.flatMap((e) => rows(e).map(() => e.group)),
      o.seed,
      'the gate',
    );
  }
  const heads = new Map<string, FaceClassifier>();
  const groups = o.gateKind === 'gender-net' ? ['female', 'male'] : [...new Set(train.map((e) => e.group))].sort();
  for (const g of groups) {
    const members = train.filter((e) => e.group === g);
    heads.set(
      g,
      await fitHead(
        members.flatMap(rows),
        members.flatMap((e) => rows(e).map(() => e.photo.level)),
        o.seed + 1,
        g === ALL ? 'the training set' : `group ${JSON.stringify(g)}`,
      ),
    );
  }
  return new ScoreModel(backbone, o.gateKind, gate, heads, o.description, o.demo);
}

/** The pipeline on the held-out photos: gate, then the chosen group's head; probabilities of every final class. */
function evaluate(model: ScoreModel, test: Embedded[], gateKind: GateKind): HeldOutReport & { gateAccuracy: number | null } {
  const labels = [...new Set([...model.heads].flatMap(([g, h]) => h.classes.map((c) => (g === ALL ? c : `${g}/${c}`))))].sort();
  const truth = test.map(classKey);
  let gateHits = 0;
  const probabilities = test.map((e) => {
    const p = new Map<string, number>(labels.map((l) => [l, 0]));
    const face = { ...e.face, descriptor: e.features.descriptor[0] as Float32Array, appearance: e.features.appearance[0] as Float32Array };
    const group = model.group(face);
    if (group.label === e.group) gateHits++;
    // p(group) x p(level | group) for every group the gate could choose, so the AUC sees the whole pipeline.
    const groupProbs: [string, number][] =
      gateKind === 'none'
        ? [[ALL, 1]]
        : gateKind === 'gender-net'
          ? [
              [face.gender, face.genderProbability],
              [face.gender === 'male' ? 'female' : 'male', 1 - face.genderProbability],
            ]
          : gateProbs(model, face);
    for (const [g, pg] of groupProbs) {
      const s = model.score(face, gateKind === 'none' ? ALL : g);
      for (const { label, probability } of s.probabilities) {
        const key = g === ALL ? label : `${g}/${label}`;
        p.set(key, (p.get(key) ?? 0) + pg * probability);
      }
    }
    return p;
  });
  return { ...heldOutReport(truth, probabilities, labels), gateAccuracy: gateKind === 'none' || test.length === 0 ? null : gateHits / test.length };
}

function gateProbs(model: ScoreModel, face: FaceResult): [string, number][] {
  const gate = model.gate as FaceClassifier;
  const p = gate.predictProba([model.features(face)])[0] as Float64Array;
  return gate.classes.map((c, i) => [c, p[i] as number]);
}
