import { assertKnownOptions, assertPositiveInteger, rangeError, typeError } from '@aiffel/runtime';
import { PAD_ID } from './vocabulary.js';

const MAX_PADDED_IDS = 2 ** 27;

export interface PadOptions {
  /** Cut long sequences at the end ('post', keeps the beginning) or the start ('pre'). Default 'post'. */
  truncating?: 'post' | 'pre';
  /** Put the padding after the tokens ('post') or before them ('pre'). Default 'post'. */
  padding?: 'post' | 'pre';
  /** Pad value. Default PAD_ID (0). */
  value?: number;
}

/** What padding cut: never silent. */
export interface TruncationReport {
  /** Indices of the sequences that were longer than maxLength. */
  truncated: number[];
  /** Tokens removed in total. */
  tokensDropped: number;
  /** truncated.length / number of sequences. */
  share: number;
}

export interface PaddedBatch {
  /** Row-major [rows, maxLength] ids. */
  ids: Int32Array;
  /** Real (unpadded, after truncation) length of each row. */
  lengths: Int32Array;
  rows: number;
  maxLength: number;
  report: TruncationReport;
}

/** Pads and truncates id sequences to `maxLength`, reporting every cut. */
export function padSequences(sequences: readonly ArrayLike<number>[], maxLength: number, options: PadOptions = {}): PaddedBatch {
  assertKnownOptions('padSequences options', options, ['truncating', 'padding', 'value']);
  assertPositiveInteger('maxLength', maxLength);
  if (!Array.isArray(sequences)) throw typeError('sequences', 'an array of id arrays', sequences);
  // rows x maxLength int32 ids are allocated at once: 2^27 of them (512 MB) is the most refused before allocating.
  if (sequences.length * maxLength > MAX_PADDED_IDS)
    throw rangeError(
      'maxLength',
      `at most ${Math.floor(MAX_PADDED_IDS / Math.max(1, sequences.length))} for ${sequences.length} sequences (${MAX_PADDED_IDS} ids in all)`,
      maxLength,
    );
  const truncating = options.truncating ?? 'post';
  if (truncating !== 'post' && truncating !== 'pre') throw rangeError('truncating', "'post' or 'pre'", truncating);
  const padding = options.padding ?? 'post';
  if (padding !== 'post' && padding !== 'pre') throw rangeError('padding', "'post' or 'pre'", padding);
  const value = options.value ?? PAD_ID;
  const rows = sequences.length;
  const ids = new Int32Array(rows * maxLength).fill(value);
  const lengths = new Int32Array(rows);
  const truncated: number[] = [];
  let tokensDropped = 0;
  sequences.forEach((seq, r) => {
    if (seq === null || typeof seq !== 'object' || typeof seq.length !== 'number') throw typeError(`sequences[${r}]`, 'an array of ids', seq);
    const n = seq.length;
    const start = n > maxLength && truncating === 'pre' ? n - maxLength : 0;
    const take = Math.min(n, maxLength);
    if (n > maxLength) {
      truncated.push(r);
      tokensDropped += n - maxLength;
    }
    for (let j = 0; j < take; j++) {
      const id = seq[start + j] as number;
      if (!Number.isInteger(id) || id < 0) throw rangeError(`sequences[${r}][${start + j}]`, 'a non-negative integer id', id);
      ids[r * maxLength + (padding === 'pre' ? maxLength - take : 0) + j] = id;
    }
    lengths[r] = take;
  });
  return { ids, lengths, rows, maxLength, report: { truncated, tokensDropped, share: rows === 0 ? 0 : truncated.length / rows } };
}
