import * as tf from '@tensorflow/tfjs-core';
import { rangeError } from '../errors.js';
import { InPlaceMomentumOptimizer } from './in-place-momentum.js';

export type OptimizerName = 'sgd' | 'momentum' | 'nesterov' | 'adam' | 'adamw' | 'rmsprop';

export interface OptimizerConfig {
  name: OptimizerName;
  /** momentum / nesterov: default 0.9; rmsprop: default 0. */
  momentum?: number;
  /** adam / adamw: defaults 0.9, 0.999, 1e-7 (Keras); rmsprop: decay 0.9 (`rho`). */
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  rho?: number;
}

export const OPTIMIZER_NAMES: readonly OptimizerName[] = ['sgd', 'momentum', 'nesterov', 'adam', 'adamw', 'rmsprop'];

/**
 * A tfjs optimizer for a name or config. Weight decay is not part of the optimizer here: the
 * Trainer applies it to every kernel, decoupled (w -= lr * decay * w after the step) for 'adamw'
 * as in Loshchilov and Hutter, and as an L2 term added to the gradient for the others, as
 * PyTorch's `weight_decay` does.
 */
export function createOptimizer(spec: OptimizerName | OptimizerConfig, learningRate: number): { optimizer: tf.Optimizer; name: OptimizerName } {
  const config: OptimizerConfig = typeof spec === 'string' ? { name: spec } : spec;
  if (config === null || typeof config !== 'object' || !OPTIMIZER_NAMES.includes(config.name))
    throw rangeError('options.optimizer', `one of ${OPTIMIZER_NAMES.join(', ')} (or { name, ... })`, typeof spec === 'string' ? spec : config?.name);
  const unit = (key: keyof OptimizerConfig, v: number | undefined, fallback: number, open = false) => {
    const x = v ?? fallback;
    if (typeof x !== 'number' || !(x >= 0 && (open ? x < 1 : x <= 1)))
      throw rangeError(`options.optimizer.${key}`, open ? 'a number in [0, 1)' : 'a number in [0, 1]', x);
    return x;
  };
  switch (config.name) {
    case 'sgd':
      return { optimizer: tf.train.sgd(learningRate), name: 'sgd' };
    case 'momentum':
    case 'nesterov':
      // tfjs's update, done in place on the wasm heap (see InPlaceMomentumOptimizer): VGG-16 at batch 8 fits only so.
      return { optimizer: new InPlaceMomentumOptimizer(learningRate, unit('momentum', config.momentum, 0.9), config.name === 'nesterov'), name: config.name };
    case 'adam':
    case 'adamw': {
      const epsilon = config.epsilon ?? 1e-7;
      if (!(epsilon > 0)) throw rangeError('options.optimizer.epsilon', 'a positive number', epsilon);
      return {
        optimizer: tf.train.adam(learningRate, unit('beta1', config.beta1, 0.9, true), unit('beta2', config.beta2, 0.999, true), epsilon),
        name: config.name,
      };
    }
    case 'rmsprop': {
      const epsilon = config.epsilon ?? 1e-7;
      if (!(epsilon > 0)) throw rangeError('options.optimizer.epsilon', 'a positive number', epsilon);
      return { optimizer: tf.train.rmsprop(learningRate, unit('rho', config.rho, 0.9), unit('momentum', config.momentum, 0), epsilon), name: 'rmsprop' };
    }
  }
}

/**
 * Sets the rate a tfjs optimizer uses for its next step. SGD and momentum keep it as a cached
 * tensor that only their own setLearningRate renews (writing the field alone left them on the
 * old rate); the others read the plain field.
 */
export function setLearningRate(optimizer: tf.Optimizer, learningRate: number): void {
  const o = optimizer as unknown as { learningRate: number; setLearningRate?: (lr: number) => void };
  if (typeof o.setLearningRate === 'function') o.setLearningRate(learningRate);
  else o.learningRate = learningRate;
}

/**
 * Adam's running bias-correction powers (beta1^t, beta2^t). tfjs's setWeights recomputes them
 * with pow(), which rounds differently from the running product, so a resumed run would drift in
 * the last bits; they are saved and put back as they were.
 */
function adamPowers(optimizer: tf.Optimizer): [string, tf.Variable][] {
  const o = optimizer as unknown as Record<string, unknown>;
  return ['accBeta1', 'accBeta2'].filter((k) => o[k] instanceof tf.Variable).map((k) => [k, o[k] as tf.Variable]);
}

/** Where Adam's powers sit among saved optimizer slots (checkpoints, the workers' slot messages). */
export const POWER_PREFIX = 'power/';

/** Adam's powers as named scalars (`power/accBeta1`, ...); none for other optimizers. */
export function adamPowerArrays(optimizer: tf.Optimizer): { name: string; shape: number[]; data: Float32Array }[] {
  return adamPowers(optimizer).map(([k, v]) => ({ name: `${POWER_PREFIX}${k}`, shape: [], data: Float32Array.from(v.dataSync()) }));
}

/** Puts back the powers `adamPowerArrays` saved; arrays with other names are ignored. */
export function restoreAdamPowers(optimizer: tf.Optimizer, arrays: readonly { name: string; data: Float32Array }[]): void {
  const saved = new Map(arrays.filter((a) => a.name.startsWith(POWER_PREFIX)).map((a) => [a.name.slice(POWER_PREFIX.length), a.data[0] as number]));
  for (const [k, v] of adamPowers(optimizer)) {
    const p = saved.get(k);
    if (p !== undefined) v.assign(tf.scalar(p));
  }
}
