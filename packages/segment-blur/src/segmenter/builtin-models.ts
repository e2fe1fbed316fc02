import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { rangeError } from '@aiffel/runtime';

/**
 * The models that install with this package: MediaPipe's selfie segmentation, read from the
 * `@mediapipe/selfie_segmentation` npm package (Apache-2.0; 12 MB unpacked, of which the two
 * .tflite files are 0.5 MB; nothing is downloaded at run time).
 * - 'selfie': the general model, 256x256 input.
 * - 'landscape': the faster 144x256 model made for video calls (Google Meet).
 */
export type BuiltinModel = 'selfie' | 'landscape';

export const BUILTIN_MODELS: Record<BuiltinModel, { file: string; description: string }> = {
  selfie: { file: 'selfie_segmentation.tflite', description: 'MediaPipe selfie segmentation, general, 256x256' },
  landscape: { file: 'selfie_segmentation_landscape.tflite', description: 'MediaPipe selfie segmentation, landscape, 144x256' },
};

export function builtinModelPath(name: BuiltinModel): string {
  const entry = BUILTIN_MODELS[name];
  if (!entry || !Object.hasOwn(BUILTIN_MODELS, name)) throw rangeError('options.model', `one of ${Object.keys(BUILTIN_MODELS).join(', ')} or { tflite }`, name);
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('@mediapipe/selfie_segmentation/package.json')), entry.file);
}

export async function readModelBytes(source: BuiltinModel | { tflite: string | Uint8Array }): Promise<Uint8Array> {
  if (typeof source === 'string') return new Uint8Array(await readFile(builtinModelPath(source)));
  if (source === null || typeof source !== 'object' || !('tflite' in source))
    throw rangeError('options.model', "'selfie', 'landscape' or { tflite: path | bytes }", source);
  const t = source.tflite;
  if (t instanceof Uint8Array) return t;
  if (typeof t !== 'string') throw rangeError('options.model.tflite', 'a file path or Uint8Array', t);
  try {
    return new Uint8Array(await readFile(t));
  } catch (err) {
    throw new Error(`options.model.tflite: cannot read ${t}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}
