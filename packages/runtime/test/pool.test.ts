// The pool runs built worker scripts, so these tests use the package as published (dist/).
import { spawnSync } from 'node:child_process';
import { DataParallelTrainer, Rng, WorkerPool } from '@aiffel/runtime';
import { describe, expect, it } from 'vitest';

const fixture = (name: string) => new URL(`./fixtures/${name}`, import.meta.url);

function regressionData(n: number, inputs: number, seed: number) {
  const rng = new Rng(seed);
  const trueW = Array.from({ length: inputs }, (_, i) => i + 1);
  const x = new Float32Array(n * inputs);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0.5;
    for (let j = 0; j < inputs; j++) {
      const v = rng.normal();
      x[i * inputs + j] = v;
      s += v * (trueW[j] as number);
    }
    y[i] = s;
  }
  return { x: { data: x, shape: [n, inputs] }, y: { data: y, shape: [n, 1] } };
}

describe('WorkerPool.map', () => {
  it('runs a module function on every item across the workers, results in order', async () => {
    const pool = new WorkerPool({ size: 2 });
    try {
      const out = await pool.map<number, { value: number; index: number }>([1, 2, 3, 4, 5], { module: fixture('square.mjs') });
      expect(out).toEqual([1, 4, 9, 16, 25].map((value, index) => ({ value, index })));
    } finally {
      await pool.close();
    }
  });

  it('rejects with the worker error, and after close', async () => {
    const pool = new WorkerPool({ size: 2 });
    await expect(pool.map([1, 'boom'], { module: fixture('square.mjs') })).rejects.toThrow(/item 1 asked to fail/);
    await expect(pool.map([1], { module: fixture('square.mjs'), exportName: 'nope' })).rejects.toThrow(/has no export "nope"/);
    await pool.close();
    await expect(pool.map([1], { module: fixture('square.mjs') })).rejects.toThrow(/closed/);
  });

  it('run() sends each task to the least busy worker and moves transferred buffers', async () => {
    const pool = new WorkerPool({ size: 2 });
    try {
      const out = await Promise.all([2, 3, 4, 5].map((v) => pool.run<{ value: number }>(v, { module: fixture('square.mjs') })));
      expect(out.map((o) => o.value)).toEqual([4, 9, 16, 25]);
      const threads = await Promise.all([0, 1].map(() => pool.run<number>(null, { module: fixture('square.mjs'), exportName: 'thread' })));
      expect(new Set(threads).size).toBe(2);
      const buf = new Float32Array([1, 2, 3]);
      const sum = await pool.run<number>(buf, { module: fixture('square.mjs'), exportName: 'sum' }, [buf.buffer]);
      expect(sum).toBe(6);
      expect(buf.length).toBe(0); // moved, not copied
    } finally {
      await pool.close();
    }
  });

  it('fails only the call whose result or argument cannot be cloned, and replaces a worker that exits', async () => {
    const pool = new WorkerPool({ size: 2 });
    const task = { module: fixture('square.mjs'), exportName: 'hostile' };
    try {
      await expect(pool.map(['fn'], task)).rejects.toThrow(/the task's result cannot be sent back to the main thread .*could not be cloned.*return plain data/);
      expect(await pool.map([1, 2, 3], task)).toEqual([2, 4, 6]);
      await expect(pool.map(['exit'], task)).rejects.toThrow(/worker exited with code 3/);
      expect(await pool.map([1, 2, 3, 4], task)).toEqual([2, 4, 6, 8]);
      await expect(pool.map([() => 1], task)).rejects.toThrow(/could not be cloned/);
      expect(await pool.map([5], task)).toEqual([10]);
    } finally {
      await pool.close();
    }
  });

  it('stops a task past taskTimeout, rejects that call only and replaces its worker', async () => {
    const pool = new WorkerPool({ size: 1, taskTimeout: 2000 });
    const task = { module: fixture('square.mjs'), exportName: 'spin' };
    try {
      expect(await pool.run(5, task)).toBe(5);
      const started = Date.now();
      await expect(pool.run(60_000, task)).rejects.toThrow(
        /WorkerPool: task spin took more than taskTimeout \(2000 ms\); its worker was stopped and will be replaced/,
      );
      // Without the limit this call would have held the thread for a minute.
      expect(Date.now() - started).toBeLessThan(30_000);
      expect(await pool.run(7, task)).toBe(7);
    } finally {
      await pool.close();
    }
  });

  it('rejects bad options', () => {
    expect(() => new WorkerPool({ taskTimeout: -1 })).toThrow(
      /options.taskTimeout must be an integer number of ms in \[0, 2147483647\] \(0: no limit\), got -1/,
    );
    expect(() => new WorkerPool({ size: 0 })).toThrow(/options.size must be a positive integer, got 0/);
    expect(() => new WorkerPool({ threads: 2 } as never)).toThrow(/unknown option "threads"/);
    expect(() => new WorkerPool({ size: 1e4 })).toThrow(/options.size must be at most 64, got 10000/);
  });

  it('starts its workers from `node --input-type=module -e`, whose options used to kill them', () => {
    const program = `import { WorkerPool } from '@aiffel/runtime';
const pool = new WorkerPool({ size: 2 });
await pool.ready();
console.log(JSON.stringify(await pool.map([3, 4], { module: ${JSON.stringify(fixture('square.mjs').href)} })));
await pool.close();`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', program], { encoding: 'utf8', timeout: 90_000, cwd: __dirname });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual([
      { value: 9, index: 0 },
      { value: 16, index: 1 },
    ]);
  });
});

describe('DataParallelTrainer', () => {
  const task = { module: fixture('linear-task.mjs'), exportName: 'linear' };
  const config = { inputs: 4, seed: 3 };

  async function train(workers: number, steps: number) {
    const trainer = await DataParallelTrainer.create({ task, config, workers, optimizer: { name: 'momentum', learningRate: 0.05 } });
    try {
      const losses: number[] = [];
      for (let s = 0; s < steps; s++) losses.push(await trainer.step(regressionData(61, 4, 100 + s)));
      return { losses, weights: await trainer.getWeights() };
    } finally {
      await trainer.close();
    }
  }

  it('trains on two workers with a decreasing loss, reproducibly bit for bit', async () => {
    const a = await train(2, 25);
    expect(a.losses[a.losses.length - 1] as number).toBeLessThan((a.losses[0] as number) * 0.05);
    const b = await train(2, 25);
    expect(b.losses).toEqual(a.losses);
    expect(b.weights.map((w) => Array.from(w))).toEqual(a.weights.map((w) => Array.from(w)));
    // The learned weights approach the generating ones (1, 2, 3, 4).
    expect(Array.from(a.weights[0] as Float32Array).map((v) => Math.round(v))).toEqual([1, 2, 3, 4]);
  });

  it('moves state variables and optimizer slots between threads, so a run can resume exactly', async () => {
    const stateful = { module: fixture('stateful-task.mjs'), exportName: 'stateful' };
    const make = () => DataParallelTrainer.create({ task: stateful, config, workers: 2, optimizer: { name: 'momentum', learningRate: 0.05 } });
    const straight = await make();
    const first = await make();
    const second = await make();
    try {
      for (let s = 0; s < 5; s++) await straight.step(regressionData(20, 4, 200 + s));
      for (let s = 0; s < 3; s++) await first.step(regressionData(20, 4, 200 + s));
      const [mean] = await first.getState();
      expect(Array.from(mean as Float32Array).some((v) => v !== 0)).toBe(true);
      // A fresh trainer given the weights, state and momentum buffers continues as if never stopped.
      await second.setWeights(await first.getWeights());
      await second.setState(await first.getState());
      const slots = await first.getOptimizerWeights();
      expect(slots.map((s) => s.shape)).toEqual([[], [4, 1], [1]]);
      await second.setOptimizerWeights(slots);
      for (let s = 3; s < 5; s++) await second.step(regressionData(20, 4, 200 + s));
      expect((await second.getWeights()).map((w) => Array.from(w))).toEqual((await straight.getWeights()).map((w) => Array.from(w)));
      expect((await second.getState()).map((w) => Array.from(w))).toEqual((await straight.getState()).map((w) => Array.from(w)));
      await expect(second.setState([new Float32Array(4), new Float32Array(4)])).rejects.toThrow(/setState got 2 arrays for 1 state variables/);
    } finally {
      await Promise.all([straight.close(), first.close(), second.close()]);
    }
  });

  it('does not leak tensors in the workers from step to step', async () => {
    const trainer = await DataParallelTrainer.create({ task, config, workers: 2, optimizer: { name: 'adam', learningRate: 0.01 } });
    try {
      await trainer.step(regressionData(16, 4, 1));
      const before = await trainer.memory();
      for (let s = 0; s < 5; s++) await trainer.step(regressionData(16, 4, 2 + s));
      expect(await trainer.memory()).toEqual(before);
    } finally {
      await trainer.close();
    }
  });

  it('runs steps started together one after another, as awaited steps would', async () => {
    const make = () => DataParallelTrainer.create({ task, config, workers: 2, optimizer: { name: 'sgd', learningRate: 0.05 } });
    const together = await make();
    const inTurn = await make();
    try {
      const batches = [0, 1, 2].map((s) => regressionData(16, 4, 300 + s));
      // Before, both calls read the same weights and the second update was made against stale ones.
      const losses = await Promise.all([
        together.step(batches[0] as never),
        together.step(batches[1] as never),
        together.getWeights(),
        together.step(batches[2] as never),
      ]);
      const expected: number[] = [];
      for (const b of batches.slice(0, 2)) expected.push(await inTurn.step(b));
      const mid = await inTurn.getWeights();
      expected.push(await inTurn.step(batches[2] as never));
      expect([losses[0], losses[1], losses[3]]).toEqual(expected);
      expect((losses[2] as Float32Array[]).map((w) => Array.from(w))).toEqual(mid.map((w) => Array.from(w)));
      expect((await together.getWeights()).map((w) => Array.from(w))).toEqual((await inTurn.getWeights()).map((w) => Array.from(w)));
      // A refused call does not block the ones queued after it.
      await expect(together.setWeights([new Float32Array(1)])).rejects.toThrow(/weights must be/);
      expect(await together.step(batches[0] as never)).toBeGreaterThan(0);
    } finally {
      await Promise.all([together.close(), inTurn.close()]);
    }
  });

  it('matches single-worker (full-batch) training up to float rounding', async () => {
    const one = await train(1, 5);
    const two = await train(2, 5);
    for (let i = 0; i < one.weights.length; i++) {
      const p = one.weights[i] as Float32Array;
      const q = two.weights[i] as Float32Array;
      for (let j = 0; j < p.length; j++) expect(Math.abs((p[j] as number) - (q[j] as number))).toBeLessThan(1e-4);
    }
  });

  it('rejects malformed batches without touching the weights', async () => {
    const trainer = await DataParallelTrainer.create({ task, config, workers: 2 });
    try {
      const before = await trainer.getWeights();
      const data = regressionData(8, 4, 1);
      await expect(trainer.step({ x: data.x, y: { data: new Float32Array(7), shape: [7, 1] } })).rejects.toThrow(/batch.y.shape\[0\] must be 8/);
      await expect(trainer.step({ x: { data: new Float32Array(32), shape: [8, 3] }, y: data.y })).rejects.toThrow(
        /batch.x.shape must be a shape whose product is 32/,
      );
      const bad = new Float32Array(data.x.data);
      bad[5] = Number.NaN;
      await expect(trainer.step({ x: { data: bad, shape: [8, 4] }, y: data.y })).rejects.toThrow(/batch.x must be finite values/);
      await expect(trainer.setWeights([new Float32Array(2)])).rejects.toThrow(/weights must be an array of 2 Float32Arrays/);
      const nanWeights = before.map((w) => new Float32Array(w));
      (nanWeights[1] as Float32Array)[0] = Number.NaN;
      await expect(trainer.setWeights(nanWeights)).rejects.toThrow(/weights\[1\] must be finite values, got "NaN at index 0"/);
      await expect(trainer.setState([new Float32Array([Number.POSITIVE_INFINITY])])).rejects.toThrow(/values\[0\] must be finite values/);
      await expect(trainer.setOptimizerWeights([{ name: 'm', data: new Float32Array([Number.NaN]), shape: [1] }])).rejects.toThrow(
        /weights\[0\] \(m\) must be finite/,
      );
      expect((await trainer.getWeights()).map((w) => Array.from(w))).toEqual(before.map((w) => Array.from(w)));
    } finally {
      await trainer.close();
    }
  });

  it('clips the summed gradient to clipNorm: one SGD step moves the weights by lr x clipNorm', async () => {
    const trainer = await DataParallelTrainer.create({ task, config, workers: 2, optimizer: { name: 'sgd', learningRate: 0.5 }, clipNorm: 0.01 });
    try {
      const before = await trainer.getWeights();
      await trainer.step(regressionData(16, 4, 1));
      const after = await trainer.getWeights();
      let sq = 0;
      after.forEach((w, i) => {
        for (let j = 0; j < w.length; j++) sq += ((w[j] as number) - ((before[i] as Float32Array)[j] as number)) ** 2;
      });
      expect(Math.sqrt(sq)).toBeCloseTo(0.5 * 0.01, 5);
    } finally {
      await trainer.close();
    }
  });

  it('rejects bad options', async () => {
    await expect(DataParallelTrainer.create({ task, clipNorm: -1 })).rejects.toThrow(/options.clipNorm must be a non-negative finite number, got -1/);
    await expect(DataParallelTrainer.create({ task, optimizer: { name: 'rmsprop' as never, learningRate: 0.1 } })).rejects.toThrow(
      /options.optimizer.name must be/,
    );
    await expect(DataParallelTrainer.create({ task, optimizer: { name: 'sgd', learningRate: -1 } })).rejects.toThrow(
      /learningRate must be a positive finite number, got -1/,
    );
  });
});
