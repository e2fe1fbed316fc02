import { assertKnownOptions, rangeError, typeError } from '../errors.js';
import type { LrSchedule, ReduceOnPlateau } from '../training/lr-schedule.js';
import { OPTIMIZER_NAMES, type OptimizerName } from '../training/optimizers.js';
import type { TrainingProgress } from '../training/trainer.js';

export type Activation = 'relu' | 'tanh' | 'logistic' | 'elu';

/** Options shared by MLPRegressor and MLPClassifier (scikit-learn names where they exist). */
export interface MLPOptions {
  /** Units of each hidden layer. Default [64, 32]. */
  hiddenLayerSizes?: number[];
  /** Default 'relu'. */
  activation?: Activation;
  /** Batch normalisation after each hidden layer. Default false. */
  batchNorm?: boolean;
  /** Dropout rate after each hidden layer, in [0, 1). Default 0. */
  dropout?: number;
  /** Scale inputs by the training mean and std inside the model. Default true. */
  standardize?: boolean;
  /** Default 'adam'. */
  optimizer?: OptimizerName;
  /** Default 1e-3. */
  learningRate?: number;
  /** Kernel weight decay (decoupled for 'adamw'). Default 0. */
  weightDecay?: number;
  /** Global gradient norm clip; 0 = off. Default 0. */
  clipNorm?: number;
  /** Learning rate by epoch, or a ReduceOnPlateau. Default none (constant). */
  schedule?: LrSchedule | ReduceOnPlateau;
  /** Default 200. */
  epochs?: number;
  /** Default 32. */
  batchSize?: number;
  /** Rows held out for early stopping, in [0, 1); 0 trains on every row for `epochs`. Default 0.1. */
  validationFraction?: number;
  /** Epochs without a lower validation loss before stopping (best weights restored). Default 10. */
  patience?: number;
  /** Default 0. */
  seed?: number;
  onProgress?: (p: TrainingProgress) => void;
}

export const MLP_DEFAULTS = {
  hiddenLayerSizes: [64, 32],
  activation: 'relu' as Activation,
  batchNorm: false,
  dropout: 0,
  standardize: true,
  optimizer: 'adam' as OptimizerName,
  learningRate: 1e-3,
  weightDecay: 0,
  clipNorm: 0,
  epochs: 200,
  batchSize: 32,
  validationFraction: 0.1,
  patience: 10,
  seed: 0,
};

export type ResolvedMLPOptions = typeof MLP_DEFAULTS & Pick<MLPOptions, 'schedule' | 'onProgress'>;

const MLP_KEYS = [...Object.keys(MLP_DEFAULTS), 'schedule', 'onProgress'];

/** Checks every option by name and fills in the defaults; `extra` lists the estimator's own keys. */
export function resolveMLPOptions(name: string, options: object, extra: readonly string[]): ResolvedMLPOptions {
  assertKnownOptions(name, options, [...MLP_KEYS, ...extra]);
  const o = { ...MLP_DEFAULTS, ...(options as MLPOptions) } as ResolvedMLPOptions;
  if (!Array.isArray(o.hiddenLayerSizes) || !o.hiddenLayerSizes.every((u) => Number.isInteger(u) && u >= 1 && u <= 65_536))
    throw rangeError('options.hiddenLayerSizes', 'an array of integers in [1, 65536] (may be empty)', o.hiddenLayerSizes);
  if (!['relu', 'tanh', 'logistic', 'elu'].includes(o.activation)) throw rangeError('options.activation', "'relu', 'tanh', 'logistic' or 'elu'", o.activation);
  for (const k of ['batchNorm', 'standardize'] as const) if (typeof o[k] !== 'boolean') throw typeError(`options.${k}`, 'a boolean', o[k]);
  if (!(o.dropout >= 0 && o.dropout < 1)) throw rangeError('options.dropout', 'a number in [0, 1)', o.dropout);
  if (!OPTIMIZER_NAMES.includes(o.optimizer)) throw rangeError('options.optimizer', OPTIMIZER_NAMES.join(', '), o.optimizer);
  if (!(o.learningRate > 0 && Number.isFinite(o.learningRate))) throw rangeError('options.learningRate', 'a positive finite number', o.learningRate);
  for (const k of ['weightDecay', 'clipNorm'] as const)
    if (!(o[k] >= 0 && Number.isFinite(o[k]))) throw rangeError(`options.${k}`, 'a non-negative finite number', o[k]);
  for (const k of ['epochs', 'batchSize', 'patience'] as const)
    if (!Number.isInteger(o[k]) || o[k] < 1 || o[k] > 1e7) throw rangeError(`options.${k}`, 'an integer in [1, 1e7]', o[k]);
  if (!(o.validationFraction >= 0 && o.validationFraction < 1)) throw rangeError('options.validationFraction', 'a number in [0, 1)', o.validationFraction);
  if (!Number.isInteger(o.seed)) throw rangeError('options.seed', 'an integer', o.seed);
  if (o.onProgress !== undefined && typeof o.onProgress !== 'function') throw typeError('options.onProgress', 'a function', o.onProgress);
  return o;
}
