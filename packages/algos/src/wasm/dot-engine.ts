import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The WebAssembly SIMD kernels (assembly/: dot products and k-means' cluster sums, built into
 * dist/dots.wasm) with a
 * small named-slot allocator over its memory. One engine per thread: each worker loads its own.
 * Slots keep their address once allocated, so large inputs copied into wasm memory (a thread's rows
 * of the data) can be reused across calls; wasm memory grows to the largest need and is reused.
 */
export interface DotEngine {
  /** Byte address of slot `name`, with room for `floats` f32 values. May grow memory (re-take views after). */
  slot(name: string, floats: number): number;
  /** A Float32Array over `floats` values at `ptr` (valid until the next slot() call that grows memory). */
  view(ptr: number, floats: number): Float32Array;
  /** out[i * nb + j] = dot(a_i, b_j), rows of d4 floats (d4 a multiple of 4). */
  dots(a: number, na: number, b: number, nb: number, d4: number, out: number): void;
  /** sums[labels[i]] += a_i for n rows of d4 f32 at `a`, n i32 labels at `labels`, k x d4 f64 sums at `sums` (assembly/cluster-sums.ts). */
  clusterSums(a: number, n: number, d4: number, labels: number, sums: number): void;
  /** Int32 and Float64 views over a slot (same validity as view). */
  int32View(ptr: number, count: number): Int32Array;
  float64View(ptr: number, count: number): Float64Array;
  /** A tag remembered per slot, to know whether its content is still what a caller copied there. */
  tags: Map<string, string>;
}

// Node's types do not declare the WebAssembly global (lib.dom does); the little used here, typed.
interface WasmMemory {
  buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}
const wasmApi = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

interface Exports {
  memory: WasmMemory;
  dots(a: number, na: number, b: number, nb: number, d4: number, out: number): void;
  clusterSums(a: number, n: number, d4: number, labels: number, sums: number): void;
}

let engine: DotEngine | null | undefined;
let enabled = true;

function wasmFile(): string | undefined {
  for (const rel of ['./dots.wasm', '../../dist/dots.wasm']) {
    const path = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(path)) return path;
  }
  return undefined;
}

function create(): DotEngine | null {
  const file = wasmFile();
  if (file === undefined || wasmApi === undefined) return null;
  let exp: Exports;
  try {
    exp = new wasmApi.Instance(new wasmApi.Module(readFileSync(file)), { env: { abort: () => {} } }).exports as unknown as Exports;
  } catch {
    // A runtime without wasm SIMD: the plain JS kernels take over.
    return null;
  }
  const slots = new Map<string, { ptr: number; bytes: number }>();
  // The first page belongs to the module's static data; our slots start above it.
  let top = 65536;
  const mem = exp.memory;
  return {
    tags: new Map(),
    slot(name, floats) {
      const bytes = floats * 4;
      const s = slots.get(name);
      if (s && s.bytes >= bytes) return s.ptr;
      const ptr = top;
      top += Math.ceil(bytes / 16) * 16 + 16;
      if (top > mem.buffer.byteLength) mem.grow(Math.ceil((top - mem.buffer.byteLength) / 65536));
      slots.set(name, { ptr, bytes });
      this.tags.delete(name);
      return ptr;
    },
    view(ptr, floats) {
      return new Float32Array(mem.buffer, ptr, floats);
    },
    int32View(ptr, count) {
      return new Int32Array(mem.buffer, ptr, count);
    },
    float64View(ptr, count) {
      return new Float64Array(mem.buffer, ptr, count);
    },
    dots(a, na, b, nb, d4, out) {
      exp.dots(a, na, b, nb, d4, out);
    },
    clusterSums(a, n, d4, labels, sums) {
      exp.clusterSums(a, n, d4, labels, sums);
    },
  };
}

/** The engine of this thread, or null when the wasm file is missing, SIMD is unsupported or it was switched off. */
export function dotEngine(): DotEngine | null {
  if (!enabled) return null;
  if (engine === undefined) engine = create();
  return engine;
}

/**
 * Switches the WebAssembly SIMD kernels off (false) or back on (true) in this thread; work sent
 * to worker threads follows the caller's setting. The plain JavaScript kernels give the same
 * results up to float32 rounding of dot products. Returns whether SIMD kernels are now in use.
 */
export function useSimd(on: boolean): boolean {
  enabled = on;
  return dotEngine() !== null;
}

/** Rows padded to a multiple of 4 floats, as the kernel wants. */
export function padded(d: number): number {
  return (d + 3) & ~3;
}

/**
 * Copies rows [start, end) of a row-major matrix into slot `name` as padded f32, unless the slot
 * already holds exactly those rows of that data (`tag`). Returns the slot's address.
 */
export function stageRows(e: DotEngine, name: string, tag: string, x: ArrayLike<number>, d: number, start: number, end: number): number {
  const d4 = padded(d);
  const ptr = e.slot(name, (end - start) * d4);
  if (e.tags.get(name) === tag) return ptr;
  const v = e.view(ptr, (end - start) * d4);
  if (d === d4 && x instanceof Float32Array) {
    // Already float32 rows with no padding needed: one memcpy.
    v.set(x.subarray(start * d, end * d));
    e.tags.set(name, tag);
    return ptr;
  }
  for (let i = start; i < end; i++) {
    const o = (i - start) * d4;
    for (let j = 0; j < d; j++) v[o + j] = x[i * d + j] as number;
    for (let j = d; j < d4; j++) v[o + j] = 0;
  }
  e.tags.set(name, tag);
  return ptr;
}

/** 1 when the SIMD kernel should run on this data: float32 input (float64 input keeps float64 arithmetic) and an engine available. */
export function simdFor(data: ArrayLike<number>): number {
  return data instanceof Float32Array && dotEngine() !== null ? 1 : 0;
}

let lastDataId = 0;

/** A fresh id for data staged in wasm memory (one per fit), so no thread reuses rows of another input. */
export function nextDataId(): number {
  lastDataId = (lastDataId + 1) % 0x7fffffff;
  return lastDataId;
}
