import { assertIntegerInRange, assertKnownOptions, assertNonNegativeInteger, rangeError } from '@aiffel/runtime';

export interface SearchOptions {
  /** Hypotheses kept per input; 1 is greedy. Default 1. */
  beamSize?: number;
  /** GNMT length penalty alpha: score = logP / ((5 + len) / 6)^alpha. 0 = none. Default 0. */
  lengthPenalty?: number;
  /** GNMT coverage penalty beta: + beta * sum_j log(min(sum_i a_ij, 1)). 0 = none. Default 0. */
  coveragePenalty?: number;
  /** EOS is forbidden before this many tokens. Default 0. */
  minLength?: number;
  /** At most this many tokens (EOS not counted). Default: the model's maxTargetLength. */
  maxLength?: number;
  /** Forbid repeating any n-gram of this size within an output; 0 = off. Default 0. */
  noRepeatNgramSize?: number;
  /** Let the search emit UNK. Default false: the best known word is chosen instead. */
  allowUnknown?: boolean;
}

export const SEARCH_OPTION_KEYS = ['beamSize', 'lengthPenalty', 'coveragePenalty', 'minLength', 'maxLength', 'noRepeatNgramSize', 'allowUnknown'] as const;

export type ResolvedSearch = Required<SearchOptions>;

export function resolveSearch(options: SearchOptions, defaultMaxLength: number, extraKeys: readonly string[] = []): ResolvedSearch {
  assertKnownOptions('search options', options, [...SEARCH_OPTION_KEYS, ...extraKeys]);
  const r: ResolvedSearch = {
    beamSize: options.beamSize ?? 1,
    lengthPenalty: options.lengthPenalty ?? 0,
    coveragePenalty: options.coveragePenalty ?? 0,
    minLength: options.minLength ?? 0,
    maxLength: options.maxLength ?? defaultMaxLength,
    noRepeatNgramSize: options.noRepeatNgramSize ?? 0,
    allowUnknown: options.allowUnknown ?? false,
  };
  if (typeof r.allowUnknown !== 'boolean') throw rangeError('allowUnknown', 'a boolean', r.allowUnknown);
  assertIntegerInRange('beamSize', r.beamSize, 1, 1024);
  // A model that never emits EOS decodes until maxLength: bounded, so a typo cannot loop for hours.
  assertIntegerInRange('maxLength', r.maxLength, 1, 4096);
  assertNonNegativeInteger('minLength', r.minLength);
  assertNonNegativeInteger('noRepeatNgramSize', r.noRepeatNgramSize);
  if (r.minLength > r.maxLength) throw rangeError('minLength', `at most maxLength (${r.maxLength})`, r.minLength);
  if (!(Number.isFinite(r.lengthPenalty) && r.lengthPenalty >= 0)) throw rangeError('lengthPenalty', 'a non-negative number', r.lengthPenalty);
  if (!(Number.isFinite(r.coveragePenalty) && r.coveragePenalty >= 0)) throw rangeError('coveragePenalty', 'a non-negative number', r.coveragePenalty);
  return r;
}
