import type { Id, ImplicitALS } from '@aiffel/sparse-als';

/**
 * What one recommend() call costs a server: `samples` users in a fixed order, after a warm-up,
 * each asking for `n` items (scoring every item, filtering the liked ones, the top n).
 */
export function servingLatency(
  model: ImplicitALS,
  users: readonly Id[],
  n = 10,
  samples = 500,
): { meanMs: number; p50Ms: number; p99Ms: number; samples: number } {
  const pick = (k: number) => users[(k * 7919) % users.length] as Id;
  for (let k = 0; k < 50; k++) model.recommend(pick(k), { n });
  const times = new Float64Array(Math.min(samples, users.length * 4));
  for (let k = 0; k < times.length; k++) {
    const t = performance.now();
    model.recommend(pick(k + 50), { n });
    times[k] = performance.now() - t;
  }
  const mean = times.reduce((a, b) => a + b, 0) / times.length;
  times.sort();
  return { meanMs: mean, p50Ms: times[Math.floor(times.length / 2)] as number, p99Ms: times[Math.floor(times.length * 0.99)] as number, samples: times.length };
}
