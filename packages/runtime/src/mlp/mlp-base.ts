import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { rangeError } from '../errors.js';
import { readCheckpoint, writeCheckpoint } from '../training/checkpoint-file.js';
import type { LossFn, LossName } from '../training/losses.js';
import { Trainer, type TrainingLog } from '../training/trainer.js';
import { columnStats, type Matrix, toMatrix } from '../training/training-data.js';
import { buildNetwork, networkArrays } from './mlp-network.js';
import { MLP_DEFAULTS, type ResolvedMLPOptions } from './mlp-options.js';

const FORMAT = 'aiffel-mlp';

/**
 * What MLPRegressor and MLPClassifier share: input standardisation kept with the model, the
 * network, training through the runtime's Trainer (validation hold-out, early stopping with the
 * best weights restored), batched inference, and one file format.
 */
export abstract class MLPBase {
  /** The training log of the last fit (epochs with loss, validation loss, learning rate). */
  log: TrainingLog | undefined;
  protected network: tfl.Sequential | undefined;
  protected mean: Float32Array = new Float32Array(0);
  protected std: Float32Array = new Float32Array(0);
  protected inputs = 0;

  protected constructor(readonly options: ResolvedMLPOptions) {}

  get fitted(): boolean {
    return this.network !== undefined;
  }

  protected scale(x: Matrix): Matrix {
    if (x.cols !== this.inputs) throw rangeError('X columns', `${this.inputs} (as in fit)`, x.cols);
    if (!this.options.standardize) return x;
    const data = new Float32Array(x.data.length);
    for (let i = 0; i < x.rows; i++)
      for (let j = 0; j < x.cols; j++) data[i * x.cols + j] = ((x.data[i * x.cols + j] as number) - (this.mean[j] as number)) / (this.std[j] as number);
    return { ...x, data };
  }

  /** Fits the scaler and the network on rows `x` and targets `y` (already encoded). */
  protected async train(x: Matrix, y: Matrix, outputs: number, loss: LossName | LossFn, fromLogits: boolean): Promise<void> {
    const o = this.options;
    this.inputs = x.cols;
    ({ mean: this.mean, std: this.std } = o.standardize ? columnStats(x) : { mean: new Float32Array(x.cols), std: new Float32Array(x.cols).fill(1) });
    this.network?.dispose();
    const network = buildNetwork(x.cols, outputs, o);
    const trainer = new Trainer({
      model: network,
      loss,
      fromLogits,
      optimizer: o.optimizer,
      learningRate: o.learningRate,
      weightDecay: o.weightDecay,
      clipNorm: o.clipNorm,
      ...(o.schedule !== undefined && { schedule: o.schedule }),
    });
    const useValidation = o.validationFraction > 0 && Math.round(x.rows * o.validationFraction) >= 1 && Math.round(x.rows * o.validationFraction) < x.rows;
    this.log = await trainer.fit(
      { x: this.scale(x), y },
      {
        epochs: o.epochs,
        batchSize: Math.min(o.batchSize, x.rows),
        seed: o.seed,
        ...(useValidation && { validation: o.validationFraction, earlyStopping: { patience: o.patience } }),
        ...(o.onProgress !== undefined && { onProgress: o.onProgress }),
      },
    );
    this.network = network;
  }

  /** The network's raw outputs (values or logits), rows x outputs. */
  protected raw(X: unknown): { data: Float32Array; rows: number; outputs: number } {
    const network = this.network;
    if (network === undefined) throw new Error(`${this.constructor.name}: call fit() before predicting`);
    const x = this.scale(toMatrix('X', X));
    const out = tf.tidy(() => network.predict(tf.tensor2d(x.data, [x.rows, x.cols])) as tf.Tensor);
    const data = out.dataSync() as Float32Array;
    const outputs = out.shape[1] as number;
    out.dispose();
    return { data, rows: x.rows, outputs };
  }

  protected async saveAs(path: string, kind: string, extra: Record<string, unknown>): Promise<void> {
    if (this.network === undefined) throw new Error(`${this.constructor.name}: fit the model before saving it`);
    const { onProgress: _p, schedule: _s, ...options } = this.options;
    await writeCheckpoint(path, { format: FORMAT, version: 1, kind, options, inputs: this.inputs, ...extra }, [
      { name: 'mean', shape: [this.inputs], data: this.mean },
      { name: 'std', shape: [this.inputs], data: this.std },
      ...networkArrays(this.network),
    ]);
  }

  /** Reads a saved model's parts; the caller rebuilds its own class from them. */
  protected static async readFile(
    path: string,
    kind: string,
  ): Promise<{ header: Record<string, unknown>; mean: Float32Array; std: Float32Array; weights: Float32Array[] }> {
    const { header, arrays } = await readCheckpoint(path);
    if (header.format !== FORMAT || header.version !== 1)
      throw rangeError(`${path} format`, `'${FORMAT}' version 1`, `${String(header.format)} ${String(header.version)}`);
    if (header.kind !== kind) throw rangeError(`${path} kind`, `'${kind}'`, header.kind);
    const inputs = header.inputs;
    if (!Number.isInteger(inputs) || (inputs as number) < 1) throw rangeError(`${path} inputs`, 'a positive integer', inputs);
    const [mean, std, ...weights] = arrays;
    if (mean?.name !== 'mean' || std?.name !== 'std' || mean.data.length !== inputs || std.data.length !== inputs)
      throw rangeError(`${path} scaler`, `mean and std of ${inputs} values`, mean?.data.length);
    for (const a of arrays)
      for (let i = 0; i < a.data.length; i++) if (!Number.isFinite(a.data[i])) throw rangeError(`${path} ${a.name}`, 'finite values', a.data[i]);
    for (let i = 0; i < std.data.length; i++) if (!((std.data[i] as number) > 0)) throw rangeError(`${path} std[${i}]`, 'a positive number', std.data[i]);
    return { header, mean: mean.data, std: std.data, weights: weights.map((w) => w.data) };
  }

  /** Rebuilds the network of a loaded model and puts its weights in. */
  protected restoreNetwork(inputs: number, outputs: number, mean: Float32Array, std: Float32Array, weights: Float32Array[], path: string): void {
    const network = buildNetwork(inputs, outputs, this.options);
    if (network.weights.length !== weights.length) throw rangeError(`${path} weights`, `${network.weights.length} arrays for these options`, weights.length);
    network.weights.forEach((w, i) => {
      const values = weights[i] as Float32Array;
      const size = w.shape.reduce((a: number, b) => a * (b as number), 1);
      if (values.length !== size) throw rangeError(`${path} weight ${i}`, `${size} values (shape [${w.shape}])`, values.length);
      w.write(tf.tensor(values, w.shape as number[]));
    });
    this.network = network;
    this.inputs = inputs;
    this.mean = mean;
    this.std = std;
  }

  dispose(): void {
    this.network?.dispose();
    this.network = undefined;
  }
}

/** The saved options, checked again by the estimator's constructor (a tampered file is refused by name). */
export function savedOptions(header: Record<string, unknown>): Record<string, unknown> {
  const o = header.options;
  if (o === null || typeof o !== 'object' || Array.isArray(o)) throw rangeError('model file options', 'an object', o);
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(MLP_DEFAULTS)) if (k in (o as object)) out[k] = (o as Record<string, unknown>)[k];
  return out;
}
