import { describe, expect, it } from 'vitest';
import { Calibration, defaultCalibration, equalErrorRate, rocCurve, thresholdAtFar } from '../src/index.js';

/** Box-Muller normal samples from a fixed LCG, for repeatable synthetic distances. */
function normals(n: number, mean: number, std: number, seed: number): number[] {
  let s = seed;
  const u = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s + 0.5) / 4294967296;
  };
  return Array.from({ length: n }, () => mean + std * Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u()));
}

describe('ROC and calibration', () => {
  it('computes the ROC of a hand-made case (AUC with a tie counted half)', () => {
    const roc = rocCurve([
      { distance: 0.1, same: true },
      { distance: 0.4, same: true },
      { distance: 0.4, same: false },
      { distance: 0.8, same: false },
    ]);
    expect(Array.from(roc.thresholds)).toEqual([Number.NEGATIVE_INFINITY, 0.1, 0.4, 0.8]);
    expect(Array.from(roc.tpr)).toEqual([0, 0.5, 1, 1]);
    expect(Array.from(roc.far)).toEqual([0, 0, 0.5, 1]);
    expect(roc.auc).toBeCloseTo(0.875, 12);
    expect(thresholdAtFar(roc, 0)).toEqual({ threshold: 0.1, tpr: 0.5, far: 0 });
  });

  it('recovers the equal-error rate of two Gaussians (theory: Phi(-1) = 0.1587 at the midpoint)', () => {
    const same = normals(20000, 0.4, 0.1, 1).map((distance) => ({ distance, same: true }));
    const diff = normals(20000, 0.6, 0.1, 2).map((distance) => ({ distance, same: false }));
    const { eer, threshold } = equalErrorRate(rocCurve([...same, ...diff]));
    expect(eer).toBeCloseTo(0.1587, 2);
    expect(threshold).toBeCloseTo(0.5, 2);
    const cal = Calibration.fit([...same, ...diff]);
    // Equal variances: the log-odds are linear with slope (0.6 - 0.4) / 0.1^2 = 20, midpoint 0.5.
    expect(Math.abs(cal.toJSON().slope - 20) / 20).toBeLessThan(0.05);
    expect(cal.toJSON().midpoint).toBeCloseTo(0.5, 2);
    expect(cal.probability(0.5)).toBeCloseTo(0.5, 1);
    expect(cal.probability(0.3)).toBeGreaterThan(0.95);
    expect(cal.probability(0.7)).toBeLessThan(0.05);
  });

  it('round-trips through JSON and refuses hostile JSON', () => {
    const cal = defaultCalibration();
    expect(Calibration.fromJSON(JSON.parse(JSON.stringify(cal))).toJSON()).toEqual(cal.toJSON());
    expect(cal.threshold).toBeGreaterThan(0.5);
    expect(cal.threshold).toBeLessThan(0.7);
    expect(() => Calibration.fromJSON({ ...cal.toJSON(), slope: 'x' })).toThrow(/calibration.slope must be a finite number/);
    expect(() => Calibration.fromJSON({ format: 'x' })).toThrow(/calibration must be/);
    expect(() => Calibration.fromJSON(null)).toThrow(/calibration/);
  });

  it('needs both kinds of pairs and finite distances', () => {
    expect(() => Calibration.fit([{ distance: 0.1, same: true }])).toThrow(/both same-person and different-person pairs/);
    expect(() => Calibration.fit([])).toThrow(/pairs must be a non-empty array/);
    expect(() => Calibration.fit([{ distance: Number.NaN, same: true }])).toThrow(/pairs\[0\].distance must be a finite distance >= 0/);
    expect(() =>
      Calibration.fit([
        { distance: 0.3, same: true },
        { distance: -0.2, same: false },
      ]),
    ).toThrow(/pairs\[1\].distance must be a finite distance >= 0, got -0.2/);
    expect(() => rocCurve([{ distance: 1, same: 'yes' as unknown as boolean }])).toThrow(/pairs\[0\].same must be a boolean/);
  });
});
