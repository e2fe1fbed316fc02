import { readFile } from 'node:fs/promises';
import { rangeError } from '@aiffel/runtime';
import { unzipSync } from 'fflate';
import { type NpyArray, parseNpy } from './npy.js';

/**
 * Reads a NumPy .npz archive (np.savez or np.savez_compressed) into named arrays, keyed by the
 * names given to savez (the `.npy` suffix dropped).
 */
export async function readNpz(source: string | Uint8Array): Promise<Map<string, NpyArray>> {
  let bytes: Uint8Array;
  try {
    bytes = typeof source === 'string' ? new Uint8Array(await readFile(source)) : source;
  } catch (err) {
    throw new Error(`npz: cannot read ${String(source)}: ${(err as Error).message}`);
  }
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes);
  } catch (err) {
    throw rangeError('npz', 'a zip archive of .npy files (np.savez)', `unreadable: ${(err as Error).message}`);
  }
  const out = new Map<string, NpyArray>();
  for (const [file, content] of Object.entries(files)) {
    if (!file.endsWith('.npy')) continue;
    const key = file.slice(0, -4);
    out.set(key, parseNpy(content, `npz entry ${key}`));
  }
  if (out.size === 0) throw rangeError('npz', 'at least one .npy entry', 'none');
  return out;
}
