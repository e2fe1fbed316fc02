import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The slice of the WebAssembly API used here (the DOM lib's types are not in this build). */
interface WasmMemory {
  buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}
const wasmApi = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

/** The exports of dist/scan.wasm (assembly/scan.ts). */
export interface ScanKernel {
  memory: WasmMemory;
  dotsF32(q: number, x: number, n: number, d: number, out: number): void;
  dotsI8(q: number, c: number, n: number, d: number, out: number): void;
}

function wasmFile(): string | undefined {
  // From dist/index.js the file sits beside it; from src/gallery (tests on sources) it is in ../../dist.
  for (const rel of ['./scan.wasm', '../../dist/scan.wasm']) {
    const path = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(path)) return path;
  }
  return undefined;
}

let cached: object | null | undefined;

/**
 * A fresh instance of the SIMD scan kernel (each index owns its memory), or null when the file is
 * missing or the runtime lacks wasm SIMD: the index then scans in plain JavaScript.
 */
export function createScanKernel(): ScanKernel | null {
  if (cached === undefined) {
    const file = wasmFile();
    try {
      cached = file === undefined || wasmApi === undefined ? null : new wasmApi.Module(readFileSync(file));
    } catch {
      cached = null;
    }
  }
  if (cached === null || wasmApi === undefined) return null;
  return new wasmApi.Instance(cached, { env: { abort: () => {} } }).exports as ScanKernel;
}
