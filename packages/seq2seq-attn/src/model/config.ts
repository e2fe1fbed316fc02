import { assertIntegerInRange, assertKnownOptions, assertNonNegativeInteger, rangeError } from '@aiffel/runtime';

/** The widest layer, deepest encoder and longest sequence a model may declare (far above any RNN summarizer). */
export const MAX_WIDTH = 8192;
export const MAX_LAYERS = 64;
export const MAX_SEQUENCE = 4096;

export type AttentionKind = 'bahdanau' | 'luong-dot' | 'luong-general';

/** Architecture options (everything but the vocabularies); saved with the model. */
export interface Seq2SeqConfig {
  /** Embedding size. Default 128. */
  embeddingDim: number;
  /** LSTM hidden size (encoder per direction, and decoder). Default 256. */
  hiddenSize: number;
  /** Stacked encoder LSTM layers. Default 3. */
  encoderLayers: number;
  /** Bidirectional encoder (outputs 2 x hiddenSize; the decoder starts from the sum of both directions' final states). Default false. */
  bidirectional: boolean;
  /** Dropout between encoder layers and before the output layer, training only. Default 0.2. */
  dropout: number;
  /** Attention scoring. Default 'bahdanau'. */
  attention: AttentionKind;
  /** Bahdanau attention size. Default hiddenSize. */
  attentionDim: number;
  /** One embedding matrix for source and target (needs identical vocabularies). Default false. */
  shareEmbeddings: boolean;
  /** Source tokens kept per input; longer inputs follow `longInput`. Default 80. */
  maxSourceLength: number;
  /** Target tokens generated at most (EOS included in training). Default 10. */
  maxTargetLength: number;
  /**
   * Pointer-generator copying (See et al. 2017): a learned switch p_gen mixes generating from the
   * target vocabulary with copying a source word through the attention, over a vocabulary extended
   * by each input's own out-of-vocabulary words, so names and numbers come out as written. Default false.
   */
  copy: boolean;
  /** Coverage (See et al. 2017): the attention so far is fed to the attention scores, and fit adds the coverage loss. Default false. */
  coverage: boolean;
  /** Seed for initialisation, dropout and shuffling. Default 0. */
  seed: number;
}

export const CONFIG_KEYS = [
  'embeddingDim',
  'hiddenSize',
  'encoderLayers',
  'bidirectional',
  'dropout',
  'attention',
  'attentionDim',
  'shareEmbeddings',
  'maxSourceLength',
  'maxTargetLength',
  'copy',
  'coverage',
  'seed',
] as const;

export function resolveConfig(options: Partial<Seq2SeqConfig>, extraKeys: readonly string[] = []): Seq2SeqConfig {
  assertKnownOptions('Seq2Seq options', options, [...CONFIG_KEYS, ...extraKeys]);
  const hiddenSize = options.hiddenSize ?? 256;
  const c: Seq2SeqConfig = {
    embeddingDim: options.embeddingDim ?? 128,
    hiddenSize,
    encoderLayers: options.encoderLayers ?? 3,
    bidirectional: options.bidirectional ?? false,
    dropout: options.dropout ?? 0.2,
    attention: options.attention ?? 'bahdanau',
    attentionDim: options.attentionDim ?? hiddenSize,
    shareEmbeddings: options.shareEmbeddings ?? false,
    maxSourceLength: options.maxSourceLength ?? 80,
    maxTargetLength: options.maxTargetLength ?? 10,
    copy: options.copy ?? false,
    coverage: options.coverage ?? false,
    seed: options.seed ?? 0,
  };
  // Upper bounds keep a mistyped option or a tampered model file (units: 1e8, maxTargetLength:
  // 1e9) from allocating gigabytes or decoding for hours before any other check runs.
  assertIntegerInRange('embeddingDim', c.embeddingDim, 1, MAX_WIDTH);
  assertIntegerInRange('hiddenSize', c.hiddenSize, 1, MAX_WIDTH);
  assertIntegerInRange('encoderLayers', c.encoderLayers, 1, MAX_LAYERS);
  assertIntegerInRange('attentionDim', c.attentionDim, 1, MAX_WIDTH);
  assertIntegerInRange('maxSourceLength', c.maxSourceLength, 1, MAX_SEQUENCE);
  assertIntegerInRange('maxTargetLength', c.maxTargetLength, 1, MAX_SEQUENCE);
  assertNonNegativeInteger('seed', c.seed);
  if (typeof c.bidirectional !== 'boolean') throw rangeError('bidirectional', 'a boolean', c.bidirectional);
  if (typeof c.copy !== 'boolean') throw rangeError('copy', 'a boolean', c.copy);
  if (typeof c.coverage !== 'boolean') throw rangeError('coverage', 'a boolean', c.coverage);
  if (typeof c.shareEmbeddings !== 'boolean') throw rangeError('shareEmbeddings', 'a boolean', c.shareEmbeddings);
  if (!(typeof c.dropout === 'number' && c.dropout >= 0 && c.dropout < 1)) throw rangeError('dropout', 'a number in [0, 1)', c.dropout);
  if (!['bahdanau', 'luong-dot', 'luong-general'].includes(c.attention))
    throw rangeError('attention', "'bahdanau', 'luong-dot' or 'luong-general'", c.attention);
  if (c.attention === 'luong-dot' && c.bidirectional) {
    throw rangeError(
      'attention',
      "'bahdanau' or 'luong-general' with a bidirectional encoder ('luong-dot' needs equal encoder and decoder sizes)",
      c.attention,
    );
  }
  return c;
}
