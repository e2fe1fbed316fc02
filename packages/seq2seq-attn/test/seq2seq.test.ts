import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng, ready, tf } from '@aiffel/runtime';
import { beforeAll, describe, expect, it } from 'vitest';
import { type AttentionKind, Seq2Seq, type TextPair, Vocabulary } from '../src/index.js';

beforeAll(async () => {
  await ready();
});

const WORDS = 'a b c d e f g h'.split(' ');
const vocab = Vocabulary.fromWords(WORDS);

function task(kind: 'copy' | 'reverse', n: number, seed: number): TextPair[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => {
    const len = 3 + Math.floor(rng.random() * 3);
    const s = Array.from({ length: len }, () => WORDS[Math.floor(rng.random() * WORDS.length)] as string);
    return { source: s.join(' '), target: (kind === 'copy' ? s : [...s].reverse()).join(' ') };
  });
}

function small(extra: Record<string, unknown> = {}): Seq2Seq {
  return new Seq2Seq({
    sourceVocab: vocab,
    targetVocab: vocab,
    embeddingDim: 16,
    hiddenSize: 32,
    encoderLayers: 1,
    dropout: 0,
    maxSourceLength: 6,
    maxTargetLength: 6,
    seed: 1,
    ...extra,
  });
}

function exactMatch(model: Seq2Seq, pairs: readonly TextPair[], beamSize = 1): number {
  const out = model.summarize(
    pairs.map((p) => p.source),
    { beamSize },
  );
  return out.filter((o, i) => o.text === pairs[i]?.target).length / pairs.length;
}

describe('Seq2Seq learns', () => {
  for (const kind of ['copy', 'reverse'] as const) {
    it(`the ${kind} task to 100% on unseen inputs within 30 epochs`, async () => {
      const m = small();
      await m.fit(task(kind, 400, 3), { epochs: 30, batchSize: 32, learningRate: 0.01 });
      const test = task(kind, 60, 99);
      expect(exactMatch(m, test)).toBe(1);
      expect(exactMatch(m, test, 3)).toBe(1);
      m.dispose();
    });
  }

  const variants: [string, Record<string, unknown>][] = [
    ['luong-dot', { attention: 'luong-dot' as AttentionKind }],
    ['luong-general, bidirectional', { attention: 'luong-general' as AttentionKind, bidirectional: true }],
    ['bahdanau, bidirectional, 2 layers, dropout', { bidirectional: true, encoderLayers: 2, dropout: 0.1 }],
    ['bahdanau, shared embeddings', { shareEmbeddings: true }],
  ];
  for (const [name, extra] of variants) {
    it(`the reverse task with ${name}`, async () => {
      const m = small(extra);
      await m.fit(task('reverse', 400, 3), { epochs: 25, batchSize: 32, learningRate: 0.01 });
      expect(m.history.at(-1)?.loss).toBeLessThan(0.1 * (m.history[0]?.loss as number));
      expect(exactMatch(m, task('reverse', 40, 98))).toBeGreaterThanOrEqual(0.9);
      m.dispose();
    });
  }
});

describe('Seq2Seq data-parallel training', () => {
  it('learns the reverse task on 2 worker threads and hands the weights back to the model', async () => {
    const m = small();
    await m.fit(task('reverse', 400, 3), { epochs: 30, batchSize: 32, learningRate: 0.01, workers: 2 });
    expect(m.history.at(-1)?.loss).toBeLessThan(0.05);
    expect(exactMatch(m, task('reverse', 60, 99))).toBeGreaterThanOrEqual(0.95);
    m.dispose();
  });
});

describe('Seq2Seq behaviour', () => {
  it('beam search with beamSize 1 equals greedy on a trained model; attention rows sum to 1', async () => {
    const m = small();
    await m.fit(task('reverse', 200, 5), { epochs: 4, batchSize: 32, learningRate: 0.01 });
    const texts = task('reverse', 20, 7).map((p) => p.source);
    const g = m.summarize(texts);
    const b = m.summarize(texts, { beamSize: 1, noRepeatNgramSize: 0 });
    expect(b.map((x) => x.text)).toEqual(g.map((x) => x.text));
    for (const s of g) {
      expect(s.attention.length).toBeGreaterThanOrEqual(s.tokens.length);
      for (const row of s.attention) {
        expect(row.length).toBe(s.sourceTokens.length);
        expect(row.reduce((x, y) => x + y, 0)).toBeCloseTo(1, 4);
      }
    }
    m.dispose();
  });

  it('early stopping restores the best epoch and validation loss is recorded', async () => {
    const m = small();
    await m.fit(task('copy', 200, 5), { epochs: 6, batchSize: 32, learningRate: 0.01, validation: 0.2, earlyStopping: { patience: 0 } });
    expect(m.history.every((r) => typeof r.valLoss === 'number')).toBe(true);
    const ev = m.evaluate(task('copy', 30, 8), { rouge: true });
    expect(ev.perplexity).toBeCloseTo(Math.exp(ev.loss), 6);
    expect(ev.rouge?.rouge1.f).toBeGreaterThan(0);
    m.dispose();
  });

  it('save/load round trip gives identical outputs', async () => {
    const m = small({ attention: 'luong-general', bidirectional: true });
    await m.fit(task('reverse', 100, 5), { epochs: 2, batchSize: 32 });
    const dir = mkdtempSync(join(tmpdir(), 's2s-'));
    await m.save(dir);
    const back = await Seq2Seq.load(dir);
    const texts = task('reverse', 10, 3).map((p) => p.source);
    expect(back.config).toEqual(m.config);
    expect(back.summarize(texts, { beamSize: 2 }).map((s) => [s.text, s.score.toFixed(5)])).toEqual(
      m.summarize(texts, { beamSize: 2 }).map((s) => [s.text, s.score.toFixed(5)]),
    );
    m.dispose();
    back.dispose();
  });

  it('refuses a vocabulary that does not match the saved weights, and corrupt files', async () => {
    const m = small();
    const dir = mkdtempSync(join(tmpdir(), 's2s-'));
    await m.save(dir);
    writeFileSync(join(dir, 'target-vocab.json'), JSON.stringify(Vocabulary.fromWords([...WORDS, 'extra']).toJSON()));
    await expect(Seq2Seq.load(dir)).rejects.toThrow(/target-vocab.json must be the target vocabulary these weights were trained with/);
    // A file saved before fingerprints existed: the sizes still catch a vocabulary of another size.
    const legacy = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
    delete legacy.vocabularies;
    writeFileSync(join(dir, 'config.json'), JSON.stringify(legacy));
    await expect(Seq2Seq.load(dir)).rejects.toThrow(
      /weights.bin must be \d+ float32 values for this configuration and these vocabularies \(a vocabulary that does not match/,
    );
    await m.save(dir);
    const bytes = readFileSync(join(dir, 'weights.bin'));
    writeFileSync(join(dir, 'weights.bin'), bytes.subarray(0, 100));
    await expect(Seq2Seq.load(dir)).rejects.toThrow(/weights.bin must be \d+ float32 values .*, got "25 values"/);
    writeFileSync(join(dir, 'weights.bin'), bytes);
    const meta = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
    meta.config.hiddenSize = 1e9;
    writeFileSync(join(dir, 'config.json'), JSON.stringify(meta));
    // Refused by the size bound before anything is allocated.
    await expect(Seq2Seq.load(dir)).rejects.toThrow(/hiddenSize must be an integer in 1..8192, got 1000000000/);
    writeFileSync(join(dir, 'config.json'), '{"format":"other"}');
    await expect(Seq2Seq.load(dir)).rejects.toThrow(/config.json must be a "aiffel-seq2seq" model file/);
    // Same size, other order (or the other side's vocabulary): every shape agrees, so only the
    // fingerprint in config.json can tell. It loaded and read every word as another.
    await m.save(dir);
    const reordered = ['b', 'a', ...WORDS.slice(2)];
    writeFileSync(join(dir, 'target-vocab.json'), JSON.stringify(Vocabulary.fromWords(reordered).toJSON()));
    await expect(Seq2Seq.load(dir)).rejects.toThrow(
      /target-vocab.json must be the target vocabulary these weights were trained with \(fingerprint \d+:[0-9a-f]{8}\): the files were swapped, reordered or edited, got "fingerprint/,
    );
    expect(Vocabulary.fromWords(reordered).fingerprint()).not.toBe(vocab.fingerprint());
    expect(Vocabulary.fromWords([...WORDS]).fingerprint()).toBe(vocab.fingerprint());
    // A cut file names itself instead of a bare SyntaxError.
    await m.save(dir);
    writeFileSync(join(dir, 'config.json'), readFileSync(join(dir, 'config.json'), 'utf8').slice(0, 50));
    await expect(Seq2Seq.load(dir)).rejects.toThrow(/Seq2Seq.load: .*config.json is not valid JSON \(a truncated or edited file\?\)/);
    writeFileSync(join(dir, 'source-vocab.json'), '{"format": ');
    await expect(Vocabulary.load(join(dir, 'source-vocab.json'))).rejects.toThrow(/Vocabulary.load: .*source-vocab.json is not valid JSON/);
    m.dispose();
  });

  it('long inputs: truncate warns, error throws, chunk summarises every window', () => {
    const m = small();
    const long = Array.from({ length: 20 }, (_, i) => WORDS[i % 8]).join(' ');
    const warnings: string[] = [];
    const [t] = m.summarize([long], { onWarning: (w) => warnings.push(w) });
    expect(t?.truncated).toBe(true);
    expect(t?.sourceTokens).toHaveLength(6);
    expect(warnings[0]).toMatch(/1 of 1 inputs are longer than maxSourceLength 6 and were truncated/);
    expect(() => m.summarize([long], { longInput: 'error' })).toThrow(/texts\[0\] must be at most maxSourceLength \(6\) tokens/);
    const [c] = m.summarize([long], { longInput: 'chunk', onWarning: () => {} });
    expect(c?.truncated).toBe(true);
    expect(typeof c?.text).toBe('string');
    m.dispose();
  });

  it('fit reports truncated targets instead of cutting silently', async () => {
    const m = small({ maxTargetLength: 3 });
    const warnings: string[] = [];
    await m.fit([{ source: 'a b', target: 'a b c d' }], { epochs: 1, onWarning: (w) => warnings.push(w) });
    expect(warnings.join('\n')).toMatch(/1 of 1 targets .* longer than maxTargetLength 3/);
    m.dispose();
  });

  it('does not leak tensors across summarize and evaluate calls', async () => {
    const m = small();
    const texts = ['a b c', 'd e f g'];
    m.summarize(texts, { beamSize: 3 });
    const before = tf.memory().numTensors;
    m.summarize(texts, { beamSize: 3 });
    m.summarize(texts);
    m.evaluate([{ source: 'a b', target: 'b a' }]);
    expect(tf.memory().numTensors).toBe(before);
    m.dispose();
  });

  it('rejects bad input with named errors', async () => {
    expect(() => new Seq2Seq({ sourceVocab: vocab } as never)).toThrow(/targetVocab must be a Vocabulary/);
    expect(() => small({ hiddenSize: 0 })).toThrow(/hiddenSize must be an integer in 1..8192, got 0/);
    // Absurd sizes (a mistyped option, a tampered model file) are refused before anything is allocated.
    expect(() => small({ hiddenSize: 1e8 })).toThrow(/hiddenSize must be an integer in 1..8192, got 100000000/);
    expect(() => small({ maxTargetLength: 1e9 })).toThrow(/maxTargetLength must be an integer in 1..4096/);
    expect(() => small({ encoderLayers: 1000 })).toThrow(/encoderLayers must be an integer in 1..64/);
    expect(() => small({ attention: 'dot' })).toThrow(/attention must be 'bahdanau'/);
    expect(() => small({ attention: 'luong-dot', bidirectional: true })).toThrow(/with a bidirectional encoder/);
    expect(() => small({ dropuot: 0.1 })).toThrow(/unknown option "dropuot"/);
    expect(() => new Seq2Seq({ sourceVocab: vocab, targetVocab: Vocabulary.fromWords(['x']), shareEmbeddings: true })).toThrow(
      /shareEmbeddings must be used with identical/,
    );
    const m = small();
    await expect(m.fit([], {})).rejects.toThrow(/pairs must be a non-empty array/);
    await expect(m.fit([{ source: 'a', target: '' }])).rejects.toThrow(/pairs\[0\].target must be a non-empty string/);
    await expect(m.fit([{ source: 'a', target: 'b' }], { epochs: 0 })).rejects.toThrow(/epochs must be a positive integer/);
    await expect(m.fit([{ source: 'a', target: 'b' }], { workers: 0 })).rejects.toThrow(/workers must be a positive integer, got 0/);
    await expect(m.fit([{ source: 'a', target: 'b' }], { validation: 1.5 })).rejects.toThrow(/validation must be a fraction in \(0, 1\)/);
    expect(() => m.summarize([''])).toThrow(/texts\[0\] must be a text with at least one word/);
    expect(() => m.summarize([7 as unknown as string])).toThrow(/texts\[0\] must be a string/);
    expect(() => m.summarize(['a'], { longInput: 'drop' as 'error' })).toThrow(/longInput must be 'truncate', 'chunk' or 'error'/);
    expect(() => m.summarize(['a'], { maxLength: 1e6 })).toThrow(/maxLength must be an integer in 1..4096, got 1000000/);
    expect(() => m.summarize(['a'], { beamSize: 1e6 })).toThrow(/beamSize must be an integer in 1..1024/);
    m.dispose();
  });
});
