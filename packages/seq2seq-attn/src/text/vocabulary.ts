import { readJsonFile, writeFileAtomic } from '@aiffel/core';
import { assertKnownOptions, assertPositiveInteger, rangeError, typeError } from '@aiffel/runtime';
import { tokenize } from './normalizer.js';

export const PAD = '<pad>';
export const UNK = '<unk>';
export const SOS = '<sos>';
export const EOS = '<eos>';
/** Ids of the special tokens: the same in every vocabulary. */
export const PAD_ID = 0;
export const UNK_ID = 1;
export const SOS_ID = 2;
export const EOS_ID = 3;
const SPECIALS = [PAD, UNK, SOS, EOS] as const;

export interface VocabularyOptions {
  /** Keep words seen at least this many times. Default 1. */
  minFreq?: number;
  /** Keep at most this many words (specials not counted), most frequent first. Default: no cap. */
  maxSize?: number;
}

/** What the cut kept: the exercise's "how much of the text do the kept words still cover". */
export interface CoverageReport {
  /** Distinct words seen. */
  distinctWords: number;
  /** Distinct words kept (specials not counted). */
  keptWords: number;
  /** Token occurrences seen. */
  totalTokens: number;
  /** Share of token occurrences whose word was kept (the rest become UNK). */
  tokenCoverage: number;
  /** keptWords / distinctWords. */
  typeCoverage: number;
  /** Words dropped because they were rarer than minFreq. */
  droppedRare: number;
  /** Words dropped by the maxSize cap. */
  droppedByCap: number;
}

export interface EncodeOptions {
  /** Prepend SOS. Default false. */
  addSos?: boolean;
  /** Append EOS. Default false. */
  addEos?: boolean;
}

const VOCAB_FORMAT = 'aiffel-seq2seq-vocabulary';
const MAX_WORDS = 10_000_000;

/**
 * Word-level vocabulary with PAD=0, UNK=1, SOS=2, EOS=3, then words by decreasing frequency (ties
 * alphabetical, so the same corpus always gives the same ids).
 */
export class Vocabulary {
  private readonly index = new Map<string, number>();
  readonly words: readonly string[];
  /** Set by `build`; undefined for a vocabulary made from a word list. */
  readonly coverage: CoverageReport | undefined;

  private constructor(words: readonly string[], coverage?: CoverageReport) {
    this.words = words;
    this.coverage = coverage;
    words.forEach((w, i) => {
      this.index.set(w, i);
    });
  }

  /** Builds from texts (split on whitespace) or token lists. */
  static build(corpus: readonly (string | readonly string[])[], options: VocabularyOptions = {}): Vocabulary {
    assertKnownOptions('Vocabulary options', options, ['minFreq', 'maxSize']);
    const minFreq = options.minFreq ?? 1;
    assertPositiveInteger('minFreq', minFreq);
    if (options.maxSize !== undefined) assertPositiveInteger('maxSize', options.maxSize);
    if (!Array.isArray(corpus)) throw typeError('corpus', 'an array of texts or token arrays', corpus);
    if (corpus.length === 0) throw rangeError('corpus', 'a non-empty array', corpus);
    const counts = new Map<string, number>();
    let totalTokens = 0;
    corpus.forEach((item, i) => {
      const tokens = typeof item === 'string' ? tokenize(item) : item;
      if (!Array.isArray(tokens)) throw typeError(`corpus[${i}]`, 'a string or an array of strings', item);
      for (const t of tokens) {
        if (typeof t !== 'string') throw typeError(`corpus[${i}] token`, 'a string', t);
        if ((SPECIALS as readonly string[]).includes(t)) continue;
        counts.set(t, (counts.get(t) ?? 0) + 1);
        totalTokens++;
      }
    });
    const sorted = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const frequent = sorted.filter(([, c]) => c >= minFreq);
    const kept = options.maxSize === undefined ? frequent : frequent.slice(0, options.maxSize);
    let keptTokens = 0;
    for (const [, c] of kept) keptTokens += c;
    const coverage: CoverageReport = {
      distinctWords: counts.size,
      keptWords: kept.length,
      totalTokens,
      tokenCoverage: totalTokens === 0 ? 1 : keptTokens / totalTokens,
      typeCoverage: counts.size === 0 ? 1 : kept.length / counts.size,
      droppedRare: sorted.length - frequent.length,
      droppedByCap: frequent.length - kept.length,
    };
    return new Vocabulary([...SPECIALS, ...kept.map(([w]) => w)], coverage);
  }

  /** A vocabulary from a word list (specials are added in front if missing). */
  static fromWords(words: readonly string[]): Vocabulary {
    if (!Array.isArray(words)) throw typeError('words', 'an array of strings', words);
    if (words.length > MAX_WORDS) throw rangeError('words', `at most ${MAX_WORDS} entries`, words);
    const rest: string[] = [];
    const seen = new Set<string>(SPECIALS);
    const hasSpecials = SPECIALS.every((s, i) => words[i] === s);
    for (const [i, w] of (hasSpecials ? words.slice(SPECIALS.length) : words).entries()) {
      if (typeof w !== 'string' || w.length === 0) throw typeError(`words[${i}]`, 'a non-empty string', w);
      if (seen.has(w)) throw rangeError(`words[${i}]`, 'a word not listed before', w);
      seen.add(w);
      rest.push(w);
    }
    return new Vocabulary([...SPECIALS, ...rest]);
  }

  get size(): number {
    return this.words.length;
  }

  has(word: string): boolean {
    return this.index.has(word);
  }

  idOf(word: string): number {
    return this.index.get(word) ?? UNK_ID;
  }

  wordOf(id: number): string {
    const w = this.words[id];
    if (w === undefined) throw rangeError('id', `an integer in [0, ${this.words.length - 1}]`, id);
    return w;
  }

  /** Text (whitespace-split) or tokens -> ids; unknown words become UNK. */
  encode(text: string | readonly string[], options: EncodeOptions = {}): number[] {
    assertKnownOptions('encode options', options, ['addSos', 'addEos']);
    const tokens = typeof text === 'string' ? tokenize(text) : text;
    if (!Array.isArray(tokens)) throw typeError('text', 'a string or an array of strings', text);
    const ids = tokens.map((t) => this.idOf(t));
    if (options.addSos) ids.unshift(SOS_ID);
    if (options.addEos) ids.push(EOS_ID);
    return ids;
  }

  /** Ids -> text. Stops at the first EOS and leaves out PAD/SOS unless `keepSpecials`. */
  decode(ids: ArrayLike<number>, options: { keepSpecials?: boolean } = {}): string {
    const out: string[] = [];
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i] as number;
      if (!options.keepSpecials) {
        if (id === EOS_ID) break;
        if (id === PAD_ID || id === SOS_ID) continue;
      }
      out.push(this.wordOf(id));
    }
    return out.join(' ');
  }

  toJSON(): { format: string; version: 1; words: string[]; coverage?: CoverageReport } {
    return { format: VOCAB_FORMAT, version: 1, words: [...this.words], ...(this.coverage ? { coverage: this.coverage } : {}) };
  }

  static fromJSON(json: unknown): Vocabulary {
    const j = json as { format?: unknown; version?: unknown; words?: unknown };
    if (j === null || typeof j !== 'object' || j.format !== VOCAB_FORMAT) throw typeError('vocabulary JSON', `an object with format "${VOCAB_FORMAT}"`, json);
    if (j.version !== 1) throw rangeError('vocabulary JSON version', '1', j.version);
    if (!Array.isArray(j.words)) throw typeError('vocabulary JSON words', 'an array of strings', j.words);
    if (!SPECIALS.every((s, i) => (j.words as unknown[])[i] === s)) throw rangeError('vocabulary JSON words', `to start with ${SPECIALS.join(', ')}`, j.words);
    return Vocabulary.fromWords(j.words as string[]);
  }

  async save(path: string): Promise<void> {
    await writeFileAtomic(path, JSON.stringify(this.toJSON()));
  }

  static async load(path: string): Promise<Vocabulary> {
    return Vocabulary.fromJSON(await readJsonFile(path, { maxBytes: 256 * 1024 * 1024, what: 'Vocabulary.load' }));
  }

  /**
   * FNV-1a (32-bit) over the words in id order: a model file records it so that a vocabulary
   * swapped with the other side's, or reordered, is caught at load even when the sizes agree.
   */
  fingerprint(): string {
    let h = 0x811c9dc5;
    for (const w of this.words) {
      for (let i = 0; i < w.length; i++) h = Math.imul(h ^ w.charCodeAt(i), 0x01000193);
      h = Math.imul(h ^ 0x0a, 0x01000193); // a separator, so ["ab", "c"] differs from ["a", "bc"]
    }
    return `${this.words.length}:${(h >>> 0).toString(16).padStart(8, '0')}`;
  }
}

/** Ensures an id array fits a vocabulary (used when loading a model with its vocabularies). */
export function assertIdsInVocabulary(name: string, ids: ArrayLike<number>, size: number): void {
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i] as number;
    if (!Number.isInteger(id) || id < 0 || id >= size) throw rangeError(`${name}[${i}]`, `an id in [0, ${size - 1}]`, id);
  }
}
