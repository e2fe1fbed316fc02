/**
 * Argument errors. Every message names the argument, what was expected and what was received
 * (`RangeError: k must be an integer in [1, 150], got 200`), so a caller can fix the call
 * without reading our source.
 */

/** A received value rendered briefly (never dumps a large array). */
export function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value);
  if (typeof value !== 'object' && typeof value !== 'function') return String(value);
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name} of length ${(value as unknown as ArrayLike<unknown>).length}`;
  return `an object (${Object.prototype.toString.call(value).slice(8, -1)})`;
}

export function rangeError(name: string, expected: string, got: unknown): RangeError {
  return new RangeError(`${name} must be ${expected}, got ${describe(got)}`);
}

export function typeError(name: string, expected: string, got: unknown): TypeError {
  return new TypeError(`${name} must be ${expected}, got ${describe(got)}`);
}

/** An integer in [min, max] (inclusive). */
export function checkInteger(name: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? (min === 1 ? 'a positive integer' : `an integer >= ${min}`) : `an integer in [${min}, ${max}]`;
    throw rangeError(name, range, value);
  }
  return value;
}

/** A finite number in the open/closed interval described by `expected`. */
export function checkNumber(name: string, value: unknown, ok: (v: number) => boolean, expected: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || !ok(value)) throw rangeError(name, expected, value);
  return value;
}

export function checkOneOf<T extends string>(name: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw rangeError(name, `one of ${allowed.map((a) => `'${a}'`).join(', ')}`, value);
  }
  return value as T;
}

export function checkFunction<F>(name: string, value: unknown): F {
  if (typeof value !== 'function') throw typeError(name, 'a function', value);
  return value as F;
}

/**
 * Rejects unknown option keys: a typo such as `maxiter` silently falling back to the default is
 * the kind of bug that costs a user an afternoon.
 */
export function checkOptions(name: string, options: unknown, known: readonly string[]): void {
  if (options === undefined) return;
  if (options === null || typeof options !== 'object' || Array.isArray(options)) throw typeError(name, 'an options object', options);
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) throw new RangeError(`${name} has an unknown option ${JSON.stringify(key)}; known options: ${known.join(', ')}`);
  }
}

/** A model method called before `fit`. */
export function notFitted(model: string, method: string): Error {
  return new Error(`${model}.${method}() called before fit(); fit the model first`);
}
