import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readJsonFile, writeFileAtomic } from '@aiffel/core';
import {
  assertKnownOptions,
  assertPositiveInteger,
  assertPositiveNumber,
  type EarlyStoppingOptions,
  type LrSchedule,
  Rng,
  rangeError,
  requirePackageFile,
  Trainer,
  type TrainingProgress,
  type TrainingSource,
  tf,
  typeError,
} from '@aiffel/runtime';
import type { Tensor } from '@tensorflow/tfjs-core';
import { beamSearch, greedySearch, type Hypothesis } from '../decode/search.js';
import { resolveSearch, type SearchOptions } from '../decode/search-options.js';
import { type RougeScores, rouge } from '../metrics/rouge.js';
import { tokenize } from '../text/normalizer.js';
import { padSequences, type TruncationReport } from '../text/padding.js';
import { EOS_ID, PAD_ID, SOS_ID, UNK_ID, Vocabulary } from '../text/vocabulary.js';
import { CONFIG_KEYS, resolveConfig, type Seq2SeqConfig } from './config.js';
import { type ExtendedSources, extendedWord, extendSources, extendTarget } from './extended-vocab.js';
import { encode, type SourceBatch } from './network.js';
import { initParams, type ParamMap, paramSpecs } from './params.js';
import { ModelStepper } from './stepper.js';
import { packBatch, teacherForcedModel } from './teacher-forced-model.js';
import type { TrainTaskConfig } from './train-task.js';

export interface Seq2SeqOptions extends Partial<Seq2SeqConfig> {
  sourceVocab: Vocabulary;
  targetVocab: Vocabulary;
}

/** A training pair: normalised, whitespace-separated source and target text. */
export interface TextPair {
  source: string;
  target: string;
}

/** The runtime Trainer's progress (phase 'batch' | 'epoch', counted from 1), with the token rate. */
export type FitProgress = TrainingProgress & {
  /** Target tokens trained per second over the epoch so far. */
  tokensPerSecond: number;
};

export interface EpochRecord {
  /** Counted from 1, as every package counts. */
  epoch: number;
  loss: number;
  valLoss?: number;
  learningRate: number;
  seconds: number;
  tokensPerSecond: number;
}

export interface FitOptions {
  /** Default 10. */
  epochs?: number;
  /** Default 64. */
  batchSize?: number;
  /** Adam learning rate. Default 1e-3. */
  learningRate?: number;
  /** Clip the global gradient norm to this (exploding gradients are the classic LSTM failure). 0 = off. Default 5. */
  clipNorm?: number;
  /** Held-out pairs, or a fraction of `pairs` to hold out (taken after a seeded shuffle). Default none. */
  validation?: readonly TextPair[] | number;
  /** Stop when validation loss stalls (needs `validation`); false to disable. Default { patience: 2 }. The best epoch's weights are restored. */
  earlyStopping?: EarlyStoppingOptions | false;
  /** Learning rate per epoch (e.g. runtime's cosineAnnealing); overrides learningRate. */
  lrSchedule?: LrSchedule;
  /** Called after every batch and every epoch (the Trainer's progress shape, counted from 1). */
  onProgress?: (p: FitProgress) => void;
  /** Called after every epoch. */
  onEpochEnd?: (r: EpochRecord) => void;
  /** Receives the truncation report and other warnings. Default console.warn. */
  onWarning?: (message: string) => void;
  /**
   * Worker threads for data-parallel training (each with its own wasm backend; the batch is split
   * between them and the gradients summed). Needs the built package (dist/train-task.js).
   * Default 1 (this thread).
   */
  workers?: number;
  /**
   * Weight of the coverage loss added to the likelihood (models with `coverage: true`; See et al.
   * use 1, and 0 trains the coverage attention without the loss). Default 1.
   */
  coverageLossWeight?: number;
  /** Stops training after the current batch when aborted (e.g. AbortSignal.timeout(ms)); the epoch is recorded and the best weights are kept. */
  signal?: AbortSignal;
}

const FIT_KEYS = [
  'epochs',
  'batchSize',
  'learningRate',
  'clipNorm',
  'validation',
  'earlyStopping',
  'lrSchedule',
  'onProgress',
  'onEpochEnd',
  'onWarning',
  'signal',
  'workers',
  'coverageLossWeight',
] as const;

export type LongInputPolicy = 'truncate' | 'chunk' | 'error';

export interface SummarizeOptions extends SearchOptions {
  /** Inputs decoded together. Default 32. */
  batchSize?: number;
  /**
   * Inputs longer than maxSourceLength: 'truncate' keeps the first maxSourceLength tokens and
   * warns, 'chunk' summarises each window then summarises the joined summaries, 'error' throws.
   * Default 'truncate'.
   */
  longInput?: LongInputPolicy;
  /** Receives warnings. Default console.warn. */
  onWarning?: (message: string) => void;
}

export interface Summary {
  /** Generated target ids (no SOS/EOS). */
  tokens: number[];
  text: string;
  /** Search score (log-probability with the penalties applied). */
  score: number;
  /** The source tokens the model saw (after truncation), one per attention column. */
  sourceTokens: string[];
  /** Attention [outputs x sourceTokens] (row i: output token i, EOS row included when emitted). */
  attention: Float32Array[];
  /** Other beams, best first (beam search only). */
  alternatives?: { text: string; score: number }[];
  /** True if the input was cut or chunked by the long-input policy. */
  truncated: boolean;
  /**
   * Copy models only, one per token: whether the word was copied from the source (more of its
   * probability came from the attention than from the vocabulary; always for a word outside the
   * target vocabulary).
   */
  copied?: boolean[];
  /** Copy models only, one per token: p_gen, the probability the model gave to generating rather than copying. */
  pGen?: number[];
}

export interface EvaluateResult {
  loss: number;
  perplexity: number;
  tokens: number;
  rouge?: RougeScores;
}

const FORMAT = 'aiffel-seq2seq';

/**
 * LSTM encoder-decoder with attention (the news-summary exercise's model) trained with fused LSTM
 * and attention ops on @aiffel/runtime.
 */
export class Seq2Seq {
  readonly config: Seq2SeqConfig;
  readonly sourceVocab: Vocabulary;
  readonly targetVocab: Vocabulary;
  history: EpochRecord[] = [];
  private params: ParamMap;

  constructor(options: Seq2SeqOptions) {
    if (options === null || typeof options !== 'object') throw typeError('Seq2Seq options', 'an object', options);
    const { sourceVocab, targetVocab, ...rest } = options;
    if (!(sourceVocab instanceof Vocabulary)) throw typeError('sourceVocab', 'a Vocabulary', sourceVocab);
    if (!(targetVocab instanceof Vocabulary)) throw typeError('targetVocab', 'a Vocabulary', targetVocab);
    this.config = resolveConfig(rest);
    if (this.config.shareEmbeddings && (sourceVocab.size !== targetVocab.size || sourceVocab.words.some((w, i) => w !== targetVocab.words[i]))) {
      throw rangeError('shareEmbeddings', 'used with identical source and target vocabularies', true);
    }
    this.sourceVocab = sourceVocab;
    this.targetVocab = targetVocab;
    this.params = initParams(paramSpecs(this.config, sourceVocab.size, targetVocab.size), this.config.seed);
  }

  /** Trainable parameter count. */
  get parameterCount(): number {
    let n = 0;
    for (const p of this.params.values()) n += p.size;
    return n;
  }

  /** Source texts -> left-padded id batch, with the truncation report. */
  sourceBatch(texts: readonly string[]): { batch: SourceBatch; report: TruncationReport } {
    const seqs = texts.map((t, i) => {
      if (typeof t !== 'string') throw typeError(`sources[${i}]`, 'a string', t);
      return this.sourceVocab.encode(t);
    });
    const padded = padSequences(seqs, this.config.maxSourceLength, { padding: 'pre', truncating: 'post' });
    for (let r = 0; r < padded.rows; r++) if (padded.lengths[r] === 0) throw rangeError(`sources[${r}]`, 'a text with at least one token', texts[r]);
    return { batch: { ids: padded.ids, lengths: padded.lengths, rows: padded.rows, steps: padded.maxLength }, report: padded.report };
  }

  /**
   * Target texts -> decoder inputs (SOS + words) and outputs (words + EOS), right-padded. With
   * `oovs` (a copy model's per-row source words outside the target vocabulary) the outputs are in
   * the extended vocabulary, and the inputs read a copied word as UNK.
   */
  targetBatch(
    texts: readonly string[],
    oovs?: readonly (readonly string[])[],
  ): { input: Int32Array; output: Int32Array; steps: number; report: TruncationReport } {
    const T = this.config.maxTargetLength;
    const V = this.targetVocab.size;
    const outs = texts.map((t, i) => {
      if (typeof t !== 'string') throw typeError(`targets[${i}]`, 'a string', t);
      if (oovs === undefined) return this.targetVocab.encode(t, { addEos: true });
      return [...extendTarget(tokenize(t), this.targetVocab, oovs[i] ?? []), EOS_ID];
    });
    const output = padSequences(outs, T);
    const input = new Int32Array(output.ids.length);
    for (let r = 0; r < output.rows; r++) {
      input[r * T] = SOS_ID;
      for (let j = 1; j < T; j++) {
        const previous = output.ids[r * T + j - 1] as number;
        // EOS never feeds the decoder: the step after it predicts padding (weight 0), so it reads PAD.
        input[r * T + j] = previous === EOS_ID ? PAD_ID : previous >= V ? UNK_ID : previous;
      }
    }
    return { input, output: output.ids, steps: T, report: output.report };
  }

  /** The copy model's view of a source batch: its words in the extended vocabulary (undefined without copy). */
  private extended(sources: readonly string[]): ExtendedSources | undefined {
    return this.config.copy ? extendSources(sources, this.targetVocab, this.config.maxSourceLength) : undefined;
  }

  /** Pairs as one packed teacher-forced batch (see packBatch), and its target token count. */
  private packPairs(pairs: readonly TextPair[], seed: number): { x: Tensor; y: Tensor; tokens: number } {
    const sources = pairs.map((p) => p.source);
    const { batch } = this.sourceBatch(sources);
    const ext = this.extended(sources);
    const target = this.targetBatch(
      pairs.map((p) => p.target),
      ext?.oovs,
    );
    const tokens = target.output.reduce((n, id) => n + (id === PAD_ID ? 0 : 1), 0);
    return { ...packBatch(batch, target, seed, ext?.ids), tokens };
  }

  /** Teacher-forced training with Adam on the runtime Trainer; see FitOptions. Resolves to this model. */
  async fit(pairs: readonly TextPair[], options: FitOptions = {}): Promise<this> {
    assertKnownOptions('fit options', options, FIT_KEYS);
    checkPairs('pairs', pairs);
    const epochs = options.epochs ?? 10;
    const batchSize = options.batchSize ?? 64;
    const lr0 = options.learningRate ?? 1e-3;
    const clipNorm = options.clipNorm ?? 5;
    const workers = options.workers ?? 1;
    const coverageLossWeight = options.coverageLossWeight ?? 1;
    if (!(typeof coverageLossWeight === 'number' && coverageLossWeight >= 0 && Number.isFinite(coverageLossWeight)))
      throw rangeError('coverageLossWeight', 'a finite number >= 0', coverageLossWeight);
    assertPositiveInteger('epochs', epochs);
    assertPositiveInteger('batchSize', batchSize);
    assertPositiveNumber('learningRate', lr0);
    assertPositiveInteger('workers', workers);
    if (!(clipNorm >= 0)) throw rangeError('clipNorm', 'a non-negative number', clipNorm);
    const warn = options.onWarning ?? ((m: string) => console.warn(m));
    let train = [...pairs];
    let validation: readonly TextPair[] | undefined;
    if (typeof options.validation === 'number') {
      const f = options.validation;
      if (!(f > 0 && f < 1)) throw rangeError('validation', 'a fraction in (0, 1) or an array of pairs', f);
      new Rng(this.config.seed + 1).shuffle(train);
      const n = Math.max(1, Math.round(train.length * f));
      validation = train.slice(0, n);
      train = train.slice(n);
    } else if (options.validation !== undefined) {
      checkPairs('validation', options.validation);
      validation = options.validation;
    }
    if (train.length === 0) throw rangeError('pairs', 'enough pairs to leave a training set', pairs.length);
    this.reportTruncation(train, warn);
    const { model, loss } = teacherForcedModel(this.config, this.params, this.targetVocab.size, coverageLossWeight);
    const task: TrainTaskConfig = {
      config: this.config,
      sourceVocabSize: this.sourceVocab.size,
      targetVocabSize: this.targetVocab.size,
      coverageLossWeight,
    };
    const trainer = new Trainer({
      model,
      loss,
      optimizer: 'adam',
      learningRate: lr0,
      clipNorm,
      ...(options.lrSchedule && { schedule: options.lrSchedule }),
      ...(workers > 1 && {
        workers: {
          count: workers,
          task: { module: requirePackageFile(import.meta.url, 'train-task.js', '@aiffel/seq2seq-attn'), exportName: 'seq2seqTask' },
          config: task,
        },
      }),
    });
    // Tokens per epoch so far, for the rate the progress reports.
    let tokens = 0;
    let started = performance.now();
    const source = this.pairSource(train, true, (n) => {
      tokens += n;
    });
    await trainer.fit(source, {
      epochs,
      batchSize,
      seed: this.config.seed + 1,
      ...(validation && { validation: this.pairSource(validation, false) }),
      ...(validation && options.earlyStopping !== false && { earlyStopping: { patience: 2, ...(options.earlyStopping || {}), monitor: 'loss' as const } }),
      ...(options.signal && { signal: options.signal, abort: 'endEpoch' as const }),
      onProgress: (p) => {
        const tokensPerSecond = tokens / Math.max((performance.now() - started) / 1000, 1e-9);
        options.onProgress?.({ ...p, tokensPerSecond });
        if (p.phase !== 'epoch') return;
        const record: EpochRecord = {
          epoch: p.epoch,
          loss: p.loss,
          learningRate: p.learningRate,
          seconds: p.seconds ?? 0,
          tokensPerSecond,
          ...(p.validation && { valLoss: p.validation.loss }),
        };
        this.history.push(record);
        options.onEpochEnd?.(record);
        tokens = 0;
        started = performance.now();
      },
    });
    return this;
  }

  /**
   * Pairs as packed teacher-forced batches (see packBatch): shuffled per (seed, epoch) for
   * training, each batch with its own dropout seed; in order for validation.
   */
  private pairSource(pairs: readonly TextPair[], shuffle: boolean, onTokens?: (n: number) => void): TrainingSource {
    return {
      size: pairs.length,
      batches: function* (this: Seq2Seq, batchSize: number, epoch: number, seed: number) {
        const rng = new Rng((seed * 1_000_003 + epoch) | 0);
        const order = shuffle ? rng.permutation(pairs.length) : Int32Array.from(pairs.keys());
        for (let s = 0; s < pairs.length; s += batchSize) {
          const chunk = Array.from(order.subarray(s, Math.min(pairs.length, s + batchSize)), (i) => pairs[i] as TextPair);
          const { x, y, tokens } = this.packPairs(chunk, rng.nextUint32() | 0);
          onTokens?.(tokens);
          yield { x, y };
        }
      }.bind(this),
    };
  }

  private reportTruncation(pairs: readonly TextPair[], warn: (m: string) => void): void {
    // The same batching the training steps use, so the report is exactly what they will cut.
    const src = this.sourceBatch(pairs.map((p) => p.source)).report;
    const tgt = this.targetBatch(pairs.map((p) => p.target)).report;
    if (src.truncated.length > 0) {
      warn(
        `seq2seq: ${src.truncated.length} of ${pairs.length} sources (${(src.share * 100).toFixed(1)}%) are longer than maxSourceLength ${this.config.maxSourceLength}; ${src.tokensDropped} tokens beyond it are not seen`,
      );
    }
    if (tgt.truncated.length > 0) {
      warn(
        `seq2seq: ${tgt.truncated.length} of ${pairs.length} targets (${(tgt.share * 100).toFixed(1)}%) are longer than maxTargetLength ${this.config.maxTargetLength} with EOS; ${tgt.tokensDropped} tokens are cut`,
      );
    }
  }

  /** The mean negative log-likelihood per target token (the coverage loss left out). */
  private evaluateLoss(pairs: readonly TextPair[], batchSize: number): { loss: number; tokens: number } {
    const { model, loss } = teacherForcedModel(this.config, this.params, this.targetVocab.size, 0);
    let lossSum = 0;
    let tokenSum = 0;
    for (let i = 0; i < pairs.length; i += batchSize) {
      const chunk = pairs.slice(i, i + batchSize);
      let tokens = 0;
      const value = tf.tidy(() => {
        const packed = this.packPairs(chunk, 0);
        tokens = packed.tokens;
        return loss(packed.y, model.predict(packed.x, false));
      });
      lossSum += (value.dataSync()[0] as number) * tokens;
      tokenSum += tokens;
      value.dispose();
    }
    return { loss: lossSum / Math.max(tokenSum, 1), tokens: tokenSum };
  }

  /** Loss and perplexity (teacher forced), and ROUGE of greedy (or `search`) outputs unless rouge is false. */
  evaluate(pairs: readonly TextPair[], options: { batchSize?: number; rouge?: boolean; search?: SearchOptions } = {}): EvaluateResult {
    assertKnownOptions('evaluate options', options, ['batchSize', 'rouge', 'search']);
    checkPairs('pairs', pairs);
    const batchSize = options.batchSize ?? 64;
    assertPositiveInteger('batchSize', batchSize);
    const { loss, tokens } = this.evaluateLoss(pairs, batchSize);
    const result: EvaluateResult = { loss, perplexity: Math.exp(loss), tokens };
    if (options.rouge !== false) {
      const outs = this.summarize(
        pairs.map((p) => p.source),
        { ...options.search, batchSize, onWarning: () => {} },
      );
      result.rouge = rouge(
        outs.map((o) => o.text),
        pairs.map((p) => p.target),
      );
    }
    return result;
  }

  /** Generates a summary for each (normalised) text: greedy, or beam search when beamSize > 1. */
  summarize(texts: readonly string[], options: SummarizeOptions = {}): Summary[] {
    const search = resolveSearch(options, this.config.maxTargetLength, ['batchSize', 'longInput', 'onWarning']);
    const batchSize = options.batchSize ?? 32;
    assertPositiveInteger('batchSize', batchSize);
    const policy = options.longInput ?? 'truncate';
    if (!['truncate', 'chunk', 'error'].includes(policy)) throw rangeError('longInput', "'truncate', 'chunk' or 'error'", policy);
    if (!Array.isArray(texts)) throw typeError('texts', 'an array of strings', texts);
    const warn = options.onWarning ?? ((m: string) => console.warn(m));
    const max = this.config.maxSourceLength;
    const tokenLists = texts.map((t, i) => {
      if (typeof t !== 'string') throw typeError(`texts[${i}]`, 'a string', t);
      const tokens = tokenize(t);
      if (tokens.length === 0) throw rangeError(`texts[${i}]`, 'a text with at least one word', t);
      return tokens;
    });
    const long = tokenLists.map((t, i) => (t.length > max ? i : -1)).filter((i) => i >= 0);
    if (long.length > 0 && policy === 'error') {
      throw rangeError(
        `texts[${long[0]}]`,
        `at most maxSourceLength (${max}) tokens (longInput: 'error')`,
        `${(tokenLists[long[0] as number] as string[]).length} tokens`,
      );
    }
    if (long.length > 0 && policy === 'truncate') {
      warn(
        `seq2seq: ${long.length} of ${texts.length} inputs are longer than maxSourceLength ${max} and were truncated to their first ${max} tokens (longInput: 'chunk' summarises all of them)`,
      );
    }
    const results: Summary[] = new Array(texts.length);
    const direct = tokenLists.map((_, i) => i).filter((i) => policy !== 'chunk' || !long.includes(i));
    const decoded = this.decodeTokens(
      direct.map((i) => (tokenLists[i] as string[]).slice(0, max)),
      search,
      batchSize,
    );
    direct.forEach((i, k) => {
      results[i] = { ...(decoded[k] as Summary), truncated: (tokenLists[i] as string[]).length > max };
    });
    if (policy === 'chunk') {
      for (const i of long) results[i] = this.summarizeChunked(tokenLists[i] as string[], search, batchSize);
    }
    return results;
  }

  /** Summarise windows of maxSourceLength, join the summaries and repeat until one window is left. */
  private summarizeChunked(tokens: string[], search: ReturnType<typeof resolveSearch>, batchSize: number): Summary {
    const max = this.config.maxSourceLength;
    let current = tokens;
    for (let round = 0; round < 8 && current.length > max; round++) {
      const windows: string[][] = [];
      for (let i = 0; i < current.length; i += max) windows.push(current.slice(i, i + max));
      const parts = this.decodeTokens(windows, search, batchSize);
      const joined = parts.flatMap((p) => (p.text.length > 0 ? p.text.split(' ') : []));
      // Summaries must shrink the text, or the loop would not end.
      current = joined.length >= current.length ? current.slice(0, max) : joined;
    }
    const [final] = this.decodeTokens([current.slice(0, max)], search, batchSize);
    return { ...(final as Summary), truncated: true };
  }

  private decodeTokens(tokenLists: string[][], search: ReturnType<typeof resolveSearch>, batchSize: number): Omit<Summary, 'truncated'>[] {
    const out: Omit<Summary, 'truncated'>[] = [];
    for (let i = 0; i < tokenLists.length; i += batchSize) {
      const lists = tokenLists.slice(i, i + batchSize);
      const { batch } = this.sourceBatch(lists.map((l) => l.join(' ')));
      const S = batch.steps;
      const masks = lists.map((_, r) => {
        const m = new Uint8Array(S);
        m.fill(1, S - (batch.lengths[r] as number));
        return m;
      });
      const ext = this.extended(lists.map((l) => l.join(' ')));
      const enc = tf.tidy(() => encode(this.config, this.params, batch) as unknown as tf.TensorContainer) as unknown as ReturnType<typeof encode>;
      const stepper = new ModelStepper(this.config, this.params, enc, search.beamSize, this.targetVocab.size, ext);
      tf.dispose([enc.states, enc.keys, enc.maskBias, enc.h, enc.c].filter((t) => t !== undefined) as Tensor[]);
      let hyps: Hypothesis[][];
      try {
        hyps = search.beamSize === 1 ? greedySearch(stepper, lists.length, search, masks).map((h) => [h]) : beamSearch(stepper, lists.length, search, masks);
      } finally {
        stepper.dispose();
      }
      hyps.forEach((list, r) => {
        const best = list[0] as Hypothesis;
        const len = batch.lengths[r] as number;
        const sourceTokens = (lists[r] as string[]).slice(0, len);
        const oovs = ext?.oovs[r] ?? [];
        const text = (h: Hypothesis): string => h.tokens.map((id) => extendedWord(id, this.targetVocab, oovs)).join(' ');
        const n = best.tokens.length;
        out.push({
          tokens: best.tokens,
          text: text(best),
          score: best.score,
          sourceTokens,
          attention: best.attention.map((row) => row.slice(S - len)),
          ...(search.beamSize > 1 ? { alternatives: list.slice(1).map((h) => ({ text: text(h), score: h.score })) } : {}),
          ...(this.config.copy && { copied: best.copyShare.slice(0, n).map((share) => share > 0.5), pGen: best.pGen.slice(0, n) }),
        });
      });
    }
    return out;
  }

  /** Writes config.json, weights.bin and both vocabularies into `dir` (created; replaced atomically per file). */
  async save(dir: string): Promise<void> {
    if (typeof dir !== 'string' || dir.length === 0) throw typeError('dir', 'a folder path', dir);
    await mkdir(dir, { recursive: true });
    const manifest: { name: string; shape: number[]; offset: number }[] = [];
    const chunks: Float32Array[] = [];
    let offset = 0;
    for (const [name, v] of this.params) {
      const data = v.dataSync() as Float32Array;
      manifest.push({ name, shape: v.shape, offset });
      chunks.push(data);
      offset += data.length;
    }
    const weights = new Float32Array(offset);
    let at = 0;
    for (const c of chunks) {
      weights.set(c, at);
      at += c.length;
    }
    const files: [string, string | Uint8Array][] = [
      ['weights.bin', new Uint8Array(weights.buffer)],
      ['source-vocab.json', JSON.stringify(this.sourceVocab.toJSON())],
      ['target-vocab.json', JSON.stringify(this.targetVocab.toJSON())],
      [
        'config.json',
        JSON.stringify(
          {
            format: FORMAT,
            version: 1,
            config: this.config,
            params: manifest,
            history: this.history,
            vocabularies: { source: this.sourceVocab.fingerprint(), target: this.targetVocab.fingerprint() },
          },
          null,
          1,
        ),
      ],
    ];
    for (const [name, data] of files) await writeFileAtomic(join(dir, name), data);
  }

  /** Loads a folder written by save(); every field is checked against the configuration. */
  static async load(dir: string): Promise<Seq2Seq> {
    if (typeof dir !== 'string' || dir.length === 0) throw typeError('dir', 'a folder path', dir);
    const meta = (await readJsonFile(join(dir, 'config.json'), { maxBytes: 64 * 1024 * 1024, what: 'Seq2Seq.load' })) as {
      format?: unknown;
      version?: unknown;
      config?: unknown;
      params?: unknown;
      history?: unknown;
      vocabularies?: { source?: unknown; target?: unknown };
    };
    if (meta === null || typeof meta !== 'object' || meta.format !== FORMAT) throw typeError('config.json', `a "${FORMAT}" model file`, meta);
    if (meta.version !== 1) throw rangeError('config.json version', '1', meta.version);
    const sourceVocab = await Vocabulary.load(join(dir, 'source-vocab.json'));
    const targetVocab = await Vocabulary.load(join(dir, 'target-vocab.json'));
    // Vocabularies of the same size pass every shape check, swapped or reordered: the weights
    // would then read every word as another. config.json keeps a fingerprint of each (files
    // saved before it existed have none and are not checked).
    for (const [side, vocab] of [
      ['source', sourceVocab],
      ['target', targetVocab],
    ] as const) {
      const want = meta?.vocabularies?.[side];
      if (want !== undefined && want !== vocab.fingerprint())
        throw rangeError(
          `${side}-vocab.json`,
          `the ${side} vocabulary these weights were trained with (fingerprint ${String(want)}): the files were swapped, reordered or edited`,
          `fingerprint ${vocab.fingerprint()}`,
        );
    }
    const config = resolveConfig((meta.config ?? {}) as Partial<Seq2SeqConfig>);
    const bytes = await readFile(join(dir, 'weights.bin'));
    if (bytes.byteLength % 4 !== 0) throw rangeError('weights.bin', 'a whole number of float32 values', `${bytes.byteLength} bytes`);
    // Checked before any allocation, so a tampered config with absurd sizes cannot exhaust memory.
    const expected = paramSpecs(config, sourceVocab.size, targetVocab.size).reduce((n, p) => n + p.shape.reduce((a, b) => a * b, 1), 0);
    if (expected !== bytes.byteLength / 4) {
      throw rangeError(
        'weights.bin',
        `${expected} float32 values for this configuration and these vocabularies (a vocabulary that does not match the weights?)`,
        `${bytes.byteLength / 4} values`,
      );
    }
    const model = new Seq2Seq({ ...config, sourceVocab, targetVocab });
    const weights = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    if (!Array.isArray(meta.params)) throw typeError('config.json params', 'an array', meta.params);
    const listed = new Map((meta.params as { name: string; shape: number[]; offset: number }[]).map((p) => [p.name, p]));
    for (const [name, v] of model.params) {
      const p = listed.get(name);
      if (!p) throw rangeError('config.json params', `an entry for ${name}`, 'none');
      if (!Array.isArray(p.shape) || p.shape.length !== v.shape.length || p.shape.some((d, i) => d !== v.shape[i])) {
        throw rangeError(
          `weights ${name} shape`,
          `[${v.shape.join(', ')}] (from the config and vocabularies: a vocabulary that does not match the weights?)`,
          `[${String(p.shape)}]`,
        );
      }
      if (!Number.isInteger(p.offset) || p.offset < 0 || p.offset + v.size > weights.length)
        throw rangeError(`weights ${name} offset`, `within weights.bin (${weights.length} values)`, p.offset);
      const slice = weights.subarray(p.offset, p.offset + v.size);
      for (let i = 0; i < slice.length; i++) if (!Number.isFinite(slice[i] as number)) throw rangeError(`weights ${name}`, 'finite values', slice[i]);
      tf.tidy(() => v.assign(tf.tensor(slice, v.shape)));
    }
    if (Array.isArray(meta.history)) model.history = meta.history as EpochRecord[];
    return model;
  }

  /** Frees the weights. */
  dispose(): void {
    for (const v of this.params.values()) v.dispose();
    this.params.clear();
  }

  /** The configuration keys (for tools that print or validate them). */
  static readonly configKeys = CONFIG_KEYS;
}

function checkPairs(name: string, pairs: readonly TextPair[]): void {
  if (!Array.isArray(pairs)) throw typeError(name, 'an array of { source, target } pairs', pairs);
  if (pairs.length === 0) throw rangeError(name, 'a non-empty array', pairs);
  pairs.forEach((p, i) => {
    if (p === null || typeof p !== 'object') throw typeError(`${name}[${i}]`, 'a { source, target } pair', p);
    if (typeof p.source !== 'string' || p.source.trim().length === 0) throw typeError(`${name}[${i}].source`, 'a non-empty string', p.source);
    if (typeof p.target !== 'string' || p.target.trim().length === 0) throw typeError(`${name}[${i}].target`, 'a non-empty string', p.target);
  });
}
