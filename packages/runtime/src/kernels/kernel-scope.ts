import { getKernel, type KernelConfig, type NamedAttrMap, type TensorInfo } from '@tensorflow/tfjs-core';

/** The subset of the wasm backend a composed kernel touches. */
export interface WasmBackendLike {
  disposeData(dataId: object, force?: boolean): boolean;
  makeOutput(shape: number[], dtype: string): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array | Int32Array | Uint8Array;
}

/**
 * Runs other wasm kernels from inside a kernel and frees their intermediate outputs at the end.
 * Composing kernels at the TensorInfo level (rather than calling tf ops) keeps the work inside the
 * wasm heap and off the autodiff tape, and lets an override call the kernel it replaced.
 */
export class KernelScope {
  private readonly temps: TensorInfo[] = [];

  constructor(
    private readonly backend: WasmBackendLike,
    private readonly originals: ReadonlyMap<string, KernelConfig> = new Map(),
  ) {}

  run(kernelName: string, inputs: Record<string, TensorInfo> | TensorInfo[], attrs: NamedAttrMap = {}): TensorInfo {
    return this.runConfig(kernelName, this.originals.get(kernelName) ?? getKernel(kernelName, 'wasm'), inputs, attrs);
  }

  /** `run`, with the kernel registered now (ours where we replaced it) instead of the wasm backend's own. */
  runRegistered(kernelName: string, inputs: Record<string, TensorInfo> | TensorInfo[], attrs: NamedAttrMap = {}): TensorInfo {
    return this.runConfig(kernelName, getKernel(kernelName, 'wasm'), inputs, attrs);
  }

  private runConfig(kernelName: string, config: KernelConfig | undefined, inputs: Record<string, TensorInfo> | TensorInfo[], attrs: NamedAttrMap): TensorInfo {
    if (config === undefined) throw new Error(`@aiffel/runtime: wasm kernel ${kernelName} is not registered`);
    const out = config.kernelFunc({ inputs: inputs as Record<string, TensorInfo>, backend: this.backend as never, attrs }) as TensorInfo;
    this.temps.push(out);
    return out;
  }

  /** Puts an output the caller made itself (`makeOutput`) in the scope, to be freed with the rest. */
  adopt(info: TensorInfo): TensorInfo {
    this.temps.push(info);
    return info;
  }

  /** Takes `info` out of the scope so it survives `dispose()` (the kernel's result). */
  keep(info: TensorInfo): TensorInfo {
    const i = this.temps.lastIndexOf(info);
    if (i >= 0) this.temps.splice(i, 1);
    return info;
  }

  dispose(): void {
    for (const t of this.temps) this.backend.disposeData(t.dataId);
    this.temps.length = 0;
  }
}

/** Runs `body` in a fresh scope, returning its kept result and freeing everything else, even on throw. */
export function withScope(backend: WasmBackendLike, originals: ReadonlyMap<string, KernelConfig>, body: (scope: KernelScope) => TensorInfo): TensorInfo {
  const scope = new KernelScope(backend, originals);
  try {
    return scope.keep(body(scope));
  } finally {
    scope.dispose();
  }
}
