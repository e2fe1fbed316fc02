import { readJsonFile, writeFileAtomic } from '@aiffel/core';
import { assertKnownOptions, assertPositiveInteger, rangeError, typeError } from '@aiffel/runtime';
import { TextNormalizer, type TextNormalizerOptions, tokenize } from './normalizer.js';
import { type PaddedBatch, padSequences } from './padding.js';
import { Vocabulary, type VocabularyOptions } from './vocabulary.js';

export interface TokenizerOptions extends VocabularyOptions {
  /** Normalisation applied before splitting. Default: TextNormalizer's defaults; false = none. */
  normalizer?: TextNormalizerOptions | false;
}

export interface TokenizeBatchOptions {
  /** Pad / truncate every sequence to this length (reported, never silent). Required. */
  maxLength: number;
  /** Prepend SOS. Default false. */
  addSos?: boolean;
  /** Append EOS. Default false. */
  addEos?: boolean;
  /** Default 'post'. */
  padding?: 'post' | 'pre';
  /** Default 'post' (keep the beginning). */
  truncating?: 'post' | 'pre';
}

const FORMAT = 'aiffel-seq2seq-tokenizer';

/**
 * Normaliser + word vocabulary in one object, for users coming from Keras's Tokenizer
 * (`fit_on_texts`, `texts_to_sequences`, `pad_sequences`): fit on raw texts, then turn texts
 * into padded id batches with a truncation report.
 */
export class Tokenizer {
  private readonly normalizer: TextNormalizer | undefined;
  private readonly normalizerOptions: TextNormalizerOptions | false;
  private readonly vocabOptions: VocabularyOptions;
  private vocab: Vocabulary | undefined;

  constructor(options: TokenizerOptions = {}) {
    assertKnownOptions('Tokenizer options', options, ['normalizer', 'minFreq', 'maxSize']);
    const { normalizer, ...vocabOptions } = options;
    this.normalizerOptions = normalizer ?? {};
    this.normalizer = normalizer === false ? undefined : new TextNormalizer(normalizer ?? {});
    this.vocabOptions = vocabOptions;
  }

  /** The fitted vocabulary (throws before `fit`). */
  get vocabulary(): Vocabulary {
    if (this.vocab === undefined) throw new Error('Tokenizer: call fit(texts) before using the vocabulary');
    return this.vocab;
  }

  /** Normalises (if configured) and splits one text. */
  tokens(text: string): string[] {
    if (typeof text !== 'string') throw typeError('text', 'a string', text);
    return tokenize(this.normalizer ? this.normalizer.normalize(text) : text);
  }

  /** Builds the vocabulary from raw texts; its coverage report is `vocabulary.coverage`. */
  fit(texts: readonly string[]): this {
    if (!Array.isArray(texts)) throw typeError('texts', 'an array of strings', texts);
    this.vocab = Vocabulary.build(
      texts.map((t, i) => {
        if (typeof t !== 'string') throw typeError(`texts[${i}]`, 'a string', t);
        return this.tokens(t);
      }),
      this.vocabOptions,
    );
    return this;
  }

  /** Texts -> id lists (unknown words -> UNK). */
  encode(texts: readonly string[], options: { addSos?: boolean; addEos?: boolean } = {}): number[][] {
    if (!Array.isArray(texts)) throw typeError('texts', 'an array of strings', texts);
    const v = this.vocabulary;
    return texts.map((t, i) => {
      if (typeof t !== 'string') throw typeError(`texts[${i}]`, 'a string', t);
      return v.encode(this.tokens(t), options);
    });
  }

  /** Texts -> one padded Int32Array batch, with the truncation report. */
  encodeBatch(texts: readonly string[], options: TokenizeBatchOptions): PaddedBatch {
    assertKnownOptions('encodeBatch options', options, ['maxLength', 'addSos', 'addEos', 'padding', 'truncating']);
    if (options === undefined) throw typeError('options', 'an object with maxLength', options);
    assertPositiveInteger('maxLength', options.maxLength);
    const seqs = this.encode(texts, { addSos: options.addSos, addEos: options.addEos });
    return padSequences(seqs, options.maxLength, { padding: options.padding ?? 'post', truncating: options.truncating ?? 'post' });
  }

  /** Ids -> text (stops at EOS, leaves out PAD/SOS). */
  decode(ids: ArrayLike<number>): string {
    return this.vocabulary.decode(ids);
  }

  toJSON(): { format: string; version: 1; normalizer: TextNormalizerOptions | false; vocabulary: ReturnType<Vocabulary['toJSON']> } {
    const { stopwords, contractions, ...plain } = (this.normalizerOptions || {}) as TextNormalizerOptions;
    if (stopwords !== undefined || contractions !== undefined) {
      throw rangeError('Tokenizer normalizer', 'built-in stopword and contraction lists to be saved (custom lists are not serialised)', 'custom lists');
    }
    return { format: FORMAT, version: 1, normalizer: this.normalizerOptions === false ? false : plain, vocabulary: this.vocabulary.toJSON() };
  }

  static fromJSON(json: unknown): Tokenizer {
    const j = json as { format?: unknown; version?: unknown; normalizer?: unknown; vocabulary?: unknown };
    if (j === null || typeof j !== 'object' || j.format !== FORMAT) throw typeError('tokenizer JSON', `an object with format "${FORMAT}"`, json);
    if (j.version !== 1) throw rangeError('tokenizer JSON version', '1', j.version);
    if (j.normalizer !== false && (j.normalizer === null || typeof j.normalizer !== 'object'))
      throw typeError('tokenizer JSON normalizer', 'an options object or false', j.normalizer);
    const t = new Tokenizer({ normalizer: j.normalizer as TextNormalizerOptions | false });
    t.vocab = Vocabulary.fromJSON(j.vocabulary);
    return t;
  }

  /** Writes the tokenizer as JSON, atomically (the old file survives a failed save). */
  async save(path: string): Promise<void> {
    await writeFileAtomic(path, JSON.stringify(this.toJSON()));
  }

  static async load(path: string): Promise<Tokenizer> {
    return Tokenizer.fromJSON(await readJsonFile(path, { maxBytes: 256 * 1024 * 1024, what: 'Tokenizer.load' }));
  }
}
