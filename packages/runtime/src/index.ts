export { type BackendName, type ReadyOptions, type RuntimeInfo, ready, tf } from './backend.js';
export { installChainedOps } from './chained-ops.js';
export { configureEngine, type EngineOptions, type EngineStatus, engineStatus, type KernelSet } from './engine/engine-state.js';
export * from './errors.js';
export {
  DEFAULT_MAX_PIXELS,
  type DecodeOptions,
  decodeImage,
  type EncodeOptions,
  encodeImage,
  type ImageArray,
  type ImageInput,
  imageToTensor,
  type ResizeOptions,
  resizeImage,
  toImageArray,
  writeImage,
} from './io/image-io.js';
export { fileSystem } from './io/model-io.js';
export { loadGraphModel, loadLayersModel, saveLayersModel } from './io/models.js';
export { packageFile, requirePackageFile } from './io/package-file.js';
export { type WasmApi, type WasmMemory, wasmApi } from './io/wasm-api.js';
export {
  ADDED_WASM_KERNELS,
  ENGINE_WASM_KERNELS,
  kernelNames,
  MEMORY_WASM_KERNELS,
  OVERRIDDEN_WASM_KERNELS,
  registerEngineKernels,
  registerWasmTrainingKernels,
  type TrainingKernelOptions,
} from './kernels/register.js';
export { MLPClassifier, type MLPClassifierOptions } from './mlp/mlp-classifier.js';
export type { Activation, MLPOptions } from './mlp/mlp-options.js';
export { MLPRegressor, type MLPRegressorOptions } from './mlp/mlp-regressor.js';
export { type DataParallelOptions, DataParallelTrainer } from './pool/data-parallel.js';
export type { ArrayPayload, Batch, NamedArray, OptimizerSpec, TypedArray } from './pool/messages.js';
export { defineModelTask, type ModelTaskSetup } from './pool/model-task.js';
export { defineTrainingTask, type TrainingSetup, type TrainingTask } from './pool/training-task.js';
export { type TaskRef, WorkerPool, type WorkerPoolOptions } from './pool/worker-pool.js';
export { type CheckpointArray, readCheckpoint, writeCheckpoint } from './training/checkpoint-file.js';
export {
  type ClassLabel,
  type ClassWeight,
  checkClassWeight,
  classTargets,
  logitsToProba,
  probaToLabels,
  weightedCrossEntropy,
} from './training/class-targets.js';
export { EarlyStopping, type EarlyStoppingOptions, type EarlyStoppingState } from './training/early-stopping.js';
export { InPlaceMomentumOptimizer } from './training/in-place-momentum.js';
export { leanVariableGrads } from './training/lean-backprop.js';
export { LOSS_NAMES, type LossFn, type LossName, namedLoss } from './training/losses.js';
export {
  cosineAnnealing,
  cosineAnnealingWarmRestarts,
  type LrSchedule,
  ReduceOnPlateau,
  type ReduceOnPlateauOptions,
  type ReduceOnPlateauState,
  stepDecay,
} from './training/lr-schedule.js';
export { binaryAuc, computeMetric, METRIC_NAMES, type MetricName } from './training/metrics.js';
export { createOptimizer, OPTIMIZER_NAMES, type OptimizerConfig, type OptimizerName } from './training/optimizers.js';
export { ProgressBar, type ProgressOptions } from './training/progress.js';
export { Rng } from './training/rng.js';
export {
  type EpochRecord,
  type FitOptions,
  type Scores,
  type TrainableModel,
  Trainer,
  type TrainerOptions,
  type TrainingBatch,
  type TrainingLog,
  type TrainingProgress,
  type TrainingSource,
} from './training/trainer.js';
export { columnStats, type Matrix, toMatrix } from './training/training-data.js';
export type { TrainerWorkers } from './training/worker-steps.js';
