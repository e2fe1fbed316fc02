import { access, open } from 'node:fs/promises';
import { rangeError, tf } from '@aiffel/runtime';
import type * as tfl from '@tensorflow/tfjs-layers';
import { assignAll, type ImportReport, type LayerValues, shortName } from './assign.js';

interface H5Attr {
  value: unknown;
}
interface H5Node {
  attrs: Record<string, H5Attr>;
  keys?(): string[];
  get(path: string): H5Node | null;
  value?: ArrayLike<number>;
  shape?: number[];
}
interface H5File extends H5Node {
  close(): void;
}

const SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * Finds HDF5's signature (at 0 or, after a user block, at 512, 1024, 2048, ...) and reads the
 * superblock's end-of-file address: a file shorter than that was cut (an interrupted download or
 * copy), and HDF5 itself would only print pages of HDF5-DIAG and throw "name not defined".
 */
async function checkHdf5(path: string): Promise<void> {
  const fh = await open(path, 'r');
  try {
    const { size } = await fh.stat();
    const head = new Uint8Array(96);
    for (let at = 0; at + 8 <= size; at = at === 0 ? 512 : at * 2) {
      const { bytesRead } = await fh.read(head, 0, head.length, at);
      if (!SIGNATURE.every((b, i) => head[i] === b)) continue;
      const eof = endOfFileAddress(head.subarray(0, bytesRead));
      if (eof !== undefined && at + eof > size) throw new RangeError(`h5 file ${path} is truncated: its header says ${at + eof} bytes, the file has ${size}`);
      return;
    }
    throw rangeError('h5 file', 'an HDF5 file (signature \\x89HDF)', path);
  } finally {
    await fh.close();
  }
}

/** The superblock's end-of-file address (relative to the base address), for versions 0-3. */
function endOfFileAddress(sb: Uint8Array): number | undefined {
  const view = new DataView(sb.buffer, sb.byteOffset, sb.byteLength);
  const version = sb[8];
  const offsets = version === 0 || version === 1 ? sb[13] : sb[9];
  if (offsets !== 8 && offsets !== 4) return undefined;
  // v0: 24 bytes of fixed fields, v1: 4 more; then base, free-space and EOF addresses.
  // v2/v3: 12 bytes of fixed fields, then base, extension and EOF addresses.
  const at = version === 0 ? 24 + 2 * offsets : version === 1 ? 28 + 2 * offsets : version === 2 || version === 3 ? 12 + 2 * offsets : -1;
  if (at < 0 || at + offsets > sb.length) return undefined;
  const value = offsets === 8 ? Number(view.getBigUint64(at, true)) : view.getUint32(at, true);
  // All ones is HDF5's "undefined address".
  return value >= 2 ** 53 || (offsets === 4 && value === 0xffffffff) ? undefined : value;
}

function strings(v: unknown): string[] {
  const list = Array.isArray(v) ? v : typeof v === 'string' ? [v] : v === undefined || v === null ? [] : Array.from(v as ArrayLike<unknown>);
  return list.map((x) => (x instanceof Uint8Array ? new TextDecoder().decode(x) : String(x)));
}

/**
 * Loads weights from a Keras .h5 file: the `save_weights` layout (root attribute layer_names) or
 * a whole saved model (the same under model_weights/), as Keras' VGG16/VGG19 weight files use.
 * Layers are matched by name (block1_conv1 ... predictions; batch norm by its weight names);
 * Keras' channels-last kernels need no reordering. Read with h5wasm (HDF5 compiled to
 * WebAssembly). Nothing is written unless every layer of the model is in the file with the same
 * shapes; layers of the file the model lacks are reported as ignored.
 */
export async function importKerasH5(model: tfl.LayersModel, path: string): Promise<ImportReport> {
  try {
    await access(path);
  } catch {
    throw new Error(`h5: cannot read ${path}: no such file`);
  }
  await checkHdf5(path);
  const h5wasm = (await import('h5wasm/node')).default as unknown as { ready: Promise<unknown>; File: new (p: string, mode: string) => H5File };
  await h5wasm.ready;
  let file: H5File;
  try {
    file = new h5wasm.File(path, 'r');
  } catch (err) {
    throw rangeError('h5 file', 'an HDF5 file', `${path}: ${(err as Error).message}`);
  }
  try {
    const root = (file.keys?.().includes('model_weights') ? file.get('model_weights') : file) as H5Node;
    const layerNames = strings(root.attrs.layer_names?.value);
    if (layerNames.length === 0) throw rangeError('h5 file', "Keras weights (a 'layer_names' attribute at the root or in model_weights/)", path);
    const values = new Map<string, LayerValues>();
    const wanted = model.layers.filter((l) => l.weights.length > 0);
    for (const layer of wanted) {
      if (!layerNames.includes(layer.name))
        throw rangeError(`h5 file ${path}`, `a layer named ${layer.name}`, `layers ${layerNames.slice(0, 8).join(', ')}...`);
      const group = root.get(layer.name) as H5Node;
      const byName: LayerValues = new Map();
      for (const wn of strings(group.attrs.weight_names?.value)) {
        const ds = group.get(wn);
        if (!ds?.value || !ds.shape) throw rangeError(`h5 file ${layer.name}`, `a dataset ${wn}`, 'none');
        byName.set(shortName({ name: wn }), tf.tensor(Float32Array.from(ds.value), ds.shape));
      }
      values.set(layer.name, byName);
    }
    assignAll(model, values, 'h5 file');
    const unused = layerNames.filter((n) => !wanted.some((l) => l.name === n) && strings((root.get(n) as H5Node | null)?.attrs.weight_names?.value).length > 0);
    return { assigned: wanted.map((l) => l.name), ignored: unused };
  } finally {
    file.close();
  }
}
