import type { Rng } from '@aiffel/core';
import type { DenseMatrix } from '../core/matrix.js';
import { parallelFor, sharedFloat64 } from '../parallel/pool.js';
import { nextDataId, simdFor } from '../wasm/dot-engine.js';
import type { SeedArgs } from './kmeans-kernels.js';

/** Index of the first cumulative sum above `target` (numpy.searchsorted on a running sum). */
function searchCumulative(cum: Float64Array, target: number): number {
  let lo = 0;
  let hi = cum.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((cum[mid] as number) <= target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Greedy k-means++ (Arthur and Vassilvitskii 2007, with scikit-learn's 2 + ln k local trials per
 * centre: the candidate that lowers the potential most wins). Returns the chosen row indices.
 */
export async function kmeansPlusPlus(x: DenseMatrix, xNorm: Float64Array, k: number, rng: Rng, threads: number): Promise<Int32Array> {
  const n = x.rows;
  const trials = 2 + Math.floor(Math.log(k));
  const chosen = new Int32Array(k);
  chosen[0] = rng.int(n);
  const args: SeedArgs = {
    x: x.data,
    xNorm,
    d: x.cols,
    candidates: new Int32Array(threads > 1 ? new SharedArrayBuffer(4) : new ArrayBuffer(4)),
    closest: sharedFloat64(n, threads).fill(Number.POSITIVE_INFINITY),
    trial: sharedFloat64(n, threads),
    potential: sharedFloat64(threads, threads),
    simd: simdFor(x.data),
    dataId: nextDataId(),
  };
  (args.candidates as Int32Array)[0] = chosen[0] as number;
  await parallelFor('seedDistances', args, n, threads);
  args.closest.set(args.trial);
  let pot = args.potential.reduce((s, v) => s + v, 0);
  const candBuf = threads > 1 ? new SharedArrayBuffer(trials * 4) : new ArrayBuffer(trials * 4);
  const seedArgs: SeedArgs = {
    ...args,
    candidates: new Int32Array(candBuf),
    trial: sharedFloat64(trials * n, threads),
    potential: sharedFloat64(trials * threads, threads),
  };
  const cum = new Float64Array(n);
  for (let c = 1; c < k; c++) {
    let run = 0;
    for (let i = 0; i < n; i++) {
      run += args.closest[i] as number;
      cum[i] = run;
    }
    for (let t = 0; t < trials; t++) {
      // All points coincide with chosen centres (pot 0): any point is as good as another.
      seedArgs.candidates[t] = pot > 0 ? searchCumulative(cum, rng.random() * pot) : rng.int(n);
    }
    await parallelFor('seedDistances', seedArgs, n, threads);
    let best = 0;
    let bestPot = Number.POSITIVE_INFINITY;
    for (let t = 0; t < trials; t++) {
      let p = 0;
      for (let s = 0; s < threads; s++) p += seedArgs.potential[s * trials + t] as number;
      if (p < bestPot) {
        bestPot = p;
        best = t;
      }
    }
    chosen[c] = seedArgs.candidates[best] as number;
    args.closest.set(seedArgs.trial.subarray(best * n, (best + 1) * n));
    pot = bestPot;
  }
  return chosen;
}

/** k distinct rows chosen uniformly at random (init 'random'). */
export function randomRows(n: number, k: number, rng: Rng): Int32Array {
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  for (let i = 0; i < k; i++) {
    const j = i + rng.int(n - i);
    const t = idx[i] as number;
    idx[i] = idx[j] as number;
    idx[j] = t;
  }
  return idx.slice(0, k);
}
