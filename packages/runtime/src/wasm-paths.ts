import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The three binaries tfjs-backend-wasm may ask for, by the names it uses. */
export const WASM_BINARIES = ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'] as const;

/**
 * Finds the `.wasm` files of the installed @tensorflow/tfjs-backend-wasm on disk. Resolving from
 * node_modules (instead of the CDN default the browser build uses) is what keeps Node offline.
 */
export function resolveWasmDir(): string {
  const require = createRequire(import.meta.url);
  const pkg = require.resolve('@tensorflow/tfjs-backend-wasm/package.json');
  return join(dirname(pkg), 'dist');
}

export function wasmFileMap(dir: string): Record<(typeof WASM_BINARIES)[number], string> {
  const withSlash = dir.endsWith('/') ? dir : `${dir}/`;
  return Object.fromEntries(WASM_BINARIES.map((name) => [name, `${withSlash}${name}`])) as Record<(typeof WASM_BINARIES)[number], string>;
}
