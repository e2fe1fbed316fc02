import { describe, expect, it } from 'vitest';
import { classificationReport, HierarchicalClassifier, type ProbabilisticClassifier } from '../src/index.js';

/** Nearest class mean on 1-D rows, softmax of negative squared distances: a tiny real classifier. */
class NearestMean<L extends string | number> implements ProbabilisticClassifier<number[][], L> {
  classes: L[] = [];
  private means: number[] = [];
  fitCalls = 0;
  async fit(x: number[][], y: L[]) {
    this.fitCalls++;
    this.classes = [...new Set(y)].sort();
    this.means = this.classes.map((c) => {
      const rows = x.filter((_, i) => y[i] === c);
      return rows.reduce((a, r) => a + (r[0] as number), 0) / rows.length;
    });
    return this;
  }
  predictProba(x: number[][]): Float64Array[] {
    return x.map((r) => {
      const e = this.means.map((m) => Math.exp(-(((r[0] as number) - m) ** 2)));
      const s = e.reduce((a, b) => a + b, 0);
      return Float64Array.from(e, (v) => v / s);
    });
  }
}

// Labels a..d at 0, 1 (group low) and 10, 11 (group high): the gate separates easily, experts split within.
const x = [0, 0.1, 1, 1.1, 10, 10.1, 11, 11.1].map((v) => [v]);
const y = ['a', 'a', 'b', 'b', 'c', 'c', 'd', 'd'];
const groups = { low: ['a', 'b'], high: ['c', 'd'] };

describe('HierarchicalClassifier', () => {
  it('trains a gate on groups and each expert only on its group, and combines them', async () => {
    const experts: Record<string, NearestMean<string>> = {};
    const h = await new HierarchicalClassifier<number[][], string>({
      groups,
      gate: () => new NearestMean<string>(),
      expert: (g) => (experts[g] = new NearestMean<string>()),
    }).fit(x, y);
    expect(h.predict([[0.2], [0.9], [10.4], [10.8]])).toEqual(['a', 'b', 'c', 'd']);
    expect(experts.low?.classes).toEqual(['a', 'b']);
    expect(experts.high?.classes).toEqual(['c', 'd']);
    const p = h.predictProba([[0.2]]);
    expect(p.length).toBe(4);
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
    const d = h.predictDetailed([[10.9]])[0];
    expect(d?.group).toBe('high');
    expect(d?.label).toBe('d');
    // Soft mode: P(d) = P(high) P(d | high) + P(low) P(d | low), and P(d | low) = 0.
    expect(d?.probability).toBeCloseTo((d?.groupProbability as number) * (experts.high?.predictProba([[10.9]])[0]?.[1] as number), 6);
  });

  it('hard mode follows the gate alone; a one-label group needs no expert fit; flat matrices work', async () => {
    let fits = 0;
    const h = await new HierarchicalClassifier<{ data: Float64Array; rows: number; cols: number }, string>({
      groups: { low: ['a', 'b'], high: ['c'] },
      mode: 'hard',
      gate: () => flat(new NearestMean<string>()),
      expert: () => {
        fits++;
        return flat(new NearestMean<string>());
      },
    }).fit({ data: Float64Array.from([0, 1, 10]), rows: 3, cols: 1 }, ['a', 'b', 'c']);
    expect(h.predict({ data: Float64Array.from([0.1, 9]), rows: 2, cols: 1 })).toEqual(['a', 'c']);
    expect(fits).toBe(2); // built for both groups, fitted only for 'low'
  });

  it('refuses bad groups and labels by name', async () => {
    const make = (g: Record<string, string[]>) =>
      new HierarchicalClassifier<number[][], string>({ groups: g, gate: () => new NearestMean(), expert: () => new NearestMean() });
    expect(() => make({ only: ['a'] })).toThrow(/options.groups must be at least two/);
    expect(() => make({ p: ['a'], q: ['a', 'b'] })).toThrow(/label a must be in one group, got p and q/);
    await expect(make(groups).fit(x, [...y.slice(0, 7), 'z'])).rejects.toThrow(/y\[7\] must be a label of one of the groups/);
    await expect(make(groups).fit(x, y.slice(1))).rejects.toThrow(/y must be 8 labels/);
    expect(() => make(groups).predict(x)).toThrow(/call fit\(\) before predicting/);
    expect(() => new HierarchicalClassifier({ groups, gate: () => new NearestMean(), expert: () => new NearestMean(), mood: 1 } as never)).toThrow(
      /unknown option "mood"/,
    );
  });
});

/** The same classifier reading a { data, rows, cols } matrix and answering flat probabilities. */
function flat(m: NearestMean<string>): ProbabilisticClassifier<{ data: Float64Array; rows: number; cols: number }, string> {
  const rows = (x: { data: Float64Array; rows: number }) => Array.from({ length: x.rows }, (_, i) => [x.data[i] as number]);
  return {
    get classes() {
      return m.classes;
    },
    fit: (x, y) => m.fit(rows(x), y),
    predictProba: (x) => {
      const p = m.predictProba(rows(x));
      const out = new Float64Array(p.length * m.classes.length);
      for (const [i, r] of p.entries()) out.set(r, i * m.classes.length);
      return out;
    },
  };
}

describe('classificationReport', () => {
  it('gives scikit-learn-equal accuracy, macro F1 and confusion on a hand-computed case', () => {
    // sklearn: f1_score([0,0,1,1,2,2],[0,1,1,1,2,0], average='macro') = 0.6555...
    const r = classificationReport([0, 0, 1, 1, 2, 2], [0, 1, 1, 1, 2, 0]);
    expect(r.accuracy).toBeCloseTo(4 / 6, 12);
    expect(r.macroF1).toBeCloseTo((0.5 + 0.8 + 2 / 3) / 3, 12);
    expect(r.confusion).toEqual([
      [1, 1, 0],
      [0, 2, 0],
      [1, 0, 1],
    ]);
    expect(() => classificationReport([1, 2], [1])).toThrow(/yPred must be 2 labels/);
    expect(() => classificationReport(['a'], ['b'], ['a'])).toThrow(/yPred\[0\] must be one of the classes \(a\), got b/);
  });
});
