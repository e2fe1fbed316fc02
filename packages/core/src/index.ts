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
