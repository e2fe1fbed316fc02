import { randomBytes } from 'node:crypto';
import { open, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FaceClassifier } from '@aiffel/face-embed';
import type { FaceResult } from '../engine/types.js';

/** Which frozen features the heads read: dlib's 128-d identity descriptor or the age / gender net's pooled features. */
export type Backbone = 'descriptor' | 'appearance';

/**
 * How the group is decided before scoring: a trained gate classifier, the gender of the age /
 * gender net that ships with the weights, or no gate (one head for every face).
 */
export type GateKind = 'trained' | 'gender-net' | 'none';

/** The key of the single head of a model without groups. */
export const ALL = '*';

export interface GroupResult {
  /** The group shown: the gate's choice, or (without a gate) the gender the shipped net estimates. */
  label: string;
  probability: number;
  source: GateKind;
  /** The head that scores the face: the group's own, or ALL for a model without a gate. */
  head: string;
}

export interface ScoreResult {
  /** 1-based position of the label among the group's levels. */
  level: number;
  label: string;
  probability: number;
  probabilities: { label: string; probability: number }[];
}

const FORMAT = 'aiffel-face-score-model';
const MAX_MODEL_BYTES = 64 * 2 ** 20;

/**
 * The face-scoring model: a gate, then one head per group over frozen face features, as the
 * exercise built it (a gender gate, then that gender's own 5-level scorer).
 */
export class ScoreModel {
  constructor(
    readonly backbone: Backbone,
    readonly gateKind: GateKind,
    readonly gate: FaceClassifier | null,
    readonly heads: ReadonlyMap<string, FaceClassifier>,
    readonly description: string,
    readonly demo: boolean,
    readonly report: Record<string, unknown> = {},
  ) {
    if (backbone !== 'descriptor' && backbone !== 'appearance')
      throw new RangeError(`backbone must be 'descriptor' or 'appearance', got ${JSON.stringify(backbone)}`);
    if ((gateKind === 'trained') !== (gate !== null)) throw new RangeError(`gate: a '${gateKind}' gate ${gate ? 'takes no' : 'needs a'} classifier`);
    const groups = gateKind === 'trained' ? (gate as FaceClassifier).classes : gateKind === 'gender-net' ? ['female', 'male'] : [ALL];
    for (const g of groups) if (!heads.has(g)) throw new RangeError(`heads: no head for group ${JSON.stringify(g)} (groups: ${groups.join(', ')})`);
  }

  /** The groups, in order. */
  get groups(): string[] {
    return [...this.heads.keys()].sort();
  }

  features(face: FaceResult): Float32Array {
    return this.backbone === 'descriptor' ? face.descriptor : face.appearance;
  }

  group(face: FaceResult): GroupResult {
    if (this.gateKind === 'none') return { label: face.gender, probability: face.genderProbability, source: 'none', head: ALL };
    if (this.gateKind === 'gender-net') return { label: face.gender, probability: face.genderProbability, source: 'gender-net', head: face.gender };
    const gate = this.gate as FaceClassifier;
    const p = gate.predictProba([this.features(face)])[0] as Float64Array;
    const i = argmax(p);
    const label = gate.classes[i] as string;
    return { label, probability: p[i] as number, source: 'trained', head: label };
  }

  score(face: FaceResult, headKey: string): ScoreResult {
    const head = this.heads.get(headKey);
    if (head === undefined) throw new RangeError(`group ${JSON.stringify(headKey)} has no head`);
    const p = head.predictProba([this.features(face)])[0] as Float64Array;
    const i = argmax(p);
    return {
      level: i + 1,
      label: head.classes[i] as string,
      probability: p[i] as number,
      probabilities: head.classes.map((label, k) => ({ label, probability: p[k] as number })),
    };
  }

  predict(face: FaceResult): { group: GroupResult; score: ScoreResult } {
    const group = this.group(face);
    return { group, score: this.score(face, group.head) };
  }

  toJSON(): Record<string, unknown> {
    return {
      format: FORMAT,
      version: 1,
      backbone: this.backbone,
      gateKind: this.gateKind,
      gate: this.gate?.toJSON() ?? null,
      heads: Object.fromEntries([...this.heads].map(([k, v]) => [k, v.toJSON()])),
      description: this.description,
      demo: this.demo,
      report: this.report,
    };
  }

  static fromJSON(json: unknown): ScoreModel {
    const j = json as Record<string, unknown> | null;
    if (j === null || typeof j !== 'object' || j.format !== FORMAT)
      throw new RangeError(`model.json format must be '${FORMAT}', got ${JSON.stringify(j?.format)}`);
    if (j.version !== 1) throw new RangeError(`model.json version must be 1, got ${JSON.stringify(j.version)}`);
    const gateKind = j.gateKind as GateKind;
    if (!['trained', 'gender-net', 'none'].includes(gateKind))
      throw new RangeError(`model.json gateKind must be trained, gender-net or none, got ${JSON.stringify(gateKind)}`);
    const heads = j.heads as Record<string, unknown> | null;
    if (heads === null || typeof heads !== 'object' || Array.isArray(heads)) throw new RangeError('model.json heads must be an object');
    // Own keys only: a hostile "__proto__" key must not reach a prototype.
    const map = new Map<string, FaceClassifier>();
    for (const key of Object.keys(heads)) map.set(key, FaceClassifier.fromJSON(heads[key]));
    if (typeof j.description !== 'string' || j.description.length > 2000)
      throw new RangeError('model.json description must be a string of at most 2000 characters');
    const report = j.report !== null && typeof j.report === 'object' && !Array.isArray(j.report) ? (j.report as Record<string, unknown>) : {};
    return new ScoreModel(
      j.backbone as Backbone,
      gateKind,
      j.gate == null ? null : FaceClassifier.fromJSON(j.gate),
      map,
      j.description,
      j.demo === true,
      report,
    );
  }

  /** Writes `dir/model.json` through a uniquely named temporary file, so the old model survives a failed save. */
  async save(dir: string): Promise<void> {
    const path = join(dir, 'model.json');
    const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      await writeFile(tmp, JSON.stringify(this.toJSON()));
      await rename(tmp, path);
    } catch (e) {
      await rm(tmp, { force: true });
      throw e;
    }
  }

  static async load(dir: string): Promise<ScoreModel> {
    const path = join(dir, 'model.json');
    let text: string;
    try {
      const fh = await open(path, 'r');
      try {
        const { size } = await fh.stat();
        if (size > MAX_MODEL_BYTES) throw new RangeError(`${path} is ${size} bytes; a model file is at most ${MAX_MODEL_BYTES}`);
        text = await fh.readFile('utf8');
      } finally {
        await fh.close();
      }
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT')
        throw new Error(`--model: ${path} not found (train one with \`face-scoring train --data DIR --out ${dir}\`)`);
      throw e;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      throw new Error(`--model: ${path} is not valid JSON (${(e as Error).message})`);
    }
    return ScoreModel.fromJSON(json);
  }
}

export function argmax(p: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < p.length; i++) if ((p[i] as number) > (p[best] as number)) best = i;
  return best;
}
