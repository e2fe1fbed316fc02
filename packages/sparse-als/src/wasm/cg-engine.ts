import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The WebAssembly SIMD conjugate-gradient kernel (assembly/cg.ts, built into dist/cg.wasm) and a
 * named-slot allocator over its memory, one per thread. A slot keeps its address, so a thread's
 * block of the interaction matrix is copied in once per fit and reused by every sweep.
 */
interface WasmMemory {
  buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface Exports {
  memory: WasmMemory;
  cgRows(
    indptr: number,
    indices: number,
    data: number,
    rows: number,
    other: number,
    gram: number,
    factors: number,
    f4: number,
    alpha: number,
    steps: number,
    scratch: number,
  ): void;
  gram(rows: number, n: number, f4: number, out: number): void;
  scores(rows: number, n: number, f4: number, x: number, out: number): void;
}
// Node's types do not declare the WebAssembly global (lib.dom does): the part used here, typed.
const wasmApi = (
  globalThis as unknown as { WebAssembly?: { Module: new (b: Uint8Array) => object; Instance: new (m: object, i: object) => { exports: unknown } } }
).WebAssembly;

export interface CgEngine {
  exports: Exports;
  /** Byte address of slot `name` with room for `bytes`; may grow memory (take views after). */
  slot(name: string, bytes: number): number;
  f32(ptr: number, n: number): Float32Array;
  f64(ptr: number, n: number): Float64Array;
  i32(ptr: number, n: number): Int32Array;
  tags: Map<string, string>;
}

let engine: CgEngine | null | undefined;
let enabled = true;

function create(): CgEngine | null {
  let file: string | undefined;
  for (const rel of ['./cg.wasm', '../../dist/cg.wasm']) {
    const p = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(p)) file = p;
    if (file) break;
  }
  if (!file || !wasmApi) return null;
  let exp: Exports;
  try {
    exp = new wasmApi.Instance(new wasmApi.Module(readFileSync(file)), { env: { abort: () => {} } }).exports as Exports;
  } catch {
    return null; // no wasm SIMD here: the JS solver runs instead
  }
  const slots = new Map<string, { ptr: number; bytes: number }>();
  let top = 65536;
  return {
    exports: exp,
    tags: new Map(),
    slot(name, bytes) {
      const s = slots.get(name);
      if (s && s.bytes >= bytes) return s.ptr;
      const ptr = top;
      top += Math.ceil(bytes / 16) * 16 + 16;
      const mem = exp.memory;
      if (top > mem.buffer.byteLength) mem.grow(Math.ceil((top - mem.buffer.byteLength) / 65536));
      slots.set(name, { ptr, bytes });
      this.tags.delete(name);
      return ptr;
    },
    f32(ptr, n) {
      return new Float32Array(exp.memory.buffer, ptr, n);
    },
    f64(ptr, n) {
      return new Float64Array(exp.memory.buffer, ptr, n);
    },
    i32(ptr, n) {
      return new Int32Array(exp.memory.buffer, ptr, n);
    },
  };
}

/** This thread's engine, or null (wasm file missing, no SIMD, or switched off). */
export function cgEngine(): CgEngine | null {
  if (!enabled) return null;
  if (engine === undefined) engine = create();
  return engine;
}

/**
 * Switches the WebAssembly SIMD solver off (false) or on (true) for models fitted afterwards;
 * the JS solver (float64 vectors) then does the work. Returns whether SIMD is in use.
 */
export function useSimd(on: boolean): boolean {
  enabled = on;
  return cgEngine() !== null;
}
