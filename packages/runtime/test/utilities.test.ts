import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cosineAnnealing, cosineAnnealingWarmRestarts, EarlyStopping, ProgressBar, ReduceOnPlateau, Rng, stepDecay } from '../src/index.js';

describe('Rng', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const c = new Rng(43);
    const sa = Array.from({ length: 5 }, () => a.nextUint32());
    expect(Array.from({ length: 5 }, () => b.nextUint32())).toEqual(sa);
    expect(Array.from({ length: 5 }, () => c.nextUint32())).not.toEqual(sa);
  });

  it('draws uniforms in [0, 1) with the right mean, and normals with mean 0 and variance 1', () => {
    const r = new Rng(7);
    let s = 0;
    let s2 = 0;
    let u = 0;
    const n = 100_000;
    for (let i = 0; i < n; i++) {
      const x = r.random();
      expect(x >= 0 && x < 1).toBe(true);
      u += x;
      const z = r.normal();
      s += z;
      s2 += z * z;
    }
    expect(u / n).toBeCloseTo(0.5, 2);
    expect(s / n).toBeCloseTo(0, 1);
    expect(s2 / n).toBeCloseTo(1, 1);
  });

  it('int(n) stays in range and permutation is a permutation (property)', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 1, max: 500 }), (seed, n) => {
        const r = new Rng(seed);
        for (let i = 0; i < 20; i++) {
          const v = r.int(n);
          if (v < 0 || v >= n || !Number.isInteger(v)) return false;
        }
        const p = Array.from(r.permutation(n)).sort((x, y) => x - y);
        return p.every((v, i) => v === i);
      }),
    );
  });

  it('rejects bad arguments with a message naming them', () => {
    expect(() => new Rng(1.5)).toThrow(/seed must be an integer, got 1.5/);
    expect(() => new Rng(1).int(0)).toThrow(/n must be/);
  });
});

describe('learning-rate schedules', () => {
  it('stepDecay divides by 10 every stepSize steps', () => {
    const s = stepDecay(0.01, 3);
    expect([0, 2, 3, 5, 6].map(s)).toEqual([0.01, 0.01, 0.01 * 0.1, 0.01 * 0.1, 0.01 * 0.1 ** 2]);
  });

  it('cosineAnnealing goes from initial to minLr over the period', () => {
    const s = cosineAnnealing(1, 10, 0.1);
    expect(s(0)).toBeCloseTo(1);
    expect(s(5)).toBeCloseTo(0.55);
    expect(s(10)).toBeCloseTo(0.1);
    expect(s(20)).toBeCloseTo(0.1);
  });

  it('cosineAnnealingWarmRestarts restarts with growing cycles', () => {
    const s = cosineAnnealingWarmRestarts(1, 2, 2);
    // Cycles: [0,2), [2,6), [6,14)
    expect(s(0)).toBeCloseTo(1);
    expect(s(1)).toBeCloseTo(0.5);
    expect(s(2)).toBeCloseTo(1);
    expect(s(4)).toBeCloseTo(0.5);
    expect(s(6)).toBeCloseTo(1);
  });

  it('ReduceOnPlateau reduces after patience epochs without improvement', () => {
    const r = new ReduceOnPlateau(0.1, { patience: 1, factor: 0.5 });
    expect(r.step(1)).toBe(0.1);
    expect(r.step(1)).toBe(0.1);
    expect(r.step(1)).toBe(0.05);
    expect(r.step(0.5)).toBe(0.05);
  });

  it('EarlyStopping continues from a saved state exactly as the original does', () => {
    const metrics = [0.5, 0.4, 0.45, 0.3, 0.35, 0.36, 0.31, 0.2];
    const whole = new EarlyStopping({ patience: 2 });
    const first = new EarlyStopping({ patience: 2 });
    const a = metrics.map((m) => whole.update(m));
    const b = metrics.slice(0, 3).map((m) => first.update(m));
    const resumed = new EarlyStopping({ patience: 2 }).restore(JSON.parse(JSON.stringify(first.state())));
    expect([...b, ...metrics.slice(3).map((m) => resumed.update(m))]).toEqual(a);
    expect(resumed.bestEpoch).toBe(whole.bestEpoch);
    expect(() => new EarlyStopping().restore({ epoch: 0, wait: -1, best: null, bestEpoch: 0, stopped: false })).toThrow(/state must be/);
  });

  it('ReduceOnPlateau continues from a saved state exactly as the original does', () => {
    const metrics = [0.3, 0.5, 0.5, 0.4, 0.6, 0.6, 0.6, 0.55, 0.7];
    const whole = new ReduceOnPlateau(0.1, { mode: 'max', patience: 1, cooldown: 1 });
    const first = new ReduceOnPlateau(0.1, { mode: 'max', patience: 1, cooldown: 1 });
    expect(first.state()).toEqual({ lr: 0.1, best: null, bad: 0, cooldownLeft: 0, reductions: 0, exhausted: false });
    const a = metrics.map((m) => whole.step(m));
    const b = metrics.slice(0, 4).map((m) => first.step(m));
    const saved = JSON.parse(JSON.stringify(first.state()));
    const resumed = new ReduceOnPlateau(0.1, { mode: 'max', patience: 1, cooldown: 1 }).restore(saved);
    expect([...b, ...metrics.slice(4).map((m) => resumed.step(m))]).toEqual(a);
    // A state saved before reductions were counted still loads.
    expect(new ReduceOnPlateau(0.1, { mode: 'max' }).restore({ lr: 0.1, best: null, bad: 0, cooldownLeft: 0 }).step(0.2)).toBe(0.1);
    expect(() => new ReduceOnPlateau(0.1).restore({ lr: -1, best: 0, bad: 0, cooldownLeft: 0 })).toThrow(/state must be/);
    expect(() => new ReduceOnPlateau(0.1).restore({ lr: 0.1, best: 0, bad: 1.5, cooldownLeft: 0 })).toThrow(/state must be/);
  });

  it('rejects bad options', () => {
    expect(() => stepDecay(0, 1)).toThrow(/initial must be a positive finite number, got 0/);
    expect(() => cosineAnnealing(1, 0)).toThrow(/period must be a positive integer/);
    expect(() => new ReduceOnPlateau(0.1, { factor: 2 })).toThrow(/factor must be a number in \(0, 1\)/);
    expect(() => new ReduceOnPlateau(0.1, { patiance: 2 } as never)).toThrow(/unknown option "patiance"/);
    expect(() => new ReduceOnPlateau(0.1).step(Number.NaN)).toThrow(/metric must be a finite number/);
    expect(() => stepDecay(1, 1)(-1)).toThrow(/step must be a non-negative integer/);
  });
});

describe('EarlyStopping', () => {
  it('stops at the patience-th epoch in a row without improvement (the Keras definition) and remembers the best epoch', () => {
    const es = new EarlyStopping({ patience: 2 });
    const metrics = [1.0, 0.8, 0.9, 0.85, 0.81, 0.7];
    const stops = metrics.map((m) => es.update(m));
    // Keras' EarlyStopping(patience=2) on these losses: best 0.8 at epoch 1, then 0.9 (wait 1), 0.85 (wait 2): stop.
    expect(stops).toEqual([false, false, false, true, true, true]);
    const one = new EarlyStopping({ patience: 1 });
    expect([1, 0.9, 0.95].map((m) => one.update(m))).toEqual([false, false, true]);
    expect(es.bestEpoch).toBe(1);
    expect(es.best).toBe(0.8);
  });

  it("in 'max' mode treats larger as better", () => {
    const es = new EarlyStopping({ patience: 0, mode: 'max' });
    expect(es.update(0.5)).toBe(false);
    expect(es.improvedLast).toBe(true);
    expect(es.update(0.4)).toBe(true);
  });

  it('rejects NaN metrics and bad options', () => {
    expect(() => new EarlyStopping().update(Number.NaN)).toThrow(/metric must be a number, not NaN/);
    expect(() => new EarlyStopping({ mode: 'up' as never })).toThrow(/mode must be 'min' or 'max'/);
  });
});

describe('ProgressBar', () => {
  it('draws on a TTY stream and renders counts and percentage', () => {
    const chunks: string[] = [];
    const stream = { isTTY: true, write: (s: string) => chunks.push(s) } as never;
    const bar = new ProgressBar({ total: 4, label: 'train', stream, enabled: true, width: 4 });
    bar.tick(2, 'loss 0.5');
    bar.done();
    const text = chunks.join('');
    expect(text).toContain('train [##--] 2/4 50%');
    expect(text).toContain('loss 0.5');
    expect(text).toContain('[####] 4/4 100%');
  });

  it('stays silent when the stream is not a TTY', () => {
    const chunks: string[] = [];
    const bar = new ProgressBar({ total: 3, stream: { isTTY: false, write: (s: string) => chunks.push(s) } as never });
    bar.tick();
    bar.done();
    expect(bar.enabled).toBe(false);
    expect(chunks).toEqual([]);
  });

  it('rejects a negative total', () => {
    expect(() => new ProgressBar({ total: -1 })).toThrow(/total must be a non-negative integer, got -1/);
  });
});

describe('packageFile', () => {
  it('finds a file beside the caller or in ../../dist, and nothing otherwise', async () => {
    const { mkdirSync, mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { pathToFileURL } = await import('node:url');
    const { packageFile, requirePackageFile } = await import('../src/index.js');
    const root = mkdtempSync(join(tmpdir(), 'pkgfile-'));
    mkdirSync(join(root, 'src', 'kernels'), { recursive: true });
    mkdirSync(join(root, 'dist'), { recursive: true });
    writeFileSync(join(root, 'dist', 'k.wasm'), '');
    expect(packageFile(pathToFileURL(join(root, 'dist', 'index.js')), 'k.wasm')).toBe(join(root, 'dist', 'k.wasm'));
    expect(packageFile(pathToFileURL(join(root, 'src', 'kernels', 'x.ts')).href, 'k.wasm')).toBe(join(root, 'dist', 'k.wasm'));
    expect(packageFile(pathToFileURL(join(root, 'src', 'kernels', 'x.ts')), 'other.wasm')).toBeUndefined();
    expect(requirePackageFile(pathToFileURL(join(root, 'dist', 'index.js')), 'k.wasm', '@aiffel/x')).toBe(join(root, 'dist', 'k.wasm'));
    expect(() => requirePackageFile(pathToFileURL(join(root, 'dist', 'index.js')), 'task.js', '@aiffel/x')).toThrow(
      '@aiffel/x: dist/task.js is missing (build the package with `npm run build`)',
    );
  });
});
