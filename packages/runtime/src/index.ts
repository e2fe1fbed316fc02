export { ready, tf, type BackendName, type ReadyOptions, type RuntimeInfo } from './backend.js';
export { installChainedOps } from './chained-ops.js';
export { registerWasmTrainingKernels, ADDED_WASM_KERNELS, OVERRIDDEN_WASM_KERNELS, kernelNames, type TrainingKernelOptions } from './kernels/register.js';
export * from './errors.js';
export { fileSystem } from './io/model-io.js';
export { loadGraphModel, loadLayersModel, saveLayersModel } from './io/models.js';
export {
  decodeImage,
  encodeImage,
  resizeImage,
  writeImage,
  imageToTensor,
  toImageArray,
  DEFAULT_MAX_PIXELS,
  type ImageArray,
  type ImageInput,
  type DecodeOptions,
  type EncodeOptions,
  type ResizeOptions,
} from './io/image-io.js';
export { Rng } from './training/rng.js';
export { stepDecay, cosineAnnealing, cosineAnnealingWarmRestarts, ReduceOnPlateau, type LrSchedule, type ReduceOnPlateauOptions } from './training/lr-schedule.js';
export { EarlyStopping, type EarlyStoppingOptions } from './training/early-stopping.js';
export { ProgressBar, type ProgressOptions } from './training/progress.js';
export { WorkerPool, type WorkerPoolOptions, type TaskRef } from './pool/worker-pool.js';
export { DataParallelTrainer, type DataParallelOptions } from './pool/data-parallel.js';
export { defineTrainingTask, type TrainingTask, type TrainingSetup } from './pool/training-task.js';
export type { ArrayPayload, Batch, OptimizerSpec, TypedArray } from './pool/messages.js';
