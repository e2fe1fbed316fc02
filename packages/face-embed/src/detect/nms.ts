/**
 * Greedy non-maximum suppression over `[ymin, xmin, ymax, xmax]` boxes: candidates above
 * `minScore` in descending score order; a candidate is dropped when it overlaps a kept box by
 * more than `iouThreshold`. Returns the kept indices, best first.
 */
export function nonMaxSuppression(boxes: Float32Array, scores: Float32Array, maxResults: number, iouThreshold: number, minScore: number): number[] {
  const candidates: number[] = [];
  for (let i = 0; i < scores.length; i++) if ((scores[i] as number) > minScore) candidates.push(i);
  candidates.sort((a, b) => (scores[b] as number) - (scores[a] as number) || a - b);
  const kept: number[] = [];
  for (const c of candidates) {
    if (kept.length >= maxResults) break;
    if (kept.every((k) => iou(boxes, c, k) <= iouThreshold)) kept.push(c);
  }
  return kept;
}

/** Intersection over union of boxes i and j (0 when either is empty). */
export function iou(boxes: Float32Array, i: number, j: number): number {
  const a = i * 4;
  const b = j * 4;
  const ay0 = Math.min(boxes[a] as number, boxes[a + 2] as number);
  const ax0 = Math.min(boxes[a + 1] as number, boxes[a + 3] as number);
  const ay1 = Math.max(boxes[a] as number, boxes[a + 2] as number);
  const ax1 = Math.max(boxes[a + 1] as number, boxes[a + 3] as number);
  const by0 = Math.min(boxes[b] as number, boxes[b + 2] as number);
  const bx0 = Math.min(boxes[b + 1] as number, boxes[b + 3] as number);
  const by1 = Math.max(boxes[b] as number, boxes[b + 2] as number);
  const bx1 = Math.max(boxes[b + 1] as number, boxes[b + 3] as number);
  const areaA = (ay1 - ay0) * (ax1 - ax0);
  const areaB = (by1 - by0) * (bx1 - bx0);
  if (areaA <= 0 || areaB <= 0) return 0;
  const inter = Math.max(0, Math.min(ay1, by1) - Math.max(ay0, by0)) * Math.max(0, Math.min(ax1, bx1) - Math.max(ax0, bx0));
  return inter / (areaA + areaB - inter);
}
