import { parentPort } from 'node:worker_threads';
import { type KernelName, kernels } from './kernels.js';

// Runs one row-range kernel per message on the shared arrays it was sent (see pool.ts).
parentPort?.on('message', (msg: { id: number; kernel: KernelName; args: unknown; start: number; end: number; slot: number }) => {
  try {
    (kernels[msg.kernel] as (a: unknown, s: number, e: number, slot: number) => void)(msg.args, msg.start, msg.end, msg.slot);
    parentPort?.postMessage({ id: msg.id });
  } catch (e) {
    const err = e as Error;
    parentPort?.postMessage({ id: msg.id, error: { message: err.message, name: err.name } });
  }
});
