import { cgRows, choleskyRows } from '../als-solvers.js';
import { gramRows } from '../linalg.js';

/** What the worker threads can run, by name (the worker imports this same table). */
export const kernels = { cgRows, choleskyRows, gramRows };

export type KernelName = keyof typeof kernels;
export type KernelArgs<K extends KernelName> = Parameters<(typeof kernels)[K]>[0];
