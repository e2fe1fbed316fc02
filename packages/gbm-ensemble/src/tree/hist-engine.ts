import { buildHist1, buildHistN } from './histogram.js';

/**
 * Builds a node's gradient histogram from its rows. The single-thread engine calls the kernel
 * directly; `ParallelHistEngine` (parallel/) splits the rows between threads.
 */
export interface HistEngine {
  build(order: Int32Array, begin: number, end: number, hist: Float64Array): void;
}

export class LocalHistEngine implements HistEngine {
  private grad: Float32Array = new Float32Array(0);
  private hess: Float32Array = new Float32Array(0);

  constructor(
    private readonly bins: Uint8Array,
    private readonly cols: number,
    private readonly outputs: number,
  ) {}

  /** Gradients and hessians the histograms read (row-major rows x outputs, and rows). */
  setGradients(grad: Float32Array, hess: Float32Array): void {
    this.grad = grad;
    this.hess = hess;
  }

  build(order: Int32Array, begin: number, end: number, hist: Float64Array): void {
    this.buildFeatures(0, this.cols, order, begin, end, hist);
  }

  buildFeatures(f0: number, f1: number, order: Int32Array, begin: number, end: number, hist: Float64Array): void {
    if (this.outputs === 1) buildHist1(this.bins, this.cols, f0, f1, order, begin, end, this.grad, this.hess, hist);
    else buildHistN(this.bins, this.cols, f0, f1, this.outputs, order, begin, end, this.grad, this.hess, hist);
  }
}
