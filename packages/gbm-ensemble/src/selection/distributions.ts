import type { Rng } from '@aiffel/core';
import { rangeError } from '@aiffel/core';

/** A search dimension: a list of choices or a numeric range. */
export type Distribution = readonly unknown[] | { kind: 'uniform' | 'logUniform' | 'int'; low: number; high: number };

function range(kind: 'uniform' | 'logUniform' | 'int', low: number, high: number): Distribution {
  if (!Number.isFinite(low) || !Number.isFinite(high) || !(low < high))
    throw rangeError(`${kind}(low, high)`, 'finite numbers with low < high', `${low}, ${high}`);
  if (kind === 'logUniform' && low <= 0) throw rangeError('logUniform low', 'a positive number', low);
  if (kind === 'int' && (!Number.isInteger(low) || !Number.isInteger(high))) throw rangeError('int(low, high)', 'integers', `${low}, ${high}`);
  return { kind, low, high };
}

/** Uniform in [low, high]. */
export const uniform = (low: number, high: number): Distribution => range('uniform', low, high);
/** Log-uniform in [low, high] (learning rates, regularisation). */
export const logUniform = (low: number, high: number): Distribution => range('logUniform', low, high);
/** Integer uniform in [low, high], both included. */
export const intRange = (low: number, high: number): Distribution => range('int', low, high);

export function isChoice(d: Distribution): d is readonly unknown[] {
  return Array.isArray(d);
}

export function sample(d: Distribution, rng: Rng): unknown {
  if (isChoice(d)) return d[rng.int(d.length)];
  const { kind, low, high } = d as { kind: string; low: number; high: number };
  if (kind === 'int') return low + rng.int(high - low + 1);
  if (kind === 'logUniform') return Math.exp(Math.log(low) + rng.random() * (Math.log(high) - Math.log(low)));
  return low + rng.random() * (high - low);
}

export function checkSpace(space: Record<string, Distribution>, name: string): [string, Distribution][] {
  if (space === null || typeof space !== 'object' || Array.isArray(space)) throw rangeError(name, 'an object of parameter -> choices or distribution', space);
  const entries = Object.entries(space);
  if (entries.length === 0) throw rangeError(name, 'at least one parameter', space);
  for (const [k, d] of entries) {
    if (isChoice(d)) {
      if (d.length === 0) throw rangeError(`${name}.${k}`, 'a non-empty list of choices', d);
    } else if (!d || typeof d !== 'object' || !['uniform', 'logUniform', 'int'].includes((d as { kind: string }).kind))
      throw rangeError(`${name}.${k}`, 'a list of choices or uniform() / logUniform() / intRange()', d);
  }
  return entries;
}
