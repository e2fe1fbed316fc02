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
  const { batchSize, inHeight, inWidth, inChannels: ic, outChannels: oc, outHeight, outWidth } = info;
  const tiles = batchSize * Math.ceil(outHeight / 2) * Math.ceil(outWidth / 2);
  const parallel = engine.splits(tiles * 16 * ic * oc);
  return computeOnEngine(backend, engine, [x, filter, bias], [batchSize, outHeight, outWidth, oc], ([atX, atG, atBias], atY) => {
    const atU = engine.alloc(16 * ic * oc);
    // Rows of a chunk: a multiple of the GEMM's 6-row tile, at least one tile.
    const perTile = 16 * (ic + oc) * 4;
    const chunk = Math.min(tiles, Math.max(6, Math.floor(CHUNK_BYTES / perTile / 6) * 6));
    const atV = engine.alloc(16 * chunk * ic);
    const atM = engine.alloc(16 * chunk * oc);
    const geometry = (p: Int32Array): void => {
      p[W.h] = inHeight;
      p[W.w] = inWidth;
      p[W.ic] = ic;
      p[W.oc] = oc;
      p[W.oh] = outHeight;
      p[W.ow] = outWidth;
      p[W.pt] = info.padInfo.top;
      p[W.pl] = info.padInfo.left;
      p[W.tc] = chunk;
      p[W.x] = (atX as number) * 4;
      p[W.v] = atV * 4;
      p[W.m] = atM * 4;
      p[W.y] = atY * 4;
      p[W.bias] = (atBias as number) < 0 ? 0 : (atBias as number) * 4;
      p[W.act] = ACTIVATION[activation];
      p[W.g] = (atG as number) * 4;
      p[W.u] = atU * 4;
    };
    engine.pass('winogradFilter', ic, parallel && ic >= 8, (p, c0, c1) => {
      geometry(p);
      p[W.c0] = c0;
      p[W.c1] = c1;
    });
    for (let base = 0; base < tiles; base += chunk) {
      const count = Math.min(chunk, tiles - base);
      const tilesOf = (p: Int32Array, t0: number, t1: number): void => {
        geometry(p);
        p[W.base] = base;
        p[W.t0] = t0;
        p[W.t1] = t1;
      };
      engine.pass('winogradInput', count, parallel, tilesOf);
      engine.run({
        m: count,
        n: oc,
        k: ic,
        batch: 16,
        aMode: 'rows',
        a: atV,
        lda: ic,
        strideA: chunk * ic,
        bMode: 'rows',
        b: atU,
        ldb: oc,
        strideB: ic * oc,
        c: atM,
        ldc: oc,
        strideC: chunk * oc,
        bias: -1,
        activation: 'linear',
      });
      engine.pass('winogradOutput', count, parallel, tilesOf);
    }
  });
}
