/** A WebAssembly.Memory, as far as kernels that lay out their own buffers use it. */
export interface WasmMemory {
  buffer: ArrayBuffer;
  grow(pages: number): number;
}

/**
 * The slice of the WebAssembly API that packages shipping their own kernels use (Node's global;
 * the DOM lib that types it is not in these builds).
 */
export interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
  Memory: new (descriptor: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory;
}

/** The global WebAssembly object, or undefined where there is none. */
export const wasmApi: WasmApi | undefined = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
