import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';

interface RefCountedBackend {
  incRef(dataId: object): void;
}

/**
 * Identity that shares its input's memory (one more reference), as the cpu and webgl backends do,
 * instead of tfjs-backend-wasm's copy. tfjs clones every tensor it saves for the backward pass
 * through this kernel, so on wasm each saved input was a full copy: for VGG-16 that is another
 * copy of every activation and of the 392 MB fc1 kernel held through the backward pass. Sharing is
 * safe because no wasm kernel writes into its inputs; our in-place momentum update checks the
 * reference count before it writes.
 */
export function makeSharedIdentity(): KernelConfig {
  const kernelFunc = ({ inputs, backend }: Parameters<KernelFunc>[0]): TensorInfo => {
    const { x } = inputs as { x: TensorInfo };
    (backend as unknown as RefCountedBackend).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
  return { kernelName: 'Identity', backendName: 'wasm', kernelFunc: kernelFunc as unknown as KernelFunc };
}
