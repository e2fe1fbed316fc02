import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { MLPClassifier, MLPRegressor, Rng, ready, stepDecay } from '../src/index.js';

beforeAll(async () => {
  await ready();
});

/** y = sin(x0) + x1^2 on [-2, 2]^2, a smooth non-linear target (+ a constant column). */
function curve(n: number, seed: number) {
  const rng = new Rng(seed);
  const X: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const a = rng.uniform(-2, 2);
    const b = rng.uniform(-2, 2);
    X.push([a, b * 100, 5]); // large-scale column: standardisation must handle it
    y.push(Math.sin(a) + b * b);
  }
  return { X, y };
}

/** Three classes by angle around the origin (not linearly separable into one side). */
function rings(n: number, seed: number, weights = [1, 1, 1]) {
  const rng = new Rng(seed);
  const X: number[][] = [];
  const labels: string[] = [];
  const total = weights.reduce((a, b) => a + b, 0);
  for (let i = 0; i < n; i++) {
    const u = rng.random() * total;
    const c = u < (weights[0] as number) ? 0 : u < (weights[0] as number) + (weights[1] as number) ? 1 : 2;
    const r = 1 + c + rng.normal(0, 0.15);
    const t = rng.uniform(0, 2 * Math.PI);
    X.push([r * Math.cos(t), r * Math.sin(t)]);
    labels.push(['inner', 'middle', 'outer'][c] as string);
  }
  return { X, labels };
}

describe('MLPRegressor', () => {
  it('learns a non-linear function (held-out R² > 0.98) and round-trips through save / load', async () => {
    const train = curve(800, 1);
    const test = curve(200, 2);
    const m = await new MLPRegressor({ hiddenLayerSizes: [32, 32], learningRate: 0.01, epochs: 150, batchSize: 32, patience: 15, seed: 3 }).fit(
      train.X,
      train.y,
    );
    expect(m.score(test.X, test.y)).toBeGreaterThan(0.98);
    expect(m.log?.epochs.length).toBeGreaterThan(5);
    const dir = mkdtempSync(join(tmpdir(), 'mlp-'));
    await m.save(join(dir, 'reg.mlp'));
    const back = await MLPRegressor.load(join(dir, 'reg.mlp'));
    expect(Array.from(back.predict(test.X))).toEqual(Array.from(m.predict(test.X)));
    expect(readdirSync(dir)).toEqual(['reg.mlp']);
  });

  it('is reproducible for a seed, and batch norm + dropout + a schedule train too', async () => {
    const train = curve(200, 4);
    const fit = () => new MLPRegressor({ hiddenLayerSizes: [16], epochs: 5, seed: 7 }).fit(train.X, train.y);
    const [a, b] = await Promise.all([fit(), fit()]);
    expect(Array.from(a.predict(train.X.slice(0, 5)))).toEqual(Array.from(b.predict(train.X.slice(0, 5))));
    const bn = await new MLPRegressor({
      hiddenLayerSizes: [32, 16],
      batchNorm: true,
      dropout: 0.1,
      epochs: 60,
      learningRate: 0.01,
      schedule: stepDecay(0.01, 20, 0.5),
      seed: 1,
    }).fit(train.X, train.y);
    expect(bn.score(train.X, train.y)).toBeGreaterThan(0.8);
    expect(bn.log?.epochs[0]?.learningRate).toBe(0.01);
  });

  it('refuses bad options, bad data and tampered files by name', async () => {
    expect(() => new MLPRegressor({ hiddenLayerSizes: [0] })).toThrow(/options.hiddenLayerSizes must be an array of integers in \[1, 65536\]/);
    expect(() => new MLPRegressor({ activation: 'swish' as 'relu' })).toThrow(/options.activation/);
    expect(() => new MLPRegressor({ dropout: 1 })).toThrow(/options.dropout must be a number in \[0, 1\)/);
    expect(() => new MLPRegressor({ loss: 'hinge' as 'mse' })).toThrow(/options.loss must be 'mse', 'mae' or 'huber'/);
    expect(() => new MLPRegressor({ epoch: 3 } as never)).toThrow(/unknown option "epoch"/);
    const m = new MLPRegressor({ epochs: 2 });
    expect(() => m.predict([[1, 2]])).toThrow(/call fit\(\) before predicting/);
    await expect(
      m.fit(
        [
          [1, 2],
          [3, 4],
        ],
        [1],
      ),
    ).rejects.toThrow(/y length must be 2/);
    await expect(m.fit([[1, Number.NaN]], [1])).rejects.toThrow(/X must be finite values/);
    await m.fit(
      [
        [1, 2],
        [3, 4],
        [5, 7],
      ],
      [1, 2, 3],
    );
    expect(() => m.predict([[1, 2, 3]])).toThrow(/X columns must be 2 \(as in fit\)/);
    const dir = mkdtempSync(join(tmpdir(), 'mlp-bad-'));
    await m.save(join(dir, 'm.mlp'));
    await expect(MLPClassifier.load(join(dir, 'm.mlp'))).rejects.toThrow(/kind must be 'classifier'/);
    const bytes = readFileSync(join(dir, 'm.mlp'));
    writeFileSync(join(dir, 'cut.mlp'), bytes.subarray(0, bytes.length - 4));
    await expect(MLPRegressor.load(join(dir, 'cut.mlp'))).rejects.toThrow(/truncated/);
  });
});

describe('MLPClassifier', () => {
  it('separates three rings with softmax + cross-entropy (held-out accuracy > 0.95), probabilities sum to 1', async () => {
    const train = rings(900, 5);
    const test = rings(300, 6);
    const m = await new MLPClassifier<string>({ hiddenLayerSizes: [32, 16], learningRate: 0.01, epochs: 100, seed: 2 }).fit(train.X, train.labels);
    expect(m.classes).toEqual(['inner', 'middle', 'outer']);
    expect(m.score(test.X, test.labels)).toBeGreaterThan(0.95);
    const p = m.predictProba(test.X.slice(0, 10));
    for (let i = 0; i < 10; i++) expect((p[3 * i] as number) + (p[3 * i + 1] as number) + (p[3 * i + 2] as number)).toBeCloseTo(1, 6);
    const dir = mkdtempSync(join(tmpdir(), 'mlp-c-'));
    await m.save(join(dir, 'c.mlp'));
    const back = await MLPClassifier.load<string>(join(dir, 'c.mlp'));
    expect(back.predict(test.X)).toEqual(m.predict(test.X));
  });

  it('is binary with one sigmoid output, and class weights lift the minority class recall', async () => {
    // 'inner' (5%) against the rest: an imbalanced binary task.
    const data = rings(1200, 8, [0.05, 0.5, 0.45]);
    const labels = data.labels.map((l) => (l === 'inner' ? 1 : 0));
    const recall = (m: MLPClassifier<number>) => {
      const pred = m.predict(data.X);
      const pos = labels.filter((l) => l === 1).length;
      return pred.filter((p, i) => p === 1 && labels[i] === 1).length / pos;
    };
    const opts = { hiddenLayerSizes: [8], epochs: 8, learningRate: 0.003, validationFraction: 0, seed: 1 };
    const plain = await new MLPClassifier<number>(opts).fit(data.X, labels);
    const weighted = await new MLPClassifier<number>({ ...opts, classWeight: 'balanced' }).fit(data.X, labels);
    expect(plain.classes).toEqual([0, 1]);
    expect(plain.predictProba(data.X.slice(0, 3))).toHaveLength(6);
    expect(recall(weighted)).toBeGreaterThan(recall(plain));
    expect(() => new MLPClassifier({ classWeight: { a: -1 } })).toThrow(/options.classWeight.a must be a positive finite number/);
    await expect(new MLPClassifier({ classWeight: { 0: 1 } }).fit(data.X, labels)).rejects.toThrow(/options.classWeight.1 must be a weight for every class/);
    await expect(new MLPClassifier().fit([[1], [2]], ['a', 'a'])).rejects.toThrow(/labels must be at least 2 distinct classes/);
    await expect(new MLPClassifier().fit([[1], [2]], ['a', 2] as never)).rejects.toThrow(/labels must be labels of one type/);
  });
});
