import { readFileSync } from 'node:fs';
import { packageFile, type WasmMemory, wasmApi } from '@aiffel/runtime';

/** The exports of dist/scan.wasm (assembly/scan.ts). */
export interface ScanKernel {
  memory: WasmMemory;
  dotsF32(q: number, x: number, n: number, d: number, out: number): void;
  dotsI8(q: number, c: number, n: number, d: number, out: number): void;
}

let cached: object | null | undefined;

/**
 * A fresh instance of the SIMD scan kernel (each index owns its memory), or null when the file is
 * missing or the runtime lacks wasm SIMD: the index then scans in plain JavaScript.
 */
export function createScanKernel(): ScanKernel | null {
  if (cached === undefined) {
    const file = packageFile(import.meta.url, 'scan.wasm');
    try {
      cached = file === undefined || wasmApi === undefined ? null : new wasmApi.Module(readFileSync(file));
    } catch {
      cached = null;
    }
  }
  if (cached === null || wasmApi === undefined) return null;
  return new wasmApi.Instance(cached, { env: { abort: () => {} } }).exports as ScanKernel;
}
