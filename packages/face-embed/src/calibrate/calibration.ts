import { rangeError } from '@aiffel/runtime';
import { checkPairs, equalErrorRate, type LabelledPair, rocCurve, thresholdAtFar } from './roc.js';

/** What a calibration was computed from and what it found. */
export interface CalibrationJSON {
  format: 'aiffel-face-calibration';
  version: 1;
  metric: 'l2' | 'cosine';
  /** p(same | d) = 1 / (1 + exp(slope * (d - midpoint))). */
  slope: number;
  midpoint: number;
  eer: number;
  eerThreshold: number;
  auc: number;
  /** Verification accuracy at `eerThreshold` over the pairs. */
  accuracy: number;
  samePairs: number;
  differentPairs: number;
  /** Free text: where the pairs came from. */
  source: string;
}

/**
 * Turns distances into decisions and probabilities: the equal-error threshold, thresholds at a
 * chosen false-accept rate, and a logistic (Platt) map from distance to same-person probability.
 */
export class Calibration {
  private constructor(private readonly json: CalibrationJSON) {}

  /** Fits a calibration to labelled pairs (at least one same and one different pair). */
  static fit(pairs: LabelledPair[], options: { metric?: 'l2' | 'cosine'; source?: string } = {}): Calibration {
    const { same, different } = checkPairs(pairs);
    const roc = rocCurve(pairs);
    const { eer, threshold } = equalErrorRate(roc);
    const correct = pairs.filter((p) => p.distance <= threshold === p.same).length;
    const { slope, midpoint } = plattFit(pairs, same, different, threshold);
    return new Calibration({
      format: 'aiffel-face-calibration',
      version: 1,
      metric: options.metric ?? 'l2',
      slope,
      midpoint,
      eer,
      eerThreshold: threshold,
      auc: roc.auc,
      accuracy: correct / pairs.length,
      samePairs: same,
      differentPairs: different,
      source: options.source ?? '',
    });
  }

  static fromJSON(json: unknown): Calibration {
    const j = json as Partial<CalibrationJSON> | null;
    if (j === null || typeof j !== 'object' || j.format !== 'aiffel-face-calibration')
      throw rangeError('calibration', "an object with format 'aiffel-face-calibration'", json);
    if (j.version !== 1) throw rangeError('calibration.version', '1', j.version);
    for (const key of ['slope', 'midpoint', 'eer', 'eerThreshold', 'auc', 'accuracy', 'samePairs', 'differentPairs'] as const) {
      if (typeof j[key] !== 'number' || !Number.isFinite(j[key])) throw rangeError(`calibration.${key}`, 'a finite number', j[key]);
    }
    if (j.metric !== 'l2' && j.metric !== 'cosine') throw rangeError('calibration.metric', "'l2' or 'cosine'", j.metric);
    return new Calibration({ ...(j as CalibrationJSON), source: String(j.source ?? '') });
  }

  toJSON(): CalibrationJSON {
    return { ...this.json };
  }

  get metric(): 'l2' | 'cosine' {
    return this.json.metric;
  }

  /** The equal-error-rate threshold: distances at or below it mean "same person". */
  get threshold(): number {
    return this.json.eerThreshold;
  }

  get eer(): number {
    return this.json.eer;
  }

  /** Calibrated probability that two faces at `distance` are the same person. */
  probability(distance: number): number {
    if (typeof distance !== 'number' || Number.isNaN(distance)) throw rangeError('distance', 'a number', distance);
    return 1 / (1 + Math.exp(this.json.slope * (distance - this.json.midpoint)));
  }

  /** The threshold giving at most `far` false accepts on the given pairs (re-computed from them). */
  static thresholdAtFar(pairs: LabelledPair[], far: number): { threshold: number; tpr: number; far: number } {
    return thresholdAtFar(rocCurve(pairs), far);
  }
}

/**
 * Platt scaling: logistic regression of "same" on distance, with Platt's smoothed targets
 * (N+ + 1) / (N+ + 2) and 1 / (N- + 2) so perfectly separated pairs still give a finite slope.
 * Newton's method on (slope, midpoint) through a = -slope, b = slope * midpoint.
 */
function plattFit(pairs: LabelledPair[], same: number, different: number, start: number): { slope: number; midpoint: number } {
  const hi = (same + 1) / (same + 2);
  const lo = 1 / (different + 2);
  let a = -10;
  let b = 10 * start;
  for (let iter = 0; iter < 100; iter++) {
    let g0 = 0;
    let g1 = 0;
    let h00 = 1e-9;
    let h01 = 0;
    let h11 = 1e-9;
    for (const p of pairs) {
      const z = a * p.distance + b;
      const q = 1 / (1 + Math.exp(-z));
      const t = p.same ? hi : lo;
      const w = q * (1 - q);
      g0 += (q - t) * p.distance;
      g1 += q - t;
      h00 += w * p.distance * p.distance;
      h01 += w * p.distance;
      h11 += w;
    }
    const det = h00 * h11 - h01 * h01;
    if (det <= 0) break;
    const da = (h11 * g0 - h01 * g1) / det;
    const db = (h00 * g1 - h01 * g0) / det;
    a -= da;
    b -= db;
    if (Math.abs(da) + Math.abs(db) < 1e-10) break;
  }
  const slope = -a;
  return { slope, midpoint: slope === 0 ? start : b / slope };
}
