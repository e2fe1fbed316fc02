import { Rng } from '@aiffel/core';

/** Isotropic Gaussian blobs (like scikit-learn's make_blobs): row i belongs to blob i % centers. */
export function makeBlobs(n: number, d: number, centers: number, spread: number, seed: number, std = 1) {
  const rng = new Rng(seed);
  const c = Float64Array.from({ length: centers * d }, () => (rng.random() * 2 - 1) * spread);
  const data = new Float64Array(n * d);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const k = i % centers;
    labels[i] = k;
    for (let j = 0; j < d; j++) data[i * d + j] = (c[k * d + j] as number) + std * rng.normal();
  }
  return { x: { data, rows: n, cols: d }, labels, centers: c };
}

/** Uniform random points in [0, scale)^d. */
export function uniformPoints(n: number, d: number, seed: number, scale = 1) {
  const rng = new Rng(seed);
  return { data: Float64Array.from({ length: n * d }, () => rng.random() * scale), rows: n, cols: d };
}
