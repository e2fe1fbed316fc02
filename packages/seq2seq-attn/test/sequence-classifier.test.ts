// Workers run the built task (dist/sequence-task.js), so this suite uses the package as published.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng, ready } from '@aiffel/runtime';
import { SequenceClassifier } from '@aiffel/seq2seq-attn';
import { beforeAll, describe, expect, it } from 'vitest';

beforeAll(async () => {
  await ready();
});

/**
 * Three classes of 2-channel windows that only order in time separates: a rising ramp, a falling
 * ramp, and a burst in the middle, all with the same per-window mean and noise.
 */
function windows(n: number, seed: number, T = 24) {
  const rng = new Rng(seed);
  const data = new Float32Array(n * T * 2);
  const labels: string[] = [];
  for (let i = 0; i < n; i++) {
    const k = i % 3;
    labels.push(['rise', 'fall', 'burst'][k] as string);
    for (let t = 0; t < T; t++) {
      const u = t / (T - 1);
      const v = k === 0 ? u - 0.5 : k === 1 ? 0.5 - u : Math.abs(u - 0.5) < 0.15 ? 1.2 : -0.2;
      data[(i * T + t) * 2] = v + 0.15 * rng.normal();
      data[(i * T + t) * 2 + 1] = 0.3 * rng.normal();
    }
  }
  return { x: { data, shape: [n, T, 2] }, labels };
}

describe('SequenceClassifier', () => {
  it('learns temporal patterns to high held-out accuracy, with attention pooling', async () => {
    const train = windows(300, 1);
    const test = windows(90, 2);
    const m = new SequenceClassifier<string>({ hiddenSize: 16, attentionDim: 8, seed: 3 });
    await m.fit(train.x, train.labels, { epochs: 25, batchSize: 32, learningRate: 1e-2, validation: 0.2 });
    const r = m.evaluate(test.x, test.labels);
    expect(r.accuracy).toBeGreaterThan(0.95);
    expect(r.classes).toEqual(['burst', 'fall', 'rise']);
    const attn = m.attention({ data: test.x.data.subarray(0, 24 * 2), shape: [1, 24, 2] });
    expect(attn[0]?.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
    expect(m.log?.epochs.length).toBeGreaterThan(0);
  });

  it('trains on two worker threads to the same kind of model (bidirectional, conv front end, last-state pooling)', async () => {
    const train = windows(240, 4);
    const test = windows(90, 5);
    const m = new SequenceClassifier<string>({ hiddenSize: 12, bidirectional: true, convFilters: 8, convKernel: 3, pooling: 'last', seed: 1 });
    await m.fit(train.x, train.labels, { epochs: 25, batchSize: 32, learningRate: 1e-2, workers: 2, classWeight: 'balanced' });
    expect(m.evaluate(test.x, test.labels).accuracy).toBeGreaterThan(0.9);
    // Save / load round trip gives the same probabilities.
    const dir = mkdtempSync(join(tmpdir(), 'seqclf-'));
    await m.save(dir);
    const back = await SequenceClassifier.load<string>(dir);
    expect(Array.from(back.predictProba(test.x))).toEqual(Array.from(m.predictProba(test.x)));
    // A tampered weights file is refused before use.
    writeFileSync(join(dir, 'weights.bin'), readFileSync(join(dir, 'weights.bin')).subarray(8));
    await expect(SequenceClassifier.load(dir)).rejects.toThrow(/weights.bin must be \d+ bytes for this configuration/);
  });

  it('refuses ragged windows, NaN, a wrong channel count and unknown labels by name', async () => {
    const ok = windows(12, 7, 8);
    const m = new SequenceClassifier<string>({ hiddenSize: 4 });
    await expect(
      m.fit(
        [
          [
            [1, 2],
            [3, 4],
          ],
          [[1, 2]],
        ],
        ['a', 'b'],
      ),
    ).rejects.toThrow(/x\[1\] must be a window of 2 time steps/);
    await expect(
      m.fit(
        [
          [[1, 2], [3]],
          [
            [1, 2],
            [3, 4],
          ],
        ],
        ['a', 'b'],
      ),
    ).rejects.toThrow(/x\[0\]\[1\] must be 2 channel values/);
    const nan = Float32Array.from(ok.x.data);
    nan[17] = Number.NaN;
    await expect(m.fit({ data: nan, shape: ok.x.shape }, ok.labels)).rejects.toThrow(
      /x must be finite values \(fill gaps first\), got "NaN in window 1, step 0, channel 1"/,
    );
    await expect(m.fit(ok.x, ok.labels.slice(1))).rejects.toThrow(/labels length must be 12/);
    expect(() => m.predict(ok.x)).toThrow(/call fit\(\) or load\(\) first/);
    await m.fit(ok.x, ok.labels, { epochs: 1 });
    expect(() => m.predict({ data: new Float32Array(8 * 3), shape: [1, 8, 3] })).toThrow(/x channels must be 2 \(as the model was trained on\)/);
    expect(() =>
      m.evaluate(
        ok.x,
        ok.labels.map((l, i) => (i === 3 ? 'walk' : l)),
      ),
    ).toThrow(/labels\[3\] must be one of the training classes/);
    // A refit that is refused or aborted leaves the fitted model as it was.
    const before = Array.from(m.predictProba(ok.x));
    await expect(m.fit(ok.x, ok.labels, { validation: { x: ok.x, y: ok.labels.map(() => 'walk') } })).rejects.toThrow(
      /validation.y\[0\] must be one of the training classes/,
    );
    await expect(m.fit(ok.x, ok.labels, { epochs: 3, signal: AbortSignal.abort() })).rejects.toThrow(/abort/i);
    expect(Array.from(m.predictProba(ok.x))).toEqual(before);
    expect(() => new SequenceClassifier({ pooling: 'max' as 'last' })).toThrow(/pooling must be 'attention' or 'last'/);
    expect(() => new SequenceClassifier({ hidden: 3 } as never)).toThrow(/unknown option "hidden"/);
    await expect(m.fit(ok.x, ok.labels, { epoch: 1 } as never)).rejects.toThrow(/unknown option "epoch"/);
  });
});
