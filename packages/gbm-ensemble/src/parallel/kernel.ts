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
      /** Histogram slots, histDoubles each. */
      target: Float64Array;
      histDoubles: number;
    }
  | { kind: 'wasm'; layout: FitLayout; cols: number };

export interface ThreadKernels {
  /** Adds rows order[begin, end) of features [f0, f1) into histogram slot `slot`. */
  hist(f0: number, f1: number, begin: number, end: number, slot: number): void;
  /**
   * Splits rows order[begin, end) by feature f and the goesLeft table: left rows back into order
   * from begin, right rows into temp from begin; returns the left count. Only the wasm kernels
   * have it (the JavaScript engine partitions on the calling thread).
   */
  partition?(f: number, begin: number, end: number): number;
  /** Adds the tree in the router region to score column k of rows [begin, end) (wasm kernels only). */
  route?(begin: number, end: number, internal: number, depth: number, k: number): void;
  /** Binary log-loss gradients of rows [begin, end) (wasm kernels with labels only). */
  binaryGradients?(begin: number, end: number): void;
}

export interface KernelViews {
  order: Int32Array;
  grad: Float32Array;
  hess: Float32Array;
  /** Histogram slot s is slots[s]. */
  slots: Float64Array[];
}

export function kernelViews(b: KernelBuffers): KernelViews {
  if (b.kind === 'js') {
    const n = b.histDoubles;
    const slots = Array.from({ length: b.target.length / n }, (_, s) => b.target.subarray(s * n, (s + 1) * n));
    return { order: b.order, grad: b.grad, hess: b.hess, slots };
  }
  const { layout } = b;
  const buf = layout.memory.buffer;
  const n = layout.histDoubles;
  return {
    order: new Int32Array(buf, layout.order, layout.rows),
    grad: new Float32Array(buf, layout.grad, layout.rows),
    hess: new Float32Array(buf, layout.hess, layout.rows),
    slots: Array.from({ length: layout.slots }, (_, s) => new Float64Array(buf, layout.target + s * n * 8, n)),
  };
}

/** Thread `part`'s kernels over the buffers (the main thread is part 0). */
export function makeKernels(b: KernelBuffers, part: number): ThreadKernels {
  if (b.kind === 'wasm') return instantiateKernels(b.layout, part);
  const { bins, cols, outputs, order, grad, hess } = b;
  const { slots } = kernelViews(b);
  if (outputs === 1) return { hist: (f0, f1, begin, end, s) => buildHist1(bins, cols, f0, f1, order, begin, end, grad, hess, slots[s] as Float64Array) };
  return { hist: (f0, f1, begin, end, s) => buildHistN(bins, cols, f0, f1, outputs, order, begin, end, grad, hess, slots[s] as Float64Array) };
}
