import { DataParallelTrainer, packageFile, Rng, tf } from '@aiffel/runtime';
import type { Optimizer, Tensor } from '@tensorflow/tfjs-core';
import type { Seq2SeqConfig } from './config.js';
import { batchLoss, type SourceBatch, type TargetBatch } from './network.js';
import type { ParamMap } from './params.js';

/** One optimisation step at a time, on this thread or on worker threads. */
export interface StepEngine {
  /** Trains on one batch; resolves to its mean loss. `seed` drives dropout. */
  step(source: SourceBatch, target: TargetBatch, seed: number): Promise<number>;
  setLearningRate(lr: number): Promise<void>;
  /** Makes the model's own parameters hold the trained weights. */
  syncTo(params: ParamMap): Promise<void>;
  close(): Promise<void>;
}

export interface EngineOptions {
  config: Seq2SeqConfig;
  params: ParamMap;
  sourceVocabSize: number;
  targetVocabSize: number;
  learningRate: number;
  clipNorm: number;
  workers: number;
}

/** Picks the engine: worker threads when `workers` > 1, else the calling thread. */
export async function createEngine(o: EngineOptions): Promise<StepEngine> {
  return o.workers > 1 ? ParallelEngine.create(o) : new LocalEngine(o);
}

class LocalEngine implements StepEngine {
  private readonly optimizer: Optimizer & { learningRate: number };
  private readonly vars: tf.Variable[];

  constructor(private readonly o: EngineOptions) {
    this.optimizer = tf.train.adam(o.learningRate) as unknown as Optimizer & { learningRate: number };
    this.vars = [...o.params.values()];
  }

  async step(source: SourceBatch, target: TargetBatch, seed: number): Promise<number> {
    const value = tf.tidy(() => {
      const { value: loss, grads } = tf.variableGrads(
        () => batchLoss(this.o.config, this.o.params, source, target, this.o.targetVocabSize, new Rng(seed)).loss as tf.Scalar,
        this.vars,
      );
      this.optimizer.applyGradients(this.o.clipNorm > 0 ? clipByGlobalNorm(grads, this.o.clipNorm) : grads);
      return loss;
    });
    const loss = (await value.data())[0] as number;
    value.dispose();
    return loss;
  }

  async setLearningRate(lr: number): Promise<void> {
    this.optimizer.learningRate = lr;
  }

  async syncTo(): Promise<void> {}

  async close(): Promise<void> {
    this.optimizer.dispose();
  }
}

function taskModule(): string {
  const path = packageFile(import.meta.url, 'train-task.js');
  if (path === undefined) throw new Error('@aiffel/seq2seq-attn: dist/train-task.js is missing (build the package with `npm run build`)');
  return path;
}

/**
 * Data-parallel training on worker threads (each with its own wasm backend): the batch is split
 * into one shard per worker, the shard gradients are summed, clipped and applied by Adam in every
 * worker, so the replicas stay identical. tfjs's wasm backend is single-threaded in Node; this is
 * how training uses both cores.
 */
class ParallelEngine implements StepEngine {
  private constructor(
    private readonly trainer: DataParallelTrainer,
    private readonly names: string[],
  ) {}

  static async create(o: EngineOptions): Promise<ParallelEngine> {
    const trainer = await DataParallelTrainer.create({
      task: { module: taskModule(), exportName: 'seq2seqTask' },
      config: { config: o.config, sourceVocabSize: o.sourceVocabSize, targetVocabSize: o.targetVocabSize },
      workers: o.workers,
      optimizer: { name: 'adam', learningRate: o.learningRate },
      clipNorm: o.clipNorm,
    });
    try {
      await trainer.setWeights([...o.params.values()].map((v) => (v.dataSync() as Float32Array).slice()));
    } catch (err) {
      await trainer.close();
      throw err;
    }
    return new ParallelEngine(trainer, [...o.params.keys()]);
  }

  step(source: SourceBatch, target: TargetBatch, seed: number): Promise<number> {
    const rows = source.rows;
    return this.trainer.step({
      source: { data: source.ids, shape: [rows, source.steps], dtype: 'int32' },
      lengths: { data: source.lengths, shape: [rows], dtype: 'int32' },
      targetIn: { data: target.input, shape: [rows, target.steps], dtype: 'int32' },
      targetOut: { data: target.output, shape: [rows, target.steps], dtype: 'int32' },
      // Per-row seeds: each worker's shard starts with a different one, so dropout masks differ.
      seed: { data: Int32Array.from({ length: rows }, (_, i) => (seed + i * 7919) | 0), shape: [rows], dtype: 'int32' },
    });
  }

  setLearningRate(lr: number): Promise<void> {
    return this.trainer.setLearningRate(lr);
  }

  async syncTo(params: ParamMap): Promise<void> {
    const weights = await this.trainer.getWeights();
    this.names.forEach((name, i) => {
      const v = params.get(name) as tf.Variable;
      tf.tidy(() => v.assign(tf.tensor(weights[i] as Float32Array, v.shape)));
    });
  }

  close(): Promise<void> {
    return this.trainer.close();
  }
}

function clipByGlobalNorm(grads: Record<string, Tensor>, maxNorm: number): Record<string, Tensor> {
  const names = Object.keys(grads);
  const sq = tf.addN(names.map((n) => tf.sum(tf.square(grads[n] as Tensor))));
  const norm = Math.sqrt(sq.dataSync()[0] as number);
  if (!(norm > maxNorm)) return grads;
  const scale = maxNorm / norm;
  const out: Record<string, Tensor> = {};
  for (const n of names) out[n] = tf.mul(grads[n] as Tensor, scale);
  return out;
}
