export {
  type StartedWorker,
  type StartWorkerOptions,
  startWorker,
  WORKER_START_TIMEOUT_MS,
  WorkerStartError,
  workerExecArgv,
  workerInput,
} from './worker-start.js';
