import { buildHist1, buildHistN } from '../tree/histogram.js';
import { type FitLayout, instantiateKernels } from '../wasm/kernels.js';

/**
 * Where one fit's inputs and outputs live: plain shared arrays for the JavaScript kernels, or one
 * shared WebAssembly memory for the wasm kernels. Sent to each worker once per fit.
 */
export type KernelBuffers =
  | {
      kind: 'js';
      bins: Uint8Array;
      cols: number;
      outputs: number;
      order: Int32Array;
      grad: Float32Array;
      hess: Float32Array;
      target: Float64Array;
    }
  | { kind: 'wasm'; layout: FitLayout; cols: number; histDoubles: number };

export interface ThreadKernels {
  /** Adds rows order[begin, end) of features [f0, f1) into the target histogram. */
  hist(f0: number, f1: number, begin: number, end: number): void;
  /**
   * Splits rows order[begin, end) by feature f and the goesLeft table: left rows back into order
   * from begin, right rows into temp from begin; returns the left count. Only the wasm kernels
   * have it (the JavaScript engine partitions on the calling thread).
   */
  partition?(f: number, begin: number, end: number): number;
}

export interface KernelViews {
  order: Int32Array;
  grad: Float32Array;
  hess: Float32Array;
  target: Float64Array;
}

export function kernelViews(b: KernelBuffers): KernelViews {
  if (b.kind === 'js') return b;
  const { layout } = b;
  const buf = layout.memory.buffer;
  return {
    order: new Int32Array(buf, layout.order, layout.rows),
    grad: new Float32Array(buf, layout.grad, layout.rows),
    hess: new Float32Array(buf, layout.hess, layout.rows),
    target: new Float64Array(buf, layout.target, b.histDoubles),
  };
}

/** Thread `part`'s kernels over the buffers (the main thread is part 0). */
export function makeKernels(b: KernelBuffers, part: number): ThreadKernels {
  if (b.kind === 'wasm') return instantiateKernels(b.layout, part);
  const { bins, cols, outputs, order, grad, hess, target } = b;
  if (outputs === 1) return { hist: (f0, f1, begin, end) => buildHist1(bins, cols, f0, f1, order, begin, end, grad, hess, target) };
  return { hist: (f0, f1, begin, end) => buildHistN(bins, cols, f0, f1, outputs, order, begin, end, grad, hess, target) };
}
