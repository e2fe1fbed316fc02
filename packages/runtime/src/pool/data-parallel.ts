import { assertKnownOptions, assertPositiveNumber, rangeError, typeError } from '../errors.js';
import type { ArrayPayload, Batch, NamedArray, OptimizerSpec } from './messages.js';
import { moduleUrl, type TaskRef, WorkerPool } from './worker-pool.js';

export interface DataParallelOptions {
  /** The module export implementing `TrainingTask` (its `setup` builds the model in each worker). */
  task: TaskRef;
  /** Passed to `setup` in every worker (structured-cloned). */
  config?: unknown;
  /** Worker threads. Default: available parallelism. */
  workers?: number;
  /** Optimizer applied identically in every worker. Default `{ name: 'sgd', learningRate: 0.01 }`. */
  optimizer?: OptimizerSpec;
  /** Backend inside the workers. Default 'wasm'. */
  backend?: 'wasm' | 'cpu';
  /**
   * Scale the summed gradient down to this global L2 norm when it is larger (what recurrent nets
   * need against exploding gradients). 0 = off. Default 0.
   */
  clipNorm?: number;
  /**
   * L2 weight decay on every kernel (variables of rank >= 2), added to the gradient before clipping
   * and the step, as PyTorch's `weight_decay` and the Trainer on one thread. Default 0.
   */
  weightDecay?: number;
}

function shardRanges(n: number, k: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  const base = Math.floor(n / k);
  const extra = n % k;
  let start = 0;
  for (let i = 0; i < k; i++) {
    const len = base + (i < extra ? 1 : 0);
    out.push([start, start + len]);
    start += len;
  }
  return out;
}

function sliceRows(p: ArrayPayload, start: number, end: number): ArrayPayload {
  const rows = p.shape[0] as number;
  const per = rows === 0 ? 0 : p.data.length / rows;
  return { data: p.data.slice(start * per, end * per), shape: [end - start, ...p.shape.slice(1)], dtype: p.dtype };
}

/**
 * Synchronous data-parallel training: every step splits the batch into one contiguous shard per
 * worker, each worker computes its shard's gradient, the gradients are summed here in worker order
 * and the sum is applied by the same optimizer in every worker. Fixed shards and a fixed summation
 * order make a run bit-for-bit reproducible; all replicas stay identical.
 */
export class DataParallelTrainer {
  /** The tail of the calls in flight: each call starts when the previous one has settled. */
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly pool: WorkerPool,
    readonly shapes: number[][],
    private readonly clipNorm: number,
  ) {}

  get workers(): number {
    return this.pool.size;
  }

  static async create(options: DataParallelOptions): Promise<DataParallelTrainer> {
    assertKnownOptions('DataParallelTrainer options', options, ['task', 'config', 'workers', 'optimizer', 'backend', 'clipNorm', 'weightDecay']);
    if (options.task === undefined) throw typeError('options.task', 'a { module, exportName } reference', options.task);
    const optimizer = options.optimizer ?? { name: 'sgd', learningRate: 0.01 };
    if (!['sgd', 'momentum', 'adam'].includes(optimizer.name)) throw rangeError('options.optimizer.name', "'sgd', 'momentum' or 'adam'", optimizer.name);
    assertPositiveNumber('options.optimizer.learningRate', optimizer.learningRate);
    const clipNorm = options.clipNorm ?? 0;
    if (typeof clipNorm !== 'number' || !(clipNorm >= 0) || !Number.isFinite(clipNorm))
      throw rangeError('options.clipNorm', 'a non-negative finite number', clipNorm);
    const weightDecay = options.weightDecay ?? 0;
    if (typeof weightDecay !== 'number' || !(weightDecay >= 0) || !Number.isFinite(weightDecay))
      throw rangeError('options.weightDecay', 'a non-negative finite number', weightDecay);
    const backend = options.backend ?? 'wasm';
    if (backend !== 'wasm' && backend !== 'cpu') throw rangeError('options.backend', "'wasm' or 'cpu'", backend);
    const pool = new WorkerPool(options.workers === undefined ? {} : { size: options.workers });
    try {
      const module = moduleUrl(options.task.module);
      const exportName = options.task.exportName ?? 'default';
      const shapesPerWorker = (await pool.broadcast({
        kind: 'setup',
        module,
        exportName,
        config: options.config,
        optimizer,
        backend,
        weightDecay,
      })) as number[][][];
      const shapes = shapesPerWorker[0] as number[][];
      const trainer = new DataParallelTrainer(pool, shapes, clipNorm);
      await trainer.setWeights(await trainer.getWeights());
      return trainer;
    } catch (err) {
      await pool.close();
      throw err;
    }
  }

  /**
   * One optimisation step on `batch` (arrays keyed as the task's loss expects, all with the same
   * first dimension). Returns the batch's mean loss.
   */
  async step(batch: Batch): Promise<number> {
    const entries = this.checkBatch(batch);
    return this.exclusive(() => this.stepNow(entries));
  }

  /**
   * Two steps started together must not both compute from the same weights (the second update
   * would be made against weights the first already moved): calls run one after another, in the
   * order they were made, as a loop of awaited steps would.
   */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private checkBatch(batch: Batch): Array<[string, ArrayPayload]> {
    if (batch === null || typeof batch !== 'object') throw typeError('batch', 'an object of named arrays', batch);
    const entries = Object.entries(batch);
    if (entries.length === 0) throw rangeError('batch', 'at least one array', batch);
    const rows = entries[0]?.[1].shape[0] as number;
    for (const [name, p] of entries) {
      if (!p || !ArrayBuffer.isView(p.data) || !Array.isArray(p.shape)) throw typeError(`batch.${name}`, 'a { data: TypedArray, shape } object', p);
      const size = p.shape.reduce((a, b) => a * b, 1);
      if (size !== p.data.length) throw rangeError(`batch.${name}.shape`, `a shape whose product is ${p.data.length}`, p.shape);
      if (p.shape[0] !== rows) throw rangeError(`batch.${name}.shape[0]`, `${rows} (the first array's rows)`, p.shape[0]);
      if (p.data instanceof Float32Array || p.data instanceof Float64Array) checkFinite(`batch.${name}`, p.data);
    }
    if (rows < 1) throw rangeError('batch', 'at least one row', rows);
    return entries;
  }

  private async stepNow(entries: Array<[string, ArrayPayload]>): Promise<number> {
    const rows = entries[0]?.[1].shape[0] as number;
    const ranges = shardRanges(rows, this.pool.size).filter(([s, e]) => e > s);
    const answers = (await Promise.all(
      ranges.map(([s, e], w) => {
        const shard: Batch = {};
        for (const [name, p] of entries) shard[name] = sliceRows(p, s, e);
        return this.pool.request(w, { kind: 'grad', batch: shard, weight: (e - s) / rows });
      }),
    )) as Array<{ loss: number; grads: Float32Array[] }>;
    const sum = answers[0]?.grads.map((g) => new Float32Array(g.length)) ?? [];
    let loss = 0;
    answers.forEach((a, w) => {
      const [s, e] = ranges[w] as [number, number];
      loss += (a.loss * (e - s)) / rows;
      a.grads.forEach((g, i) => {
        const acc = sum[i] as Float32Array;
        for (let j = 0; j < g.length; j++) acc[j] = (acc[j] as number) + (g[j] as number);
      });
    });
    if (!Number.isFinite(loss)) throw new Error(`DataParallelTrainer: the loss became ${loss}; weights were not updated`);
    if (this.clipNorm > 0) clipGlobalNorm(sum, this.clipNorm);
    await this.pool.broadcast({ kind: 'apply', grads: sum });
    return loss;
  }

  /** Current weights (from worker 0; all workers hold the same). */
  async getWeights(): Promise<Float32Array[]> {
    return this.exclusive(async () => (await this.pool.request(0, { kind: 'getWeights' })) as Float32Array[]);
  }

  async setWeights(weights: Float32Array[]): Promise<void> {
    if (!Array.isArray(weights) || weights.length !== this.shapes.length)
      throw rangeError('weights', `an array of ${this.shapes.length} Float32Arrays`, weights);
    weights.forEach((w, i) => {
      const n = (this.shapes[i] as number[]).reduce((a, b) => a * b, 1);
      if (!(w instanceof Float32Array) || w.length !== n) throw rangeError(`weights[${i}]`, `a Float32Array of length ${n}`, w);
      checkFinite(`weights[${i}]`, w);
    });
    await this.exclusive(() => this.pool.broadcast({ kind: 'setWeights', weights }));
  }

  /** The task's `state` variables (e.g. batch-norm moving statistics) as worker 0 holds them. */
  async getState(): Promise<Float32Array[]> {
    return this.exclusive(async () => (await this.pool.request(0, { kind: 'getState' })) as Float32Array[]);
  }

  /** Sets the task's `state` variables in every worker. */
  async setState(values: Float32Array[]): Promise<void> {
    if (!Array.isArray(values) || values.some((v) => !(v instanceof Float32Array))) throw rangeError('values', 'an array of Float32Arrays', values);
    for (const [i, v] of values.entries()) checkFinite(`values[${i}]`, v);
    await this.exclusive(() => this.pool.broadcast({ kind: 'setState', values }));
  }

  /** The optimizer's slots (iteration count, momentum or Adam moments), in its own order, from worker 0. */
  async getOptimizerWeights(): Promise<NamedArray[]> {
    return this.exclusive(async () => (await this.pool.request(0, { kind: 'getOptimizerWeights' })) as NamedArray[]);
  }

  /** Restores `getOptimizerWeights()` output in every worker (for resuming a checkpoint). */
  async setOptimizerWeights(weights: NamedArray[]): Promise<void> {
    if (!Array.isArray(weights) || weights.some((w) => typeof w?.name !== 'string' || !(w.data instanceof Float32Array) || !Array.isArray(w.shape)))
      throw rangeError('weights', 'an array of { name, data: Float32Array, shape }', weights);
    for (const [i, w] of weights.entries()) checkFinite(`weights[${i}] (${w.name})`, w.data);
    await this.exclusive(() => this.pool.broadcast({ kind: 'setOptimizerWeights', weights }));
  }

  async setLearningRate(learningRate: number): Promise<void> {
    assertPositiveNumber('learningRate', learningRate);
    await this.exclusive(() => this.pool.broadcast({ kind: 'setLearningRate', learningRate }));
  }

  /** Live tensors and bytes in each worker's tfjs engine (to check that training does not leak). */
  async memory(): Promise<Array<{ numTensors: number; numBytes: number }>> {
    return (await this.pool.broadcast({ kind: 'memory' })) as Array<{ numTensors: number; numBytes: number }>;
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

/** NaN weights or inputs would train every replica into NaN without a loss ever saying why. */
function checkFinite(name: string, values: Float32Array | Float64Array): void {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) throw rangeError(name, 'finite values', `${values[i]} at index ${i}`);
}

/** Scales the arrays in place so their joint L2 norm is at most maxNorm. */
function clipGlobalNorm(grads: Float32Array[], maxNorm: number): void {
  let sq = 0;
  for (const g of grads) for (let i = 0; i < g.length; i++) sq += (g[i] as number) * (g[i] as number);
  const norm = Math.sqrt(sq);
  if (!(norm > maxNorm)) return;
  const scale = maxNorm / norm;
  for (const g of grads) for (let i = 0; i < g.length; i++) g[i] = (g[i] as number) * scale;
}
