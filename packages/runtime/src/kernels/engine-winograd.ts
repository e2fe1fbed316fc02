import type { backend_util, TensorInfo } from '@tensorflow/tfjs-core';
import type { GemmEngine } from '../engine/gemm-engine.js';
import type { EngineActivation } from '../engine/gemm-job.js';
import { computeOnEngine } from './engine-call.js';
import type { WasmBackendLike } from './kernel-scope.js';

/**
 * Bytes of one chunk's transformed input and products (V and M): small enough to stay in the
 * last-level cache between the pass that writes them and the one that reads them.
 */
const CHUNK_BYTES = 12 * 2 ** 20;
/** Words of the Winograd passes' parameter block (assembly/winograd.ts, W_*). */
const W = {
  t0: 0,
  t1: 1,
  base: 2,
  tc: 3,
  x: 4,
  v: 5,
  m: 6,
  y: 7,
  bias: 8,
  act: 9,
  h: 10,
  w: 11,
  ic: 12,
  oc: 13,
  oh: 14,
  ow: 15,
  pt: 16,
  pl: 17,
  g: 18,
  u: 19,
  c0: 20,
  c1: 21,
};
const ACTIVATION: Record<EngineActivation, number> = { linear: 0, relu: 1, relu6: 2 };

/** Whether Winograd F(2x2, 3x3) serves this convolution: 3x3, stride 1, undilated, channels in fours. */
export function winogradApplies(info: backend_util.Conv2DInfo): boolean {
  return (
    info.filterHeight === 3 &&
    info.filterWidth === 3 &&
    info.strideHeight === 1 &&
    info.strideWidth === 1 &&
    info.dilationHeight === 1 &&
    info.dilationWidth === 1 &&
    info.inChannels % 4 === 0 &&
    info.outChannels % 4 === 0
  );
}

/** Offsets (floats in the engine's memory) of what the Winograd passes read and write. */
interface WinogradBuffers {
  x: number;
  v: number;
  m: number;
  y: number;
  g: number;
  u: number;
  bias: number;
}

/** 2x2 output tiles of the convolution, and how many of them one chunk holds. */
function tiling(info: backend_util.Conv2DInfo): { tiles: number; chunk: number } {
  const tiles = info.batchSize * Math.ceil(info.outHeight / 2) * Math.ceil(info.outWidth / 2);
  // Rows of a chunk: a multiple of the GEMM's 6-row tile, at least one tile.
  const perTile = 16 * (info.inChannels + info.outChannels) * 4;
  return { tiles, chunk: Math.min(tiles, Math.max(6, Math.floor(CHUNK_BYTES / perTile / 6) * 6)) };
}

/** Writes the passes' parameter block for this convolution: geometry, buffers, epilogue. */
function blockWriter(info: backend_util.Conv2DInfo, chunk: number, at: WinogradBuffers, activation: EngineActivation): (p: Int32Array) => void {
  return (p) => {
    p[W.h] = info.inHeight;
    p[W.w] = info.inWidth;
    p[W.ic] = info.inChannels;
    p[W.oc] = info.outChannels;
    p[W.oh] = info.outHeight;
    p[W.ow] = info.outWidth;
    p[W.pt] = info.padInfo.top;
    p[W.pl] = info.padInfo.left;
    p[W.tc] = chunk;
    p[W.x] = at.x * 4;
    p[W.v] = at.v * 4;
    p[W.m] = at.m * 4;
    p[W.y] = at.y * 4;
    p[W.bias] = at.bias < 0 ? 0 : at.bias * 4;
    p[W.act] = ACTIVATION[activation];
    p[W.g] = at.g * 4;
    p[W.u] = at.u * 4;
  };
}

/** Runs `body(base, count, tilesOf)` for each chunk; `tilesOf` fills a pass's block for tiles [t0, t1) of it. */
function eachChunk(
  tiles: number,
  chunk: number,
  write: (p: Int32Array) => void,
  body: (base: number, count: number, tilesOf: (p: Int32Array, t0: number, t1: number) => void) => void,
): void {
  for (let base = 0; base < tiles; base += chunk) {
    body(base, Math.min(chunk, tiles - base), (p, t0, t1) => {
      write(p);
      p[W.base] = base;
      p[W.t0] = t0;
      p[W.t1] = t1;
    });
  }
}

/** A pass over input channels [c0, c1) (the filter transforms), split over both threads when it pays. */
function channelPass(engine: GemmEngine, fn: 'winogradFilter' | 'winogradGradFilter', ic: number, parallel: boolean, write: (p: Int32Array) => void): void {
  engine.pass(fn, ic, parallel && ic >= 8, (p, c0, c1) => {
    write(p);
    p[W.c0] = c0;
    p[W.c1] = c1;
  });
}

/**
 * The convolution by Winograd F(2x2, 3x3) (assembly/winograd.ts): the filter transformed once,
 * then chunk by chunk of 2x2 output tiles the input transform, 16 products on the GEMM kernel
 * (one batch of 16), and the output transform with bias and activation. Each pass is split over
 * both threads.
 */
export function winogradOnEngine(
  backend: WasmBackendLike,
  engine: GemmEngine,
  x: TensorInfo,
  filter: TensorInfo,
  bias: TensorInfo | undefined,
  info: backend_util.Conv2DInfo,
  activation: EngineActivation,
): TensorInfo {
  const { batchSize, outHeight, outWidth, inChannels: ic, outChannels: oc } = info;
  const { tiles, chunk } = tiling(info);
  const parallel = engine.splits(tiles * 16 * ic * oc);
  return computeOnEngine(backend, engine, [x, filter, bias], [batchSize, outHeight, outWidth, oc], ([atX, atG, atBias], atY) => {
    const at = {
      x: atX as number,
      g: atG as number,
      bias: atBias as number,
      y: atY,
      u: engine.alloc(16 * ic * oc),
      v: engine.alloc(16 * chunk * ic),
      m: engine.alloc(16 * chunk * oc),
    };
    const write = blockWriter(info, chunk, at, activation);
    channelPass(engine, 'winogradFilter', ic, parallel, write);
    eachChunk(tiles, chunk, write, (_base, count, tilesOf) => {
      engine.pass('winogradInput', count, parallel, tilesOf);
      // M[xi] = V[xi] U[xi]: [count x ic] times [ic x oc], 16 times.
      engine.run({
        m: count,
        n: oc,
        k: ic,
        batch: 16,
        aMode: 'rows',
        a: at.v,
        lda: ic,
        strideA: chunk * ic,
        bMode: 'rows',
        b: at.u,
        ldb: oc,
        strideB: ic * oc,
        c: at.m,
        ldc: oc,
        strideC: chunk * oc,
        bias: -1,
        activation: 'linear',
      });
      engine.pass('winogradOutput', count, parallel, tilesOf);
    });
  });
}

/**
 * dW of the same convolution by the adjoint of its Winograd form: chunk by chunk the input
 * transform (as in the forward pass) and dM = A dY A^T, then dU[xi] += V[xi]^T dM[xi] on the GEMM
 * kernel (16 products contracting over the chunk's tiles, summed over chunks), and finally
 * dW = G^T dU G. 2.25x fewer multiplies than the im2col product, and the input is read once per
 * tile instead of once per filter tap.
 */
export function winogradFilterGradOnEngine(
  backend: WasmBackendLike,
  engine: GemmEngine,
  x: TensorInfo,
  dy: TensorInfo,
  info: backend_util.Conv2DInfo,
): TensorInfo {
  const { inChannels: ic, outChannels: oc } = info;
  const { tiles, chunk } = tiling(info);
  const parallel = engine.splits(tiles * 16 * ic * oc);
  return computeOnEngine(backend, engine, [x, dy], [3, 3, ic, oc], ([atX, atDy], atG) => {
    const at = {
      x: atX as number,
      y: atDy as number,
      g: atG,
      bias: -1,
      u: engine.alloc(16 * ic * oc),
      v: engine.alloc(16 * chunk * ic),
      m: engine.alloc(16 * chunk * oc),
    };
    const write = blockWriter(info, chunk, at, 'linear');
    eachChunk(tiles, chunk, write, (base, count, tilesOf) => {
      engine.pass('winogradInput', count, parallel, tilesOf);
      engine.pass('winogradGradOutput', count, parallel, tilesOf);
      // dU[xi] += V[xi]^T dM[xi]: [ic x count] times [count x oc], 16 times (whole products per thread).
      engine.run({
        m: ic,
        n: oc,
        k: count,
        batch: 16,
        aMode: 'columns',
        a: at.v,
        lda: ic,
        strideA: chunk * ic,
        bMode: 'rows',
        b: at.m,
        ldb: oc,
        strideB: chunk * oc,
        c: at.u,
        ldc: oc,
        strideC: ic * oc,
        bias: -1,
        activation: 'linear',
        accumulate: base > 0,
      });
    });
    channelPass(engine, 'winogradGradFilter', ic, parallel, write);
  });
}
