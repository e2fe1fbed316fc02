import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { classificationReport, FaceClassifier, TwoStageClassifier } from '../src/index.js';
import { randomVectors } from './helpers.js';

/** Gaussian-ish blobs around well separated centres in 16 dimensions. */
function blobs(classes: string[], perClass: number, seed: number) {
  const dim = 16;
  const x: Float32Array[] = [];
  const labels: string[] = [];
  const noise = randomVectors(classes.length * perClass, dim, seed);
  classes.forEach((c, ci) => {
    for (let i = 0; i < perClass; i++) {
      const v = noise.slice((ci * perClass + i) * dim, (ci * perClass + i + 1) * dim);
      v[ci % dim] = (v[ci % dim] as number) + 4;
      x.push(v);
      labels.push(c);
    }
  });
  return { x, labels };
}

describe('FaceClassifier', () => {
  it('learns a separable 4-class set to 100% held-out accuracy (softmax, hidden layer)', async () => {
    const train = blobs(['a', 'b', 'c', 'd'], 40, 1);
    const test = blobs(['a', 'b', 'c', 'd'], 20, 2);
    for (const hidden of [0, 16]) {
      const clf = await new FaceClassifier({ hidden, seed: 3 }).fit(train.x, train.labels);
      const report = clf.evaluate(test.x, test.labels);
      expect(report.accuracy).toBe(1);
      expect(report.perClass.map((p) => p.recall)).toEqual([1, 1, 1, 1]);
      expect(clf.history.length).toBeGreaterThan(1);
    }
  });

  it('uses one sigmoid output for two classes, with probabilities summing to 1', async () => {
    const train = blobs(['female', 'male'], 30, 4);
    const clf = await new FaceClassifier({ seed: 1 }).fit(train.x, train.labels);
    const p = clf.predictProba(train.x.slice(0, 3));
    for (const row of p) expect((row[0] as number) + (row[1] as number)).toBeCloseTo(1, 12);
    expect(clf.toJSON().params).toMatchObject({ b2: [expect.any(Number)] });
    expect(clf.evaluate(train.x, train.labels).accuracy).toBe(1);
  });

  it('is deterministic for a seed and round-trips through save/load', async () => {
    const train = blobs(['a', 'b', 'c'], 20, 5);
    const a = await new FaceClassifier({ hidden: 8, seed: 7 }).fit(train.x, train.labels);
    const b = await new FaceClassifier({ hidden: 8, seed: 7 }).fit(train.x, train.labels);
    expect(a.toJSON()).toEqual(b.toJSON());
    const path = join(await mkdtemp(join(tmpdir(), 'clf-')), 'clf.json');
    await a.save(path);
    const c = await FaceClassifier.load(path);
    expect(c.predictProba(train.x)).toEqual(a.predictProba(train.x));
  });

  it('routes faces through a gate to per-group scorers', async () => {
    const gateData = blobs(['f', 'm'], 30, 6);
    const gate = await new FaceClassifier({ seed: 1 }).fit(gateData.x, gateData.labels);
    const scorers = {
      f: await new FaceClassifier({ seed: 1 }).fit(
        gateData.x,
        gateData.labels.map((l) => (l === 'f' ? 'high' : 'low')),
      ),
      m: await new FaceClassifier({ seed: 1 }).fit(
        gateData.x,
        gateData.labels.map((l) => (l === 'm' ? 'high' : 'low')),
      ),
    };
    const two = new TwoStageClassifier(gate, scorers);
    const out = two.predict(gateData.x.slice(0, 1).concat(gateData.x.slice(40, 41)));
    expect(out.map((o) => [o.group, o.label])).toEqual([
      ['f', 'high'],
      ['m', 'high'],
    ]);
    const again = TwoStageClassifier.fromJSON(JSON.parse(JSON.stringify(two.toJSON())));
    expect(again.predict(gateData.x.slice(0, 2))).toEqual(two.predict(gateData.x.slice(0, 2)));
    expect(() => new TwoStageClassifier(gate, { f: scorers.f })).toThrow(/scorers.m/);
  });

  it('reports per-class precision and recall (hand-computed)', () => {
    const r = classificationReport(['a', 'a', 'b', 'b'], ['a', 'b', 'b', 'b'], ['a', 'b']);
    expect(r.accuracy).toBe(0.75);
    expect(r.confusion).toEqual([
      [1, 1],
      [0, 2],
    ]);
    expect(r.perClass[1]).toMatchObject({ precision: 2 / 3, recall: 1, support: 2 });
  });

  it('rejects bad input with the argument named', async () => {
    const train = blobs(['a', 'b'], 5, 8);
    expect(() => new FaceClassifier({ hidden: -1 })).toThrow(/options.hidden/);
    expect(() => new FaceClassifier({ learningRate: 0 })).toThrow(/options.learningRate/);
    await expect(new FaceClassifier().fit(train.x, ['a'])).rejects.toThrow(/labels.length must be 10/);
    await expect(
      new FaceClassifier().fit(
        train.x,
        train.labels.map(() => 'a'),
      ),
    ).rejects.toThrow(/at least 2 distinct classes/);
    expect(() => new FaceClassifier().predict(train.x)).toThrow(/call fit\(\)/);
    const bad = train.x.map((v) => v.slice());
    (bad[3] as Float32Array)[2] = Number.NaN;
    await expect(new FaceClassifier().fit(bad, train.labels)).rejects.toThrow(/x\[3\]\[2\] must be a finite number/);
    const clf = await new FaceClassifier().fit(train.x, train.labels);
    expect(() => clf.predict([new Float32Array(3)])).toThrow(/x\[0\].length must be 16/);
    expect(() => FaceClassifier.fromJSON({ ...clf.toJSON(), dim: -1 })).toThrow(/dim/);
    // A tampered file: a zero or negative std divides by zero or flips a feature; a repeated class hides one.
    const json = clf.toJSON() as { std: number[]; classes: string[] };
    expect(() => FaceClassifier.fromJSON({ ...json, std: json.std.map((v, i) => (i === 4 ? 0 : v)) })).toThrow(
      /classifier JSON std\[4\] must be a positive number, got 0/,
    );
    expect(() => FaceClassifier.fromJSON({ ...json, std: json.std.map((v, i) => (i === 2 ? -v : v)) })).toThrow(/std\[2\] must be a positive number/);
    expect(() => FaceClassifier.fromJSON({ ...json, classes: ['a', 'a'] })).toThrow(
      /classifier JSON classes\[1\] must be a class not listed before it, got "a"/,
    );
    expect(FaceClassifier.fromJSON(JSON.parse(JSON.stringify(json))).predict(train.x)).toEqual(clf.predict(train.x));
  });
});
