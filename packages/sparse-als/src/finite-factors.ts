/**
 * Training that overflowed (a huge alpha or learning rate) leaves NaN or Infinity factors, and
 * every later score is NaN. Checked once per iteration (O(factors)), so the fit stops with the
 * setting to blame instead of returning a model that ranks nothing.
 */
export function assertFiniteFactors(model: string, iteration: number, cause: () => string, ...factors: Float32Array[]): void {
  for (const a of factors)
    for (let i = 0; i < a.length; i++)
      if (!Number.isFinite(a[i])) throw new RangeError(`${model} diverged at iteration ${iteration}: the factors became ${a[i]}; ${cause()}`);
}
