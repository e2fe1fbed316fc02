import { Rng } from '../src/training/rng.js';

/** Seeded normal values for reproducible test inputs. */
export function randn(n: number, seed: number): Float32Array {
  return new Rng(seed).fillNormal(new Float32Array(n)) as Float32Array;
}

/** max |a - b| / max(max |b|, tiny): the relative error the parity tests bound. */
export function relError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length mismatch ${a.length} vs ${b.length}`);
  let diff = 0;
  let scale = 1e-12;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs((a[i] as number) - (b[i] as number)));
    scale = Math.max(scale, Math.abs(b[i] as number));
  }
  return diff / scale;
}

/** y = 2a - 3b + 0.5c + 1 on standard-normal (a, b, c): a regression the Trainer tests fit. */
export function regression(n: number, seed: number) {
  const rng = new Rng(seed);
  const x = new Float32Array(n * 3);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const a = rng.normal();
    const b = rng.normal();
    const c = rng.normal();
    x.set([a, b, c], i * 3);
    y[i] = 2 * a - 3 * b + 0.5 * c + 1;
  }
  return { x: { data: x, shape: [n, 3] }, y };
}
