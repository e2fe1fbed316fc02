/**
 * Error helpers shared by every @aiffel package. Messages always name the argument, what was
 * expected and what was received, so a user can fix the call without reading our source.
 */

/** Renders a received value briefly for an error message (never dumps large arrays). */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name} of length ${(value as unknown as ArrayLike<unknown>).length}`;
  if (typeof value === 'function') return 'a function';
  return `an object (${Object.prototype.toString.call(value).slice(8, -1)})`;
}

/** `RangeError: <name> must be <expected>, got <value>` */
export function rangeError(name: string, expected: string, got: unknown): RangeError {
  return new RangeError(`${name} must be ${expected}, got ${describeValue(got)}`);
}

/** `TypeError: <name> must be <expected>, got <value>` */
export function typeError(name: string, expected: string, got: unknown): TypeError {
  return new TypeError(`${name} must be ${expected}, got ${describeValue(got)}`);
}

export function assertPositiveInteger(name: string, value: unknown): asserts value is number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw rangeError(name, 'a positive integer', value);
  }
}

export function assertNonNegativeInteger(name: string, value: unknown): asserts value is number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw rangeError(name, 'a non-negative integer', value);
  }
}

/**
 * An integer in [min, max]. The upper bound is what keeps a hostile or mistyped size (a model
 * file with `units: 1e8`, `maxLength: 1e9`) from allocating gigabytes or looping for hours.
 */
export function assertIntegerInRange(name: string, value: unknown, min: number, max: number): asserts value is number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw rangeError(name, `an integer in ${min}..${max}`, value);
  }
}

export function assertFiniteNumber(name: string, value: unknown): asserts value is number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw rangeError(name, 'a finite number', value);
  }
}

export function assertPositiveNumber(name: string, value: unknown): asserts value is number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw rangeError(name, 'a positive finite number', value);
  }
}

/**
 * Rejects option keys the callee does not know. A typo such as `learningrate` silently falling
 * back to a default is the kind of bug that costs a user an afternoon.
 */
export function assertKnownOptions(name: string, options: object | undefined, known: readonly string[]): void {
  if (options === undefined) return;
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw typeError(name, 'an options object', options);
  }
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      throw new RangeError(`${name} has an unknown option ${JSON.stringify(key)}; known options: ${known.join(', ')}`);
    }
  }
}
