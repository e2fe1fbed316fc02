import { rangeError, tf } from '@aiffel/runtime';
import type * as tfl from '@tensorflow/tfjs-layers';
import { assignAll, type ImportReport, type LayerValues, weightLayers } from './assign.js';
import type { NpyArray } from './npy.js';
import { readNpzEntries } from './npz.js';

const KEY = /^(features|classifier)\.(\d+)\.(weight|bias|running_mean|running_var|num_batches_tracked)$/;

/**
 * Loads a torchvision VGG state dict (`vgg16`, `vgg16_bn`, ...: keys features.N.* and
 * classifier.N.*) exported to .npz with
 * `np.savez(path, **{k: v.numpy() for k, v in model.state_dict().items()})`.
 * Convolution kernels go from torch's [out, in, kh, kw] to [kh, kw, in, out], dense kernels are
 * transposed, batch norm takes weight/bias/running_mean/running_var, and fc1's input rows are
 * reordered from torch's (channel, row, column) flatten to this model's (row, column, channel):
 * the step hand conversions miss. The model's input must give fc1 the map size the weights were
 * trained for (7x7, i.e. 224x224, for torchvision's). Nothing is written unless everything fits.
 */
export async function importTorchVgg(model: tfl.LayersModel, source: string | Uint8Array | Map<string, NpyArray>): Promise<ImportReport> {
  // Only the state dict's own keys are decompressed: an unused 1.6 GB member took 3.2 GB and 21 s.
  const read = source instanceof Map ? { arrays: source, skipped: [] } : await readNpzEntries(source, (key) => KEY.test(key));
  const state = read.arrays;
  const groups = new Map<string, Map<string, NpyArray>>();
  const ignored: string[] = [...read.skipped];
  for (const [key, arr] of state) {
    const m = KEY.exec(key);
    if (!m || m[3] === 'num_batches_tracked') {
      ignored.push(key);
      continue;
    }
    const g = `${m[1]}.${m[2]}`;
    if (!groups.has(g)) groups.set(g, new Map());
    groups.get(g)?.set(m[3] as string, arr);
  }
  const ordered = (prefix: string) =>
    [...groups.entries()].filter(([g]) => g.startsWith(`${prefix}.`)).sort((a, b) => Number(a[0].split('.')[1]) - Number(b[0].split('.')[1]));
  const features = ordered('features');
  const convs = features.filter(([, g]) => g.get('weight')?.shape.length === 4);
  const norms = features.filter(([, g]) => g.has('running_mean'));
  const dense = ordered('classifier');
  const ours = weightLayers(model);
  const counts: [string, number, number][] = [
    ['convolutions', ours.convs.length, convs.length],
    ['batch-norm layers', ours.norms.length, norms.length],
  ];
  if (ours.dense.length > 0) counts.push(['classifier layers', ours.dense.length, dense.length]);
  for (const [what, want, got] of counts) if (want !== got) throw rangeError(`state dict ${what}`, `${want} (as in the model)`, got);

  const values = new Map<string, LayerValues>();
  const t = (a: NpyArray | undefined, what: string) => {
    if (!a) throw rangeError('state dict', `an entry for ${what}`, 'none');
    return tf.tensor(a.data, a.shape);
  };
  ours.convs.forEach((name, i) => {
    const [g, w] = convs[i] as [string, Map<string, NpyArray>];
    values.set(
      name,
      new Map([
        ['kernel', tf.tidy(() => tf.transpose(t(w.get('weight'), `${g}.weight`), [2, 3, 1, 0]))],
        ['bias', t(w.get('bias'), `${g}.bias`)],
      ]),
    );
  });
  ours.norms.forEach((name, i) => {
    const [g, w] = norms[i] as [string, Map<string, NpyArray>];
    values.set(
      name,
      new Map([
        ['gamma', t(w.get('weight'), `${g}.weight`)],
        ['beta', t(w.get('bias'), `${g}.bias`)],
        ['moving_mean', t(w.get('running_mean'), `${g}.running_mean`)],
        ['moving_variance', t(w.get('running_var'), `${g}.running_var`)],
      ]),
    );
  });
  ours.dense.forEach((name, i) => {
    const [g, w] = dense[i] as [string, Map<string, NpyArray>];
    let kernel = tf.tidy(() => tf.transpose(t(w.get('weight'), `${g}.weight`)));
    if (name === 'fc1') kernel = reorderFlatten(model, kernel, g);
    values.set(
      name,
      new Map([
        ['kernel', kernel],
        ['bias', t(w.get('bias'), `${g}.bias`)],
      ]),
    );
  });
  assignAll(model, values, 'state dict');
  ignored.push(...(ours.dense.length === 0 ? dense.map(([g]) => g) : []));
  return { assigned: [...values.keys()].sort((a, b) => model.layers.findIndex((l) => l.name === a) - model.layers.findIndex((l) => l.name === b)), ignored };
}

/** fc1's [in, out] kernel with its rows moved from (c, h, w) order to (h, w, c) order. */
function reorderFlatten(model: tfl.LayersModel, kernel: tf.Tensor, group: string): tf.Tensor {
  const names = model.layers.map((l) => l.name);
  const trunk = model.layers[names.indexOf('flatten') - 1] as tfl.layers.Layer;
  const [, h, w, c] = (trunk.getOutputAt(0) as tfl.SymbolicTensor).shape as number[];
  const rows = kernel.shape[0] as number;
  if (rows !== (h as number) * (w as number) * (c as number)) {
    kernel.dispose();
    throw rangeError(
      `state dict ${group}.weight`,
      `${h}x${w}x${c} = ${(h as number) * (w as number) * (c as number)} inputs (the model's last feature map; use the input size the weights were trained at)`,
      rows,
    );
  }
  return tf.tidy(() => {
    const out = tf.reshape(tf.transpose(tf.reshape(kernel, [c as number, h as number, w as number, -1]), [1, 2, 0, 3]), [rows, -1]);
    kernel.dispose();
    return out;
  });
}
