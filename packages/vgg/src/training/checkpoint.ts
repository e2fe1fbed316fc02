import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type EarlyStoppingState, type ReduceOnPlateauState, rangeError, saveLayersModel, tf } from '@aiffel/runtime';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { EpochLog } from './train.js';

const FORMAT = 'aiffel-vgg-checkpoint';
const VERSION = 1;

/** Where training stands after an epoch: everything `train` needs to continue as if never stopped. */
export interface TrainingState {
  /** Epochs done. */
  epoch: number;
  learningRate: number;
  reductions: number;
  plateau: ReduceOnPlateauState | null;
  stopping: EarlyStoppingState | null;
  logs: EpochLog[];
}

interface CheckpointJson extends TrainingState {
  format: string;
  version: number;
  weights: tf.io.WeightsManifestEntry[];
  optimizer: tf.io.WeightsManifestEntry[];
}

/**
 * Writes a checkpoint folder: checkpoint.json (the training state and weight specs), weights.bin
 * (the model's variables by name), optimizer.bin (`optimizerSlots`: the optimizer's
 * getWeights(), momentum buffers and the iteration count) and
 * model/ (model.json + weights.bin, loadable for inference). It is written beside `dir` first and
 * then renamed into place, so a crash leaves the previous checkpoint whole.
 */
export async function saveCheckpoint(
  dir: string,
  model: tfl.LayersModel,
  optimizerSlots: { name: string; tensor: tf.Tensor }[],
  state: TrainingState,
): Promise<void> {
  const tmp = `${dir}.partial`;
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  const weights = await tf.io.encodeWeights(model.weights.map((w) => ({ name: w.originalName, tensor: w.read() })));
  const opt = await tf.io.encodeWeights(optimizerSlots);
  const json: CheckpointJson = { format: FORMAT, version: VERSION, ...state, weights: weights.specs, optimizer: opt.specs };
  await writeFile(join(tmp, 'weights.bin'), new Uint8Array(weights.data));
  await writeFile(join(tmp, 'optimizer.bin'), new Uint8Array(opt.data));
  await saveLayersModel(model, join(tmp, 'model'));
  await writeFile(join(tmp, 'checkpoint.json'), JSON.stringify(json));
  const old = `${dir}.old`;
  await rm(old, { recursive: true, force: true });
  const exists = await stat(dir).then(
    () => true,
    () => false,
  );
  if (exists) await rename(dir, old);
  await rename(tmp, dir);
  await rm(old, { recursive: true, force: true });
}

function specBytes(specs: unknown, name: string): number {
  if (!Array.isArray(specs)) throw rangeError(`checkpoint ${name}`, 'a list of weight specs', specs);
  let total = 0;
  for (const s of specs as tf.io.WeightsManifestEntry[]) {
    if (s === null || typeof s !== 'object' || typeof s.name !== 'string' || !Array.isArray(s.shape) || s.shape.some((d) => !Number.isInteger(d) || d < 0))
      throw rangeError(`checkpoint ${name}`, 'specs with a name and a shape', s);
    if (s.dtype !== 'float32' && s.dtype !== 'int32') throw rangeError(`checkpoint ${name} dtype`, 'float32 or int32', s.dtype);
    total += 4 * s.shape.reduce((a, b) => a * b, 1);
  }
  return total;
}

/** Reads a checkpoint folder; null when `dir` holds none (a fresh start). Every field is checked. */
export async function loadCheckpoint(
  dir: string,
): Promise<{ state: TrainingState; weights: tf.NamedTensorMap; optimizer: { name: string; tensor: tf.Tensor }[] } | null> {
  let text: string;
  // A crash between the two renames leaves only the .old copy.
  const where = (await stat(join(dir, 'checkpoint.json')).then(
    () => true,
    () => false,
  ))
    ? dir
    : `${dir}.old`;
  try {
    text = await readFile(join(where, 'checkpoint.json'), 'utf8');
  } catch {
    return null;
  }
  let json: CheckpointJson;
  try {
    json = JSON.parse(text) as CheckpointJson;
  } catch (err) {
    throw rangeError('checkpoint.json', 'valid JSON', (err as Error).message);
  }
  if (json?.format !== FORMAT || json.version !== VERSION)
    throw rangeError('checkpoint.json', `${FORMAT} version ${VERSION}`, `${json?.format} ${json?.version}`);
  if (!Number.isInteger(json.epoch) || json.epoch < 0) throw rangeError('checkpoint epoch', 'a non-negative integer', json.epoch);
  if (!(json.learningRate > 0) || !Number.isInteger(json.reductions) || json.reductions < 0 || !Array.isArray(json.logs))
    throw rangeError('checkpoint state', 'learningRate > 0, reductions >= 0 and logs', { learningRate: json.learningRate, reductions: json.reductions });
  const read = async (file: string, specs: unknown, name: string) => {
    const want = specBytes(specs, name);
    const bytes = await readFile(join(where, file));
    if (bytes.length !== want) throw rangeError(`checkpoint ${file}`, `${want} bytes (as its specs say)`, bytes.length);
    return tf.io.decodeWeights(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length), specs as tf.io.WeightsManifestEntry[]);
  };
  const weights = await read('weights.bin', json.weights, 'weights');
  const optimizerMap = await read('optimizer.bin', json.optimizer, 'optimizer');
  // getWeights() order: the iteration count first, then one buffer per variable in training order.
  const optimizer = (json.optimizer as tf.io.WeightsManifestEntry[]).map((s) => ({ name: s.name, tensor: optimizerMap[s.name] as tf.Tensor }));
  const { epoch, learningRate, reductions, plateau, stopping, logs } = json;
  return { state: { epoch, learningRate, reductions, plateau, stopping, logs }, weights, optimizer };
}

/** Puts saved variables back into the model by name; every variable must be there with its shape. */
export function restoreWeights(model: tfl.LayersModel, weights: tf.NamedTensorMap): void {
  const values = model.weights.map((w) => {
    const t = weights[w.originalName];
    if (!t || t.shape.join('x') !== w.shape.join('x'))
      throw rangeError(`checkpoint weight ${w.originalName}`, `shape ${w.shape.join('x')} (the model being trained)`, t?.shape.join('x') ?? 'missing');
    return t;
  });
  model.weights.forEach((w, i) => {
    w.write(values[i] as tf.Tensor);
  });
  tf.dispose(Object.values(weights));
}
