import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng, ready, tf } from '@aiffel/runtime';
import type { Tensor, Tensor1D, Tensor2D, Tensor3D } from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { type AttentionKind, attentionHeatmapSvg, copyMixtureLoss, coverageLoss, Seq2Seq, type TextPair, Vocabulary } from '../src/index.js';
import { resolveConfig } from '../src/model/config.js';
import { extendSources } from '../src/model/extended-vocab.js';
import { encode } from '../src/model/network.js';
import { initParams, paramSpecs } from '../src/model/params.js';
import { ModelStepper } from '../src/model/stepper.js';

beforeAll(async () => {
  await ready();
});

describe('copyMixtureLoss', () => {
  const [N, V] = [7, 5];
  // 5 and 6 are out-of-vocabulary words (copy only); 0 is padding (weight 0).
  const targets = Int32Array.from([1, 4, 5, 0, 2, 6, 3]);
  const weights = Float32Array.from(targets, (t) => (t === 0 ? 0 : 1));
  let logits: Tensor2D;
  let gate: Tensor1D;
  let copyMass: Tensor1D;
  beforeAll(() => {
    logits = tf.randomNormal([N, V], 0, 1.5, 'float32', 21) as Tensor2D;
    gate = tf.randomNormal([N], 0, 1, 'float32', 22) as Tensor1D;
    copyMass = tf.randomUniform([N], 0.05, 0.9, 'float32', 23) as Tensor1D;
  });
  // The same formula from tf ops, differentiated by autodiff.
  const reference = (l: Tensor, g: Tensor, c: Tensor): Tensor => {
    const inVocab = tf.tensor1d(Float32Array.from(targets, (t) => (t < V ? 1 : 0)));
    const py = tf.mul(
      tf.sum(
        tf.mul(
          tf.softmax(l),
          tf.oneHot(
            tf.tensor1d(
              Int32Array.from(targets, (t) => (t < V ? t : 0)),
              'int32',
            ),
            V,
          ),
        ),
        1,
      ),
      inVocab,
    );
    const pg = tf.sigmoid(g);
    const P = tf.add(tf.add(tf.mul(pg, py), tf.mul(tf.sub(1, pg), c)), 1e-10);
    return tf.div(tf.neg(tf.sum(tf.mul(tf.log(P), tf.tensor1d(weights)))), 6);
  };
  const ours = (l: Tensor, g: Tensor, c: Tensor): Tensor => copyMixtureLoss(l as Tensor2D, g as Tensor1D, c as Tensor1D, targets, weights);

  it('equals the composed formula, and its hand-derived gradients equal autodiff', () => {
    expect(ours(logits, gate, copyMass).dataSync()[0]).toBeCloseTo(reference(logits, gate, copyMass).dataSync()[0] as number, 5);
    const mine = tf.grads(ours)([logits, gate, copyMass]);
    const auto = tf.grads(reference)([logits, gate, copyMass]);
    mine.forEach((g, i) => {
      expect(tf.max(tf.abs(tf.sub(g, auto[i] as Tensor))).dataSync()[0]).toBeLessThan(1e-5);
    });
  });

  it('has the gradients finite differences give', () => {
    const eps = 1e-2;
    const inputs = [logits, gate, copyMass];
    const grads = tf
      .grads(ours)(inputs)
      .map((g) => g.dataSync());
    inputs.forEach((x, which) => {
      const base = x.dataSync() as Float32Array;
      for (const k of which === 0 ? [0, 4, 9, 17, 33] : [0, 2, 5, 6]) {
        const at = (delta: number): number => {
          const v = Float32Array.from(base);
          v[k] = (v[k] as number) + delta;
          const args = inputs.map((t, j) => (j === which ? tf.tensor(v, x.shape) : t));
          return ours(args[0] as Tensor, args[1] as Tensor, args[2] as Tensor).dataSync()[0] as number;
        };
        const fd = (at(eps) - at(-eps)) / (2 * eps);
        expect(Math.abs(fd - ((grads[which] as Float32Array)[k] as number))).toBeLessThan(2e-3 + 1e-2 * Math.abs(fd));
      }
    });
  });

  it('gives zero gradient to the logits of a target only copying can produce, and to padding', () => {
    const [dl] = tf.grads(ours)([logits, gate, copyMass]);
    const d = (dl as Tensor).dataSync();
    for (const row of [2, 3, 5]) for (let j = 0; j < V; j++) expect(d[row * V + j]).toBe(0);
  });
});

describe('coverageLoss', () => {
  it('is zero when no two steps attend to the same source position', () => {
    const w = tf.tensor3d([
      [
        [1, 0, 0],
        [0, 1, 0],
        [0, 0, 1],
      ],
    ]) as Tensor3D;
    expect(Array.from(coverageLoss(w).dataSync())).toEqual([0, 0, 0]);
  });

  it('sums min(attention, coverage so far) per step', () => {
    const w = tf.tensor3d([
      [
        [0.5, 0.5, 0],
        [0.25, 0.5, 0.25],
        [0, 1, 0],
      ],
    ]) as Tensor3D;
    // step 2: coverage [0.5, 0.5, 0] -> 0.25 + 0.5 + 0; step 3: coverage [0.75, 1, 0.25] -> 1
    const got = Array.from(coverageLoss(w).dataSync());
    [0, 0.75, 1].forEach((want, i) => {
      expect(got[i]).toBeCloseTo(want, 6);
    });
  });
});

describe('the copy distribution', () => {
  for (const attention of ['bahdanau', 'luong-dot', 'luong-general'] as AttentionKind[]) {
    it(`sums to one over the extended vocabulary (${attention}, with coverage), rows without a word give it probability 0`, () => {
      const vocab = Vocabulary.fromWords('a b c d'.split(' '));
      const config = resolveConfig({
        embeddingDim: 8,
        hiddenSize: 12,
        encoderLayers: 1,
        attention,
        maxSourceLength: 6,
        maxTargetLength: 4,
        copy: true,
        coverage: true,
      });
      const params = initParams(paramSpecs(config, vocab.size, vocab.size), 3);
      const texts = ['a zed b yak', 'c d xu'];
      const batch = { ...padded(vocab, texts, 6), rows: 2, steps: 6 };
      const ext = extendSources(texts, vocab, 6);
      expect(ext.oovs).toEqual([['zed', 'yak'], ['xu']]);
      const enc = encode(config, params, batch);
      const stepper = new ModelStepper(config, params, enc, 2, vocab.size, ext);
      expect(stepper.vocabSize).toBe(vocab.size + 2);
      let last = Int32Array.from([2, 2, 2, 2]);
      for (let step = 0; step < 3; step++) {
        const out = stepper.step(last, Int32Array.from([0, 1, 2, 3]));
        for (let r = 0; r < 4; r++) {
          let sum = 0;
          for (let w = 0; w < stepper.vocabSize; w++) sum += Math.exp(out.logProbs[r * stepper.vocabSize + w] as number);
          expect(sum).toBeCloseTo(1, 5);
          const pg = out.pGen?.[r] as number;
          expect(pg).toBeGreaterThan(0);
          expect(pg).toBeLessThan(1);
        }
        // The second input has one OOV word: the extended slot V + 1 is not a word for it.
        expect(out.logProbs[2 * stepper.vocabSize + vocab.size + 1]).toBe(Number.NEGATIVE_INFINITY);
        // A copied OOV word fed back (vocab.size) reads as UNK.
        last = Int32Array.from([vocab.size, 4, vocab.size, 5]);
      }
      stepper.dispose();
    });
  }
});

function padded(vocab: Vocabulary, texts: string[], S: number): { ids: Int32Array; lengths: Int32Array } {
  const ids = new Int32Array(texts.length * S);
  const lengths = new Int32Array(texts.length);
  texts.forEach((t, r) => {
    const e = vocab.encode(t);
    ids.set(e, r * S + S - e.length);
    lengths[r] = e.length;
  });
  return { ids, lengths };
}

/**
 * "Repeat the third word": every answer is a word neither vocabulary has (the held-out rows use
 * words never seen in training), so only copying can produce it.
 */
function thirdWordTask(n: number, seed: number, prefix: string): TextPair[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => {
    const words = Array.from({ length: 5 }, () => `${prefix}${Math.floor(rng.random() * 400)}`);
    return { source: words.join(' '), target: words[2] as string };
  });
}

describe('Seq2Seq with copy', () => {
  const specials = Vocabulary.fromWords([]);
  const make = (copy: boolean, extra: Record<string, unknown> = {}): Seq2Seq =>
    new Seq2Seq({
      sourceVocab: specials,
      targetVocab: specials,
      embeddingDim: 16,
      hiddenSize: 32,
      encoderLayers: 1,
      dropout: 0,
      maxSourceLength: 5,
      maxTargetLength: 2,
      seed: 2,
      copy,
      ...extra,
    });
  const exact = (m: Seq2Seq, pairs: TextPair[], beamSize = 1): number =>
    m
      .summarize(
        pairs.map((p) => p.source),
        { beamSize, allowUnknown: true },
      )
      .filter((s, i) => s.text === pairs[i]?.target).length / pairs.length;

  for (const [attention, bidirectional] of [
    ['bahdanau', false],
    ['luong-general', true],
  ] as [AttentionKind, boolean][]) {
    it(`repeats the third word, out of vocabulary, on unseen words with copying (${attention}${bidirectional ? ', bidirectional' : ''}) and not without`, async () => {
      const train = thirdWordTask(600, 1, 'w');
      const test = thirdWordTask(60, 2, 'z');
      const m = make(true, { attention, bidirectional });
      await m.fit(train, { epochs: 12, batchSize: 32, learningRate: 0.02 });
      expect(exact(m, test)).toBe(1);
      expect(exact(m, test, 3)).toBe(1);
      const s = m.summarize([test[0]?.source as string])[0];
      expect(s?.copied).toEqual([true]);
      expect(s?.pGen?.[0]).toBeLessThan(0.5);
      m.dispose();
      const plain = make(false, { attention, bidirectional });
      await plain.fit(train, { epochs: 3, batchSize: 32, learningRate: 0.02 });
      expect(exact(plain, test)).toBe(0);
      plain.dispose();
    });
  }

  it('trains with copy and coverage on 2 worker threads and round-trips through save/load: same outputs, copied marks and p_gen, drawn in the heatmap', async () => {
    const train = thirdWordTask(300, 3, 'w');
    const m = make(true, { coverage: true, maxTargetLength: 3 });
    await m.fit(
      train.map((p) => ({ source: p.source, target: `${p.target} ${p.source.split(' ')[3]}` })),
      { epochs: 4, batchSize: 32, learningRate: 0.02, coverageLossWeight: 1, workers: 2 },
    );
    expect(m.history.at(-1)?.loss).toBeLessThan(m.history[0]?.loss as number);
    const dir = mkdtempSync(join(tmpdir(), 'seq2seq-copy-'));
    await m.save(dir);
    const back = await Seq2Seq.load(dir);
    expect(back.config.copy).toBe(true);
    expect(back.config.coverage).toBe(true);
    const texts = thirdWordTask(8, 4, 'q').map((p) => p.source);
    const strip = (s: ReturnType<Seq2Seq['summarize']>) => s.map((x) => [x.text, x.score.toFixed(5), x.copied, x.pGen?.map((p) => p.toFixed(5))]);
    expect(strip(back.summarize(texts, { beamSize: 2, allowUnknown: true }))).toEqual(strip(m.summarize(texts, { beamSize: 2, allowUnknown: true })));
    const s = m.summarize([texts[0] as string], { allowUnknown: true })[0] as ReturnType<Seq2Seq['summarize']>[number];
    const words = s.text.split(' ');
    const svg = attentionHeatmapSvg({ sourceTokens: s.sourceTokens, outputTokens: words, attention: s.attention.slice(0, words.length), copied: s.copied });
    expect(svg.split('class="copied"').length - 1).toBe(s.copied?.filter(Boolean).length);
    expect(s.copied?.length).toBe(words.length);
    expect(() => attentionHeatmapSvg({ sourceTokens: ['a'], outputTokens: ['x'], attention: [[1]], copied: [true, false] })).toThrow(
      /copied must be an array of at most 1 booleans \(one per output token\)/,
    );
    m.dispose();
    back.dispose();
  });

  it('rejects a bad coverageLossWeight and copy/coverage that are not booleans', async () => {
    const m = make(true, { coverage: true });
    await expect(m.fit(thirdWordTask(10, 1, 'w'), { coverageLossWeight: -1 })).rejects.toThrow(/coverageLossWeight must be a finite number >= 0, got -1/);
    expect(() => make(true, { copy: 'yes' })).toThrow(/copy must be a boolean/);
    expect(() => make(true, { coverage: 1 })).toThrow(/coverage must be a boolean/);
    m.dispose();
  });
});
