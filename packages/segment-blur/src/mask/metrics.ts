import { rangeError } from '@aiffel/runtime';
import type { Mask } from './mask.js';
import { dilateMask } from './morphology.js';

function assertSameShape(a: Mask, b: Mask): void {
  if (a.width !== b.width || a.height !== b.height) throw rangeError('b', `a ${a.width}x${a.height} mask like a`, `${b.width}x${b.height}`);
}

/** Intersection over union of two masks of the same size, each thresholded at 0.5 (1 when both are empty). */
export function maskIoU(a: Mask, b: Mask): number {
  assertSameShape(a, b);
  let inter = 0;
  let union = 0;
  for (let i = 0; i < a.data.length; i++) {
    const x = (a.data[i] as number) >= 0.5;
    const y = (b.data[i] as number) >= 0.5;
    if (x && y) inter++;
    if (x || y) union++;
  }
  return union === 0 ? 1 : inter / union;
}

/** Foreground pixels (>= 0.5) with a background 4-neighbour or on the image border. */
function boundaryOf(m: Mask): Mask {
  const { data, width, height } = m;
  const out = new Float32Array(data.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if ((data[i] as number) < 0.5) continue;
      const edge =
        x === 0 ||
        y === 0 ||
        x === width - 1 ||
        y === height - 1 ||
        (data[i - 1] as number) < 0.5 ||
        (data[i + 1] as number) < 0.5 ||
        (data[i - width] as number) < 0.5 ||
        (data[i + width] as number) < 0.5;
      if (edge) out[i] = 1;
    }
  }
  return { data: out, width, height };
}

/**
 * Boundary F-measure (the DAVIS benchmark's F): precision and recall of boundary pixels matched
 * within `tolerance` pixels (default 0.75% of the image diagonal, as DAVIS uses).
 */
export function boundaryFScore(predicted: Mask, truth: Mask, tolerance?: number): { precision: number; recall: number; f: number } {
  assertSameShape(predicted, truth);
  const tol = tolerance ?? Math.max(1, Math.round(0.0075 * Math.hypot(truth.width, truth.height)));
  if (!(Number.isInteger(tol) && tol >= 0)) throw rangeError('tolerance', 'a non-negative integer', tol);
  const bp = boundaryOf(predicted);
  const bt = boundaryOf(truth);
  const near = (b: Mask, other: Mask): [number, number] => {
    const grown = dilateMask(other, tol);
    let hit = 0;
    let total = 0;
    for (let i = 0; i < b.data.length; i++) {
      if (b.data[i] !== 1) continue;
      total++;
      if ((grown.data[i] as number) > 0) hit++;
    }
    return [hit, total];
  };
  const [ph, pt] = near(bp, bt);
  const [rh, rt] = near(bt, bp);
  const precision = pt === 0 ? (rt === 0 ? 1 : 0) : ph / pt;
  const recall = rt === 0 ? (pt === 0 ? 1 : 0) : rh / rt;
  const f = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f };
}
