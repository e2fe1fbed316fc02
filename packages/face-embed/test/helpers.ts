import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export const sharedData = new URL('../../../../shared/data/', import.meta.url).pathname;

/** The six sample photos inside @vladmandic/face-api (group photos, counted by eye). */
export function samplePhoto(i: number): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('@vladmandic/face-api/package.json')), 'demo', `sample${i}.jpg`);
}

export const SAMPLE_FACE_COUNTS: Record<number, number> = { 1: 3, 2: 3, 3: 3, 4: 4, 5: 5, 6: 4 };

/** Deterministic pseudo-random numbers in [-0.5, 0.5). */
export function randomVectors(n: number, dim: number, seed = 1): Float32Array {
  let s = seed >>> 0;
  const out = new Float32Array(n * dim);
  for (let i = 0; i < out.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 4294967296 - 0.5;
  }
  return out;
}
