import { rangeError } from '@aiffel/runtime';

/** One labelled pair: its distance and whether both faces are the same person. */
export interface LabelledPair {
  distance: number;
  same: boolean;
}

export interface RocCurve {
  /** Distance thresholds, ascending; a pair is accepted as "same" when distance <= threshold. */
  thresholds: Float64Array;
  /** True-accept rate (same pairs accepted) at each threshold. */
  tpr: Float64Array;
  /** False-accept rate (different pairs accepted) at each threshold. */
  far: Float64Array;
  /** Area under the curve (probability that a same pair is closer than a different pair). */
  auc: number;
}

export function checkPairs(pairs: LabelledPair[]): { same: number; different: number } {
  if (!Array.isArray(pairs) || pairs.length === 0) throw rangeError('pairs', 'a non-empty array of { distance, same }', pairs);
  let same = 0;
  pairs.forEach((p, i) => {
    // Distances (L2 or cosine) are never negative: a negative one is a score of some other kind,
    // and thresholds fitted to it would not mean what verify() assumes.
    if (typeof p?.distance !== 'number' || !Number.isFinite(p.distance) || p.distance < 0)
      throw rangeError(`pairs[${i}].distance`, 'a finite distance >= 0', p?.distance);
    if (typeof p.same !== 'boolean') throw rangeError(`pairs[${i}].same`, 'a boolean', p.same);
    if (p.same) same++;
  });
  const different = pairs.length - same;
  if (same === 0 || different === 0) throw rangeError('pairs', 'both same-person and different-person pairs', `${same} same and ${different} different`);
  return { same, different };
}

/** The ROC curve of "distance <= threshold means same person", one point per distinct distance. */
export function rocCurve(pairs: LabelledPair[]): RocCurve {
  const { same, different } = checkPairs(pairs);
  const sorted = [...pairs].sort((a, b) => a.distance - b.distance);
  const thresholds: number[] = [-Infinity];
  const tpr: number[] = [0];
  const far: number[] = [0];
  let tp = 0;
  let fp = 0;
  let auc = 0;
  for (let i = 0; i < sorted.length; ) {
    const d = (sorted[i] as LabelledPair).distance;
    const prevTp = tp;
    const prevFp = fp;
    for (; i < sorted.length && (sorted[i] as LabelledPair).distance === d; i++) (sorted[i] as LabelledPair).same ? tp++ : fp++;
    // Trapezoid: ties between same and different pairs count half.
    auc += ((fp - prevFp) / different) * ((tp + prevTp) / 2 / same);
    thresholds.push(d);
    tpr.push(tp / same);
    far.push(fp / different);
  }
  return { thresholds: Float64Array.from(thresholds), tpr: Float64Array.from(tpr), far: Float64Array.from(far), auc };
}

/**
 * The equal-error rate: where the false-accept rate equals the false-reject rate, linearly
 * interpolated between the two ROC points that bracket it, with the threshold there.
 */
export function equalErrorRate(roc: RocCurve): { eer: number; threshold: number } {
  const n = roc.thresholds.length;
  for (let i = 1; i < n; i++) {
    const frr = 1 - (roc.tpr[i] as number);
    const far = roc.far[i] as number;
    if (far >= frr) {
      const frr0 = 1 - (roc.tpr[i - 1] as number);
      const far0 = roc.far[i - 1] as number;
      // Interpolate g(t) = far - frr between the points (g0 < 0 <= g1).
      const g0 = far0 - frr0;
      const g1 = far - frr;
      const t = g1 === g0 ? 1 : -g0 / (g1 - g0);
      const t0 = Number.isFinite(roc.thresholds[i - 1] as number) ? (roc.thresholds[i - 1] as number) : (roc.thresholds[i] as number);
      return { eer: far0 + t * (far - far0), threshold: t0 + t * ((roc.thresholds[i] as number) - t0) };
    }
  }
  return { eer: 0, threshold: roc.thresholds[n - 1] as number };
}

/** The largest threshold whose false-accept rate is at most `far`. */
export function thresholdAtFar(roc: RocCurve, far: number): { threshold: number; tpr: number; far: number } {
  if (typeof far !== 'number' || !(far >= 0 && far <= 1)) throw rangeError('far', 'a number in [0, 1]', far);
  let best = 0;
  for (let i = 0; i < roc.thresholds.length; i++) if ((roc.far[i] as number) <= far) best = i;
  return { threshold: roc.thresholds[best] as number, tpr: roc.tpr[best] as number, far: roc.far[best] as number };
}
