import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { packageFile } from '../io/package-file.js';
import { wasmApi } from '../io/wasm-api.js';

/** Which build of the GEMM kernels is compiled, and why the faster one is not when it is not. */
export interface GemmModule {
  module: object;
  /** True when the relaxed-SIMD build (fused multiply-add) is in use. */
  fma: boolean;
  /** Why the fused multiply-add build is not in use (undefined when it is). */
  fmaReason?: string;
}

// Smallest module that uses f32x4.relaxed_madd: (func (param v128 v128 v128) (result v128)).
const RELAXED_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 8, 1, 96, 3, 123, 123, 123, 1, 123, 3, 2, 1, 0, 10, 13, 1, 11, 0, 32, 0, 32, 1, 32, 2, 253, 133, 2, 11,
]);

type Validate = (bytes: Uint8Array) => boolean;

/**
 * Whether this engine validates relaxed SIMD. Node 20's V8 has it behind a flag that can still be
 * turned on at run time, before a module using it is compiled (Node 22 has it on), so the flag is
 * set first; a V8 without the instructions still says no.
 */
export function relaxedSimdSupported(): boolean {
  const validate = (wasmApi as unknown as { validate?: Validate } | undefined)?.validate;
  if (validate === undefined) return false;
  if (validate(RELAXED_PROBE)) return true;
  try {
    setFlagsFromString('--experimental-wasm-relaxed-simd');
  } catch {
    return false;
  }
  return validate(RELAXED_PROBE);
}

/**
 * Compiles dist/gemm-fma.wasm where relaxed SIMD validates, else dist/gemm-simd.wasm; `fma: false`
 * forces the plain-SIMD build. Throws with the reason when neither can be used.
 */
export function compileGemm(callerUrl: string | URL, options: { fma?: boolean } = {}): GemmModule {
  if (wasmApi === undefined) throw new Error('this JavaScript engine has no WebAssembly');
  let fmaReason: string | undefined;
  if (options.fma === false) fmaReason = 'switched off';
  else if (!relaxedSimdSupported()) fmaReason = 'this engine does not validate relaxed SIMD';
  const name = fmaReason === undefined ? 'gemm-fma.wasm' : 'gemm-simd.wasm';
  const file = packageFile(callerUrl, name);
  if (file === undefined) throw new Error(`dist/${name} is missing (build @aiffel/runtime with \`npm run build\`)`);
  let module: object;
  try {
    module = new wasmApi.Module(readFileSync(file));
  } catch (e) {
    throw new Error(`dist/${name} does not compile here (${e instanceof Error ? e.message : String(e)}); wasm SIMD and threads are needed`);
  }
  return fmaReason === undefined ? { module, fma: true } : { module, fma: false, fmaReason };
}
