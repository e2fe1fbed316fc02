export { SequenceClassifier, type SequenceClassifierOptions, type SequenceFitOptions } from './classify/sequence-classifier.js';
export { SEQUENCE_CONFIG_KEYS, type SequenceClassifierConfig } from './classify/sequence-config.js';
export { attentionHeatmapPng, attentionHeatmapSvg, type HeatmapInput, type HeatmapOptions } from './decode/heatmap.js';
export { beamSearch, greedySearch, type Hypothesis, lengthNorm, type Stepper, type StepResult } from './decode/search.js';
export { resolveSearch, type SearchOptions } from './decode/search-options.js';
export { splitSentences } from './extractive/sentences.js';
export { type ExtractiveSummary, leadN, type RankedSentence, sentenceScores, type TextRankOptions, textRank } from './extractive/textrank.js';
export { lcsLength, type RougeScore, type RougeScores, rouge, rougePair, rougeTokens } from './metrics/rouge.js';
export type { AttentionKind, Seq2SeqConfig } from './model/config.js';
export { coverageLoss } from './model/network.js';
export {
  type EpochRecord,
  type EvaluateResult,
  type FitOptions,
  type FitProgress,
  type LongInputPolicy,
  Seq2Seq,
  type Seq2SeqOptions,
  type SummarizeOptions,
  type Summary,
  type TextPair,
} from './model/seq2seq.js';
export { additiveScores } from './nn/additive-attention.js';
export { copyMixtureLoss } from './nn/copy-mixture-loss.js';
export { lstmSequence, lstmStep } from './nn/lstm-sequence.js';
export { ENGLISH_CONTRACTIONS } from './text/contractions.js';
export { chooseMaxLength, type LengthStats, lengthStats } from './text/length-stats.js';
export { TextNormalizer, type TextNormalizerOptions, tokenize } from './text/normalizer.js';
export { type PaddedBatch, type PadOptions, padSequences, type TruncationReport } from './text/padding.js';
export { ENGLISH_STOPWORDS } from './text/stopwords.js';
export { type TokenizeBatchOptions, Tokenizer, type TokenizerOptions } from './text/tokenizer.js';
export { type CoverageReport, EOS, EOS_ID, PAD, PAD_ID, SOS, SOS_ID, UNK, UNK_ID, Vocabulary, type VocabularyOptions } from './text/vocabulary.js';
