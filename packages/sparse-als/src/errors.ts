/** Argument errors naming the argument, what was expected and what was received. */

function brief(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}...` : v);
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  if (ArrayBuffer.isView(v)) return `a ${v.constructor.name}`;
  if (v !== null && typeof v === 'object') return 'an object';
  return String(v);
}

export function argError(name: string, expected: string, got: unknown): RangeError {
  return new RangeError(`${name} must be ${expected}, got ${brief(got)}`);
}

export function int(name: string, v: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)
    throw argError(name, max === Number.MAX_SAFE_INTEGER ? `an integer >= ${min}` : `an integer in [${min}, ${max}]`, v);
  return v;
}

export function num(name: string, v: unknown, ok: (x: number) => boolean, expected: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || !ok(v)) throw argError(name, expected, v);
  return v;
}

export function knownOptions(name: string, options: unknown, known: readonly string[]): void {
  if (options === undefined) return;
  if (options === null || typeof options !== 'object' || Array.isArray(options))
    throw new TypeError(`${name} must be an options object, got ${brief(options)}`);
  for (const k of Object.keys(options))
    if (!known.includes(k)) throw new RangeError(`${name} has an unknown option ${JSON.stringify(k)}; known options: ${known.join(', ')}`);
}

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
