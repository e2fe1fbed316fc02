import { readFile } from 'node:fs/promises';
import { rangeError } from '@aiffel/runtime';
import { unzipSync } from 'fflate';
import { type NpyArray, parseNpy } from './npy.js';

/**
 * Reads a NumPy .npz archive (np.savez or np.savez_compressed) into named arrays, keyed by the
 * names given to savez (the `.npy` suffix dropped). With `keep`, only the entries it accepts are
 * decompressed: an archive with a large member the caller does not need (an optimizer state, a
 * second model) costs nothing for it.
 */
export async function readNpz(source: string | Uint8Array, options: { keep?: (key: string) => boolean } = {}): Promise<Map<string, NpyArray>> {
  return (await readNpzEntries(source, options.keep)).arrays;
}

/** readNpz, also listing the .npy entries `keep` left out. */
export async function readNpzEntries(
  source: string | Uint8Array,
  keep: (key: string) => boolean = () => true,
): Promise<{ arrays: Map<string, NpyArray>; skipped: string[] }> {
  let bytes: Uint8Array;
  try {
    bytes = typeof source === 'string' ? new Uint8Array(await readFile(source)) : source;
  } catch (err) {
    throw new Error(`npz: cannot read ${String(source)}: ${(err as Error).message}`);
  }
  const skipped: string[] = [];
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, {
      filter: (file) => {
        if (!file.name.endsWith('.npy')) return false;
        if (keep(file.name.slice(0, -4))) return true;
        skipped.push(file.name.slice(0, -4));
        return false;
      },
    });
  } catch (err) {
    throw rangeError('npz', 'a zip archive of .npy files (np.savez)', `unreadable: ${(err as Error).message}`);
  }
  const arrays = new Map<string, NpyArray>();
  for (const [file, content] of Object.entries(files)) arrays.set(file.slice(0, -4), parseNpy(content, `npz entry ${file.slice(0, -4)}`));
  if (arrays.size === 0 && skipped.length === 0) throw rangeError('npz', 'at least one .npy entry', 'none');
  return { arrays, skipped };
}
