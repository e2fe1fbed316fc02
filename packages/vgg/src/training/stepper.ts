import { DataParallelTrainer, packageFile, tf } from '@aiffel/runtime';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { VggTaskConfig } from './parallel-task.js';
import { sgdStep } from './sgd-step.js';

/** An optimizer slot (the iteration count, a momentum buffer) by name, as checkpoints store it. */
export type OptimizerSlot = { name: string; tensor: tf.Tensor };

/**
 * Where the training steps run: on this thread, or data-parallel on worker threads. After
 * `syncTo` the model holds the trained weights and batch-norm statistics (for validation and
 * checkpoints).
 */
export interface Stepper {
  /** One SGD step; resolves to the batch's cross-entropy (with workers: including the L2 penalty). */
  step(x: tf.Tensor4D, yOneHot: tf.Tensor2D): Promise<number>;
  setLearningRate(lr: number): Promise<void>;
  syncTo(model: tfl.LayersModel): Promise<void>;
  /** Starts from the model's weights and statistics and the given optimizer slots (a resumed checkpoint). */
  restore(model: tfl.LayersModel, slots: OptimizerSlot[]): Promise<void>;
  optimizerSlots(): Promise<OptimizerSlot[]>;
  close(): Promise<void>;
}

export function createStepper(model: tfl.LayersModel, workers: number, lr: number, momentum: number, weightDecay: number): Promise<Stepper> {
  return workers > 1 ? ParallelStepper.create(model, workers, lr, momentum, weightDecay) : Promise.resolve(new LocalStepper(model, lr, momentum, weightDecay));
}

class LocalStepper implements Stepper {
  private readonly optimizer: tf.MomentumOptimizer;

  constructor(
    private readonly model: tfl.LayersModel,
    lr: number,
    momentum: number,
    private readonly weightDecay: number,
  ) {
    this.optimizer = tf.train.momentum(lr, momentum);
  }

  async step(x: tf.Tensor4D, yOneHot: tf.Tensor2D): Promise<number> {
    return sgdStep(this.model, this.optimizer, x, yOneHot, this.weightDecay);
  }

  async setLearningRate(lr: number): Promise<void> {
    this.optimizer.setLearningRate(lr);
  }

  async syncTo(): Promise<void> {}

  async restore(_model: tfl.LayersModel, slots: OptimizerSlot[]): Promise<void> {
    await this.optimizer.setWeights(slots);
  }

  optimizerSlots(): Promise<OptimizerSlot[]> {
    return this.optimizer.getWeights();
  }

  async close(): Promise<void> {
    this.optimizer.dispose();
  }
}

function taskModule(): string {
  const path = packageFile(import.meta.url, 'train-task.js');
  if (path === undefined) throw new Error('@aiffel/vgg: dist/train-task.js is missing (build the package with `npm run build`)');
  return path;
}

const values = (ws: tfl.LayerVariable[]) => ws.map((w) => Float32Array.from(w.read().dataSync()));

/**
 * Data-parallel steps (runtime's DataParallelTrainer): each worker rebuilds the model from its
 * topology, computes the loss of its share of the batch, and applies the summed gradient with
 * the same SGD with momentum, so the replicas stay identical. Batch norm normalises each worker's
 * shard with that shard's statistics, and the moving averages kept are worker 0's, as
 * torch.nn.DataParallel does.
 */
class ParallelStepper implements Stepper {
  private constructor(private readonly trainer: DataParallelTrainer) {}

  static async create(model: tfl.LayersModel, workers: number, lr: number, momentum: number, weightDecay: number): Promise<ParallelStepper> {
    const config: VggTaskConfig = { topology: JSON.stringify(model.toJSON(null, false)), weightDecay };
    const trainer = await DataParallelTrainer.create({
      task: { module: taskModule(), exportName: 'vggTask' },
      config,
      workers,
      optimizer: { name: 'momentum', learningRate: lr, momentum },
    });
    const s = new ParallelStepper(trainer);
    await s.restore(model, []);
    return s;
  }

  async step(x: tf.Tensor4D, yOneHot: tf.Tensor2D): Promise<number> {
    const [xs, ys] = await Promise.all([x.data(), yOneHot.data()]);
    return this.trainer.step({ x: { data: xs as Float32Array, shape: x.shape }, y: { data: ys as Float32Array, shape: yOneHot.shape } });
  }

  setLearningRate(lr: number): Promise<void> {
    return this.trainer.setLearningRate(lr);
  }

  async syncTo(model: tfl.LayersModel): Promise<void> {
    const [weights, state] = await Promise.all([this.trainer.getWeights(), this.trainer.getState()]);
    const write = (ws: tfl.LayerVariable[], arrays: Float32Array[]) =>
      ws.forEach((w, i) => {
        const t = tf.tensor(arrays[i] as Float32Array, w.shape as number[]);
        w.write(t);
        t.dispose();
      });
    write(model.trainableWeights, weights);
    write(model.nonTrainableWeights, state);
  }

  async restore(model: tfl.LayersModel, slots: OptimizerSlot[]): Promise<void> {
    await this.trainer.setWeights(values(model.trainableWeights));
    await this.trainer.setState(values(model.nonTrainableWeights));
    if (slots.length > 0)
      await this.trainer.setOptimizerWeights(slots.map((s) => ({ name: s.name, data: Float32Array.from(s.tensor.dataSync()), shape: s.tensor.shape })));
  }

  async optimizerSlots(): Promise<OptimizerSlot[]> {
    const slots = await this.trainer.getOptimizerWeights();
    // The iteration count travels as float; checkpoints store it as tfjs does (int32).
    return slots.map((s) => ({ name: s.name, tensor: tf.tensor(s.data, s.shape, s.name === 'iter' ? 'int32' : 'float32') }));
  }

  close(): Promise<void> {
    return this.trainer.close();
  }
}
