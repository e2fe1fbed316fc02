/** A point in image pixels. */
export interface Point {
  x: number;
  y: number;
}

/** An axis-aligned box in image pixels. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** One detected face. */
export interface DetectedFace {
  /** The detector's box, clipped to the image. */
  box: Box;
  /** Detector confidence, 0..1. */
  score: number;
  /** The 68 iBUG / dlib landmarks (jaw 0-16, brows 17-26, nose 27-35, eyes 36-47, mouth 48-67). */
  landmarks: Point[];
  /** Roll angle in radians (the eye line's slope), from the landmarks. */
  roll: number;
}

/** What `detectLargest` found: `none`, exactly `one`, or `several` faces (the largest is `face`). */
export type FaceCount = 'none' | 'one' | 'several';

export interface LargestFace<F extends DetectedFace = DetectedFace> {
  status: FaceCount;
  /** The largest face by box area, when there is one. */
  face?: F;
  /** Every face found, largest first. */
  faces: F[];
}

function mean(points: Point[], from: number, to: number): Point {
  let x = 0;
  let y = 0;
  for (let i = from; i < to; i++) {
    x += (points[i] as Point).x;
    y += (points[i] as Point).y;
  }
  return { x: x / (to - from), y: y / (to - from) };
}

/** Centres of the left eye (landmarks 36-41), the right eye (42-47) and the mouth (48-67). */
export function eyeAndMouthCentres(landmarks: Point[]): { left: Point; right: Point; mouth: Point } {
  return { left: mean(landmarks, 36, 42), right: mean(landmarks, 42, 48), mouth: mean(landmarks, 48, 68) };
}

/** The roll angle: the slope of the line from the left eye centre to the right one. */
export function rollOf(landmarks: Point[]): number {
  const { left, right } = eyeAndMouthCentres(landmarks);
  return Math.atan2(right.y - left.y, right.x - left.x);
}

/** Sorts faces by box area, largest first (ties keep detector order). */
export function largestFirst<F extends { box: Box }>(faces: F[]): F[] {
  return faces
    .map((f, i) => ({ f, i }))
    .sort((a, b) => b.f.box.width * b.f.box.height - a.f.box.width * a.f.box.height || a.i - b.i)
    .map(({ f }) => f);
}

export function countOf(n: number): FaceCount {
  return n === 0 ? 'none' : n === 1 ? 'one' : 'several';
}
