import { broadcast_util, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { worthTheEngine } from '../engine/engine-state.js';
import type { GemmEngine } from '../engine/gemm-engine.js';
import { engineActivation, engineKernel, runOnEngine, sizeOf } from './engine-call.js';
import type { WasmBackendLike } from './kernel-scope.js';

interface MatMulAttrs {
  transposeA?: boolean;
  transposeB?: boolean;
  activation?: string;
}

/**
 * a · b with tfjs's BatchMatMul semantics (rank >= 2, transposes, batch dimensions equal or one
 * side without them), plus an optional bias over the last dimension and activation; null when the
 * call is not one the engine takes.
 */
function matMulOnEngine(args: Parameters<KernelFunc>[0], engine: GemmEngine, bias?: TensorInfo): TensorInfo | null {
  const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
  const attrs = args.attrs as MatMulAttrs;
  const activation = engineActivation(attrs.activation);
  if (activation === undefined || a.dtype !== 'float32' || b.dtype !== 'float32' || a.shape.length < 2 || b.shape.length < 2) return null;
  const ta = attrs.transposeA === true;
  const tb = attrs.transposeB === true;
  const ra = a.shape.length;
  const rb = b.shape.length;
  const m = a.shape[ta ? ra - 1 : ra - 2] as number;
  const k = a.shape[ta ? ra - 2 : ra - 1] as number;
  const n = b.shape[tb ? rb - 2 : rb - 1] as number;
  if ((b.shape[tb ? rb - 1 : rb - 2] as number) !== k) return null; // let the original kernel word the error
  const batchShapeA = a.shape.slice(0, -2);
  const batchShapeB = b.shape.slice(0, -2);
  const batchA = sizeOf(batchShapeA);
  const batchB = sizeOf(batchShapeB);
  let batchShape: number[];
  try {
    batchShape = broadcast_util.assertAndGetBroadcastShape(batchShapeA, batchShapeB);
  } catch {
    return null;
  }
  const batch = sizeOf(batchShape);
  // Only the two shapes a stride can express: equal batches, or one side shared by all.
  if ((batchA !== batch && batchA !== 1) || (batchB !== batch && batchB !== 1)) return null;
  if (!worthTheEngine(m * n * k * batch)) return null;
  if (bias !== undefined && (bias.dtype !== 'float32' || sizeOf(bias.shape) !== n)) return null;
  return runOnEngine(args.backend as unknown as WasmBackendLike, engine, [a, b, bias], [...batchShape, m, n], ([atA, atB, atBias], out) => ({
    m,
    n,
    k,
    batch,
    aMode: ta ? 'columns' : 'rows',
    a: atA as number,
    lda: ta ? m : k,
    strideA: batchA === 1 ? 0 : m * k,
    bMode: tb ? 'columns' : 'rows',
    b: atB as number,
    ldb: tb ? k : n,
    strideB: batchB === 1 ? 0 : k * n,
    c: out,
    ldc: n,
    strideC: m * n,
    bias: atBias as number,
    activation,
  }));
}

/** BatchMatMul on the engine, `fallback` otherwise. */
export function makeEngineBatchMatMul(fallback: KernelConfig): KernelConfig {
  return engineKernel(fallback, (args, engine) => matMulOnEngine(args, engine));
}

/** _FusedMatMul (bias over the last dimension; linear, relu or relu6) on the engine, `fallback` otherwise. */
export function makeEngineFusedMatMul(fallback: KernelConfig): KernelConfig {
  return engineKernel(fallback, (args, engine) => {
    const { bias, preluActivationWeights } = args.inputs as { bias?: TensorInfo; preluActivationWeights?: TensorInfo };
    if (preluActivationWeights !== undefined) return null;
    return matMulOnEngine(args, engine, bias);
  });
}
