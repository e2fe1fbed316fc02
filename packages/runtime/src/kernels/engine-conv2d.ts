import { backend_util, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { winogradEnabled, worthTheEngine } from '../engine/engine-state.js';
import type { GemmEngine } from '../engine/gemm-engine.js';
import type { ConvGeometry } from '../engine/gemm-job.js';
import { engineActivation, engineKernel, runOnEngine, sizeOf } from './engine-call.js';
import { winogradApplies, winogradFilterGradOnEngine, winogradOnEngine } from './engine-winograd.js';
import type { WasmBackendLike } from './kernel-scope.js';

interface ConvAttrs {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | backend_util.ExplicitPadding;
  dataFormat?: 'NHWC' | 'NCHW';
  dilations?: number | [number, number];
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  activation?: string;
}

/** The convolution's shapes as tfjs computes them, and the engine's geometry for them. */
export function convGeometry(xShape: number[], filterShape: number[], attrs: ConvAttrs): { info: backend_util.Conv2DInfo; geometry: ConvGeometry } {
  const info = backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides,
    attrs.dilations ?? 1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    'channelsLast',
  );
  const geometry: ConvGeometry = {
    inHeight: info.inHeight,
    inWidth: info.inWidth,
    inChannels: info.inChannels,
    outHeight: info.outHeight,
    outWidth: info.outWidth,
    filterHeight: info.filterHeight,
    filterWidth: info.filterWidth,
    strideHeight: info.strideHeight,
    strideWidth: info.strideWidth,
    dilationHeight: info.dilationHeight,
    dilationWidth: info.dilationWidth,
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
  };
  return { info, geometry };
}

/**
 * An NHWC convolution as one product: the im2col matrix of x (gathered while packing, never
 * stored) times the filter read as a [KH*KW*IC, OC] matrix, with bias and activation fused. A
 * 1x1 stride-1 unpadded convolution reads x itself as the matrix.
 */
function convOnEngine(args: Parameters<KernelFunc>[0], engine: GemmEngine, bias?: TensorInfo): TensorInfo | null {
  const { x, filter } = args.inputs as { x: TensorInfo; filter: TensorInfo };
  const attrs = args.attrs as unknown as ConvAttrs;
  const activation = engineActivation(attrs.activation);
  if (activation === undefined || (attrs.dataFormat ?? 'NHWC') !== 'NHWC' || x.dtype !== 'float32' || filter.dtype !== 'float32') return null;
  if (x.shape.length !== 4 || filter.shape.length !== 4 || x.shape[3] !== filter.shape[2]) return null;
  let conv: { info: backend_util.Conv2DInfo; geometry: ConvGeometry };
  try {
    conv = convGeometry(x.shape, filter.shape, attrs);
  } catch {
    return null; // the original kernel words the error
  }
  const { info, geometry } = conv;
  const m = info.batchSize * info.outHeight * info.outWidth;
  const n = info.outChannels;
  const k = info.filterHeight * info.filterWidth * info.inChannels;
  if (!worthTheEngine(m * n * k)) return null;
  if (bias !== undefined && (bias.dtype !== 'float32' || sizeOf(bias.shape) !== n)) return null;
  if (winogradEnabled() && winogradApplies(info))
    return winogradOnEngine(args.backend as unknown as WasmBackendLike, engine, x, filter, bias, info, activation);
  const pointwise =
    info.filterHeight === 1 && info.filterWidth === 1 && info.strideHeight === 1 && info.strideWidth === 1 && geometry.padTop === 0 && geometry.padLeft === 0;
  return runOnEngine(
    args.backend as unknown as WasmBackendLike,
    engine,
    [x, filter, bias],
    [info.batchSize, info.outHeight, info.outWidth, n],
    ([atX, atW, atBias], out) => ({
      m,
      n,
      k,
      batch: 1,
      aMode: pointwise ? 'rows' : 'im2col',
      a: atX as number,
      lda: k,
      strideA: 0,
      bMode: 'rows',
      b: atW as number,
      ldb: n,
      strideB: 0,
      c: out,
      ldc: n,
      strideC: 0,
      bias: atBias as number,
      activation,
      conv: geometry,
    }),
  );
}

/** Conv2D on the engine, `fallback` otherwise. */
export function makeEngineConv2D(fallback: KernelConfig): KernelConfig {
  return engineKernel(fallback, (args, engine) => convOnEngine(args, engine));
}

/** FusedConv2D (bias per output channel; linear, relu or relu6) on the engine, `fallback` otherwise. */
export function makeEngineFusedConv2D(fallback: KernelConfig): KernelConfig {
  return engineKernel(fallback, (args, engine) => {
    const { bias, preluActivationWeights } = args.inputs as { bias?: TensorInfo; preluActivationWeights?: TensorInfo };
    if (preluActivationWeights !== undefined) return null;
    return convOnEngine(args, engine, bias);
  });
}

/**
 * dW of an NHWC convolution: by Winograd where it applies (3x3, stride 1), otherwise as one
 * product, the transposed im2col matrix of x times dy read as a [N*OH*OW, OC] matrix, giving the
 * filter's [KH*KW*IC, OC] layout directly.
 */
export function makeEngineConv2DBackpropFilter(fallback: KernelConfig): KernelConfig {
  return engineKernel(fallback, (args, engine) => {
    const { x, dy } = args.inputs as { x: TensorInfo; dy: TensorInfo };
    const attrs = args.attrs as unknown as ConvAttrs & { filterShape: [number, number, number, number] };
    if ((attrs.dataFormat ?? 'NHWC') !== 'NHWC' || x.dtype !== 'float32' || dy.dtype !== 'float32' || x.shape.length !== 4) return null;
    let conv: { info: backend_util.Conv2DInfo; geometry: ConvGeometry };
    try {
      conv = convGeometry(x.shape, attrs.filterShape, { ...attrs, dilations: 1 });
    } catch {
      return null;
    }
    const { info, geometry } = conv;
    const m = info.filterHeight * info.filterWidth * info.inChannels;
    const n = info.outChannels;
    const k = info.batchSize * info.outHeight * info.outWidth;
    if (sizeOf(dy.shape) !== k * n || !worthTheEngine(m * n * k)) return null;
    if (winogradEnabled() && winogradApplies(info)) return winogradFilterGradOnEngine(args.backend as unknown as WasmBackendLike, engine, x, dy, info);
    return runOnEngine(args.backend as unknown as WasmBackendLike, engine, [x, dy], [...attrs.filterShape], ([atX, atDy], out) => ({
      m,
      n,
      k,
      batch: 1,
      aMode: 'im2colT',
      a: atX as number,
      lda: 0,
      strideA: 0,
      bMode: 'rows',
      b: atDy as number,
      ldb: n,
      strideB: 0,
      c: out,
      ldc: n,
      strideC: 0,
      bias: -1,
      activation: 'linear',
      conv: geometry,
    }));
  });
}
