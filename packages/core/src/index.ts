export { type ChunkWriter, writeFileAtomic, writeFileAtomicSync } from './atomic-file.js';
export { type ClassificationReport, classificationReport, type Label } from './classification-report.js';
export { checkFunction, checkInteger, checkNumber, checkOneOf, checkOptions, describe, notFitted, rangeError, typeError } from './errors.js';
export {
  HierarchicalClassifier,
  type HierarchicalOptions,
  type HierarchicalPrediction,
  type ProbabilisticClassifier,
} from './hierarchical-classifier.js';
export { readJsonFile } from './json-file.js';
export { Rng } from './rng.js';
export {
  awaitStarted,
  type StartedWorker,
  type StartWorkerOptions,
  startWorker,
  WORKER_START_TIMEOUT_MS,
  WorkerStartError,
  warnWorkerFallback,
  workerExecArgv,
  workerInput,
} from './worker-start.js';
