import { pathToFileURL } from 'node:url';
import { Worker, workerData } from 'node:worker_threads';

/**
 * One start-up protocol for every worker thread of every @aiffel package, so that a worker that
 * cannot start becomes an error (or the caller's one-thread fallback) within a bounded time
 * instead of a caller blocked forever in `Atomics.wait` or awaiting a reply that never comes.
 *
 * - The worker gets an explicit execArgv with only the options known to be safe in a worker:
 *   inheriting `--input-type=module` (from `node --input-type=module -e ...`), `--eval`, a
 *   `--loader`/`--import` hook or a V8 flag kills it at start-up or makes `new Worker` throw.
 * - The worker is started through a tiny CommonJS bootstrap that imports the real module and
 *   writes the outcome (loaded, or failed with the error text) into shared memory. A synchronous
 *   caller can wait for that word with `Atomics.wait` (no event can reach a blocked thread, so
 *   Node's 'error' event alone would never wake it); an asynchronous one awaits `started`.
 * - Start-up has a deadline; past it the worker is terminated and the start counts as failed.
 */

/** Default deadline for a worker to load its module: generous for a busy 2-core machine. */
export const WORKER_START_TIMEOUT_MS = 20_000;

const PENDING = 0;
const LOADED = 1;
const FAILED = 2;
const MESSAGE_BYTES = 2048;
const START_KEY = '__aiffelStart';

/**
 * Options a worker may take over from the main thread. Everything else is left out: entry-point
 * options (`-e`, `-p`, `--input-type`, `--test`, `--watch`), module hooks (`--loader`, `--import`,
 * `-r`: our workers are built JavaScript and need none), debugger ports, and V8 or process-wide
 * flags, which `new Worker` rejects when passed explicitly (V8 flags apply to workers anyway).
 */
const SAFE_FLAGS = new Set([
  '--enable-source-maps',
  '--no-warnings',
  '--no-deprecation',
  '--trace-warnings',
  '--trace-deprecation',
  '--throw-deprecation',
  '--pending-deprecation',
  '--trace-uncaught',
  '--preserve-symlinks',
  '--experimental-vm-modules',
]);
const SAFE_WITH_VALUE = new Set(['--conditions', '-C', '--unhandled-rejections', '--stack-trace-limit']);

/** The part of `execArgv` (default `process.execArgv`) that is safe to hand to a worker thread. */
export function workerExecArgv(execArgv: readonly string[] = process.execArgv): string[] {
  const out: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const arg = execArgv[i] as string;
    const eq = arg.indexOf('=');
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    if (SAFE_FLAGS.has(flag) && eq < 0) out.push(arg);
    else if (SAFE_WITH_VALUE.has(flag)) {
      if (eq > 0) out.push(arg);
      else if (i + 1 < execArgv.length) out.push(arg, execArgv[++i] as string);
    } else if (eq < 0 && takesValue(flag) && i + 1 < execArgv.length) i++; // skip the dropped option's value too
  }
  return out;
}

// Options whose value is the next argument when written without '=' (so the value is not read as a flag).
function takesValue(flag: string): boolean {
  return [
    '-e',
    '--eval',
    '-p',
    '--print',
    '--input-type',
    '--loader',
    '--experimental-loader',
    '--import',
    '-r',
    '--require',
    '--inspect-port',
    '--debug-port',
    '--env-file',
    '--watch-path',
    '--test-reporter',
    '--test-reporter-destination',
    '--test-name-pattern',
    '--title',
    '--max-old-space-size',
    '--stack-size',
  ].includes(flag);
}

/** Thrown (or rejected with) when a worker could not start; `reason` says why. */
export class WorkerStartError extends Error {
  override name = 'WorkerStartError';
  constructor(
    readonly workerName: string,
    readonly reason: string,
  ) {
    super(`${workerName} could not start: ${reason}`);
  }
}

export interface StartWorkerOptions {
  /** What the worker is, for messages: 'gbm-ensemble tree-growth worker'. */
  name: string;
  /** Handed to the worker, which reads it with `workerInput()`. Structured-cloned. */
  data?: unknown;
  /** Milliseconds the worker may take to load its module. Default `WORKER_START_TIMEOUT_MS`. */
  timeoutMs?: number;
  /** Overrides the worker's execArgv (still passed through `workerExecArgv`). */
  execArgv?: readonly string[];
}

export interface StartedWorker {
  readonly worker: Worker;
  /** Resolves once the module has loaded; rejects with a WorkerStartError otherwise. */
  readonly started: Promise<void>;
  /**
   * Blocks this thread until the module has loaded (returns) or start-up failed or timed out
   * (terminates the worker and throws WorkerStartError). For synchronous, Atomics-driven callers.
   */
  waitStartedSync(): void;
}

/** In a worker started by `startWorker`: the `data` it was given. */
export function workerInput<T>(): T {
  const wd = workerData as { [START_KEY]?: unknown; data?: T } | null;
  if (wd === null || typeof wd !== 'object' || !(START_KEY in wd)) throw new Error('workerInput() called outside a worker started by startWorker()');
  return wd.data as T;
}

// CommonJS, evaluated in the new thread: import the module, then report the outcome. A module
// that throws or cannot be found reports its error text; one that never finishes loading is
// caught by the caller's deadline.
const BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
const { state, message, url } = workerData.${START_KEY};
const finish = (code, text) => {
  if (text) {
    const bytes = Buffer.from(text).subarray(0, message.length);
    message.set(bytes);
    Atomics.store(state, 1, bytes.length);
  }
  Atomics.store(state, 0, code);
  Atomics.notify(state, 0);
};
// The error's first line and its first frame outside Node's internals: enough to find the fault.
const describe = (e) => {
  if (!(e instanceof Error)) return String(e);
  const frame = String(e.stack || '').split('\\n').find((l) => /^\\s+at /.test(l) && !l.includes('node:internal'));
  return (e.name + ': ' + e.message).split('\\n')[0] + (frame ? ' (' + frame.trim() + ')' : '');
};
import(url).then(() => finish(${LOADED}), (e) => finish(${FAILED}, describe(e)));
`;

function moduleUrl(module: string | URL | { source: string }): string {
  if (module instanceof URL) return module.href;
  if (typeof module === 'string') return /^(file|data):/.test(module) ? module : pathToFileURL(module).href;
  if (module !== null && typeof module === 'object' && typeof module.source === 'string') {
    return `data:text/javascript;base64,${Buffer.from(module.source).toString('base64')}`;
  }
  throw new TypeError(`module must be a file path, a file URL or { source }, got ${typeof module}`);
}

/**
 * Starts `module` (a file path, a file URL, or `{ source }` of an ES module) on a new worker
 * thread with a safe execArgv and a bounded start-up. Throws WorkerStartError when the thread
 * cannot even be created.
 */
export function startWorker(module: string | URL | { source: string }, options: StartWorkerOptions): StartedWorker {
  const name = options.name;
  const timeoutMs = options.timeoutMs ?? WORKER_START_TIMEOUT_MS;
  if (!(timeoutMs > 0) || !Number.isFinite(timeoutMs)) throw new RangeError(`options.timeoutMs must be a positive number, got ${timeoutMs}`);
  const url = moduleUrl(module);
  const state = new Int32Array(new SharedArrayBuffer(8));
  const message = new Uint8Array(new SharedArrayBuffer(MESSAGE_BYTES));
  let worker: Worker;
  try {
    worker = new Worker(BOOTSTRAP, {
      eval: true,
      execArgv: workerExecArgv(options.execArgv),
      workerData: { [START_KEY]: { state, message, url }, data: options.data },
    });
  } catch (e) {
    throw new WorkerStartError(name, e instanceof Error ? e.message : String(e));
  }
  const reason = (): string => Buffer.from(message.subarray(0, Atomics.load(state, 1))).toString('utf8') || 'its module failed to load';
  const timedOut = (): WorkerStartError => new WorkerStartError(name, `it did not load its module within ${timeoutMs} ms`);

  const started = new Promise<void>((resolve, reject) => {
    let settled = false;
    const settle = (err?: Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearInterval(poll);
      worker.off('error', onError);
      worker.off('exit', onExit);
      if (err) {
        void worker.terminate();
        reject(err);
      } else resolve();
    };
    const check = (): void => {
      const s = Atomics.load(state, 0);
      if (s === LOADED) settle();
      else if (s === FAILED) settle(new WorkerStartError(name, reason()));
    };
    const onError = (e: Error): void => settle(new WorkerStartError(name, e.message));
    const onExit = (code: number): void => {
      check();
      settle(new WorkerStartError(name, `it exited with code ${code} during start-up`));
    };
    worker.on('error', onError);
    worker.on('exit', onExit);
    // The outcome lands in shared memory, not as an event: look every few milliseconds.
    const poll = setInterval(check, 5);
    const timer = setTimeout(() => settle(timedOut()), timeoutMs);
    check();
  });
  // A caller that only uses waitStartedSync must not see an unhandled rejection.
  started.catch(() => {});

  const waitStartedSync = (): void => {
    const deadline = Date.now() + timeoutMs;
    while (Atomics.load(state, 0) === PENDING) {
      const left = deadline - Date.now();
      if (left <= 0) {
        void worker.terminate();
        throw timedOut();
      }
      Atomics.wait(state, 0, PENDING, left);
    }
    if (Atomics.load(state, 0) === FAILED) {
      void worker.terminate();
      throw new WorkerStartError(name, reason());
    }
  };
  return { worker, started, waitStartedSync };
}

/**
 * Reports once, as an `AiffelWorkerWarning`, that a worker could not start and what the caller
 * does instead ('running on one thread'), so that a fallback always says why.
 */
export function warnWorkerFallback(reason: string, fallback: string): void {
  process.emitWarning(`${reason}; ${fallback}`, 'AiffelWorkerWarning');
}

/**
 * Awaits the start-up of `started`; when one fails, terminates every worker in `workers`, warns
 * (see warnWorkerFallback) and returns the reason. Undefined when all started.
 */
export async function awaitStarted(started: Promise<void>[], workers: { terminate(): Promise<number> }[], fallback: string): Promise<string | undefined> {
  try {
    await Promise.all(started);
    return undefined;
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    warnWorkerFallback(reason, fallback);
    for (const w of workers) void w.terminate();
    return reason;
  }
}
