import { HierarchicalClassifier } from '@aiffel/core';
import { rangeError, typeError } from '@aiffel/runtime';
import { FaceClassifier } from './face-classifier.js';

export interface TwoStagePrediction {
  /** What the gate chose (e.g. the gender). */
  group: string;
  groupProbability: number;
  /** What that group's classifier chose. */
  label: string;
  probability: number;
}

/**
 * The face-scoring app's pipeline: a gate classifier (e.g. gender) picks which per-group
 * classifier scores the face. Every gate class needs its own classifier.
 */
export class TwoStageClassifier {
  constructor(
    readonly gate: FaceClassifier,
    readonly scorers: Record<string, FaceClassifier>,
  ) {
    if (!(gate instanceof FaceClassifier)) throw typeError('gate', 'a FaceClassifier', gate);
    if (gate.classes.length === 0) throw new Error('gate: fit the gate classifier first');
    for (const c of gate.classes) {
      if (!(scorers?.[c] instanceof FaceClassifier)) throw rangeError(`scorers.${c}`, 'a FaceClassifier for every gate class', scorers?.[c]);
    }
  }

  /** The gate's argmax group, then that group's classifier alone (core's HierarchicalClassifier in 'hard' mode). */
  predict(x: ArrayLike<number>[]): TwoStagePrediction[] {
    return HierarchicalClassifier.fromFitted<ArrayLike<number>[], string>(this.gate, this.scorers, 'hard')
      .predictDetailed(x)
      .map((p) => ({ group: p.group, groupProbability: p.groupProbability, label: p.label, probability: p.probability / p.groupProbability }));
  }

  toJSON(): Record<string, unknown> {
    return {
      format: 'aiffel-two-stage-classifier',
      version: 1,
      gate: this.gate.toJSON(),
      scorers: Object.fromEntries(Object.entries(this.scorers).map(([k, v]) => [k, v.toJSON()])),
    };
  }

  static fromJSON(json: unknown): TwoStageClassifier {
    const j = json as Record<string, unknown> | null;
    if (j === null || typeof j !== 'object' || j.format !== 'aiffel-two-stage-classifier')
      throw rangeError('two-stage JSON format', "'aiffel-two-stage-classifier'", j?.format);
    const scorers = j.scorers as Record<string, unknown> | null;
    if (scorers === null || typeof scorers !== 'object') throw rangeError('two-stage JSON scorers', 'an object', scorers);
    // Own keys only: a hostile "__proto__" key must not reach the prototype.
    const out: Record<string, FaceClassifier> = Object.create(null);
    for (const key of Object.keys(scorers)) out[key] = FaceClassifier.fromJSON(scorers[key]);
    return new TwoStageClassifier(FaceClassifier.fromJSON(j.gate), out);
  }
}
