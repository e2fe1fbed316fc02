/**
 * Argument errors of the runtime and the packages built on it. The message format and the
 * rendering of received values are @aiffel/core's (one format across every @aiffel package); the
 * asserting checks below are the runtime's own, typed as assertions for its callers.
 */
import { checkOptions, describe, rangeError, typeError } from '@aiffel/core';

export { rangeError, typeError };

/** Renders a received value briefly for an error message (core's `describe`, under the runtime's name). */
export const describeValue: (value: unknown) => string = describe;

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
 * Rejects option keys the callee does not know (core's `checkOptions`). A typo such as
 * `learningrate` silently falling back to a default is the kind of bug that costs a user an afternoon.
 */
export function assertKnownOptions(name: string, options: object | undefined, known: readonly string[]): void {
  checkOptions(name, options, known);
}
