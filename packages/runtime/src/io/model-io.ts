import { mkdir, readFile, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { writeFileAtomic } from '@aiffel/core';
import { io } from '@tensorflow/tfjs-core';
import { typeError } from '../errors.js';

const BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2 };

/** Upper bound on model.json size: a topology is kilobytes; anything past this is not a model file. */
const MAX_MODEL_JSON_BYTES = 64 * 1024 * 1024;

function modelJsonPath(path: string): string {
  return path.endsWith('.json') ? path : join(path, 'model.json');
}

/** Bytes the weight specs describe, or undefined when a spec has variable size (strings). */
function expectedWeightBytes(specs: io.WeightsManifestEntry[]): number | undefined {
  let total = 0;
  for (const spec of specs) {
    if (!Array.isArray(spec.shape) || spec.shape.some((d) => !Number.isInteger(d) || d < 0)) {
      throw new RangeError(`model.json: weight ${JSON.stringify(spec.name)} has an invalid shape ${JSON.stringify(spec.shape)}`);
    }
    const dtype = spec.quantization?.dtype ?? spec.dtype;
    const size = BYTES[dtype];
    if (size === undefined) return undefined;
    total += spec.shape.reduce((a, b) => a * b, 1) * size;
  }
  return total;
}

/** What a model.json holds: a Keras-style topology (`class_name`) or a converter graph (`node`). */
export type ModelKind = 'layers' | 'graph';

function kindOf(json: io.ModelJSON): ModelKind | undefined {
  const t = json.modelTopology as Record<string, unknown> | null;
  if (json.format === 'layers-model' || (t !== null && typeof t === 'object' && ('class_name' in t || 'model_config' in t))) return 'layers';
  if (json.format === 'graph-model' || (t !== null && typeof t === 'object' && Array.isArray(t.node))) return 'graph';
  return undefined;
}

const LOADER: Record<ModelKind, string> = { layers: 'loadLayersModel', graph: 'loadGraphModel' };

/** Layer sizes that each cost at least that many weights (a bias or a kernel column per unit). */
const SIZE_KEYS = new Set(['units', 'filters', 'output_dim', 'input_dim']);

/**
 * A layer size larger than the file's whole weight count cannot be real: refusing it here keeps
 * an edited `units: 1e8` from allocating gigabytes before tfjs notices the shapes disagree.
 */
function checkLayerSizes(node: unknown, weights: number, jsonPath: string, where = 'modelTopology'): void {
  if (node === null || typeof node !== 'object') return;
  for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
    if (SIZE_KEYS.has(key) && typeof value === 'number' && !(value <= Math.max(weights, 1)))
      throw new RangeError(`loadModel: ${jsonPath} ${where}.${key} is ${value}, more than the model's ${weights} weights; the file was edited or is corrupt`);
    if (value !== null && typeof value === 'object') checkLayerSizes(value, weights, jsonPath, `${where}.${key}`);
  }
}

/** Trained weights are finite: a NaN or Infinity would silently turn every output into NaN. */
function checkFiniteWeights(specs: io.WeightsManifestEntry[], buffer: ArrayBuffer, jsonPath: string): void {
  let offset = 0;
  for (const spec of specs) {
    const count = spec.shape.reduce((a, b) => a * b, 1);
    const dtype = spec.quantization?.dtype ?? spec.dtype;
    if (dtype === 'float32') {
      const values = new Float32Array(buffer, offset, count);
      for (let i = 0; i < count; i++)
        if (!Number.isFinite(values[i]))
          throw new RangeError(`loadModel: ${jsonPath} weight ${JSON.stringify(spec.name)} holds ${values[i]} at index ${i}; the weights are corrupt`);
    }
    offset += count * (BYTES[dtype] ?? 0);
  }
}

/**
 * A tfjs IOHandler that reads `model.json` and its weight shards from disk and writes models as
 * `model.json` + `weights.bin`. Works for both GraphModel (converter) and LayersModel artifacts.
 * With `expect`, a model.json of the other kind is refused by name (a layers model given to
 * `loadGraphModel` otherwise fails deep inside tfjs with "reading 'producer'"); a layers model's
 * weights must be finite and its layer sizes within its weight count.
 *
 * @param path a folder containing `model.json`, or the path of the `.json` file itself.
 */
export function fileSystem(path: string, options: { expect?: ModelKind } = {}): io.IOHandler {
  if (typeof path !== 'string' || path.length === 0) throw typeError('path', 'a non-empty file or folder path', path);
  const jsonPath = modelJsonPath(resolve(path));
  const folder = dirname(jsonPath);

  return {
    async load(): Promise<io.ModelArtifacts> {
      let info: Awaited<ReturnType<typeof stat>>;
      try {
        info = await stat(jsonPath);
      } catch {
        throw new Error(`loadModel: no model.json at ${jsonPath}`);
      }
      if (info.size > MAX_MODEL_JSON_BYTES)
        throw new RangeError(`loadModel: ${jsonPath} is ${info.size} bytes, more than a model.json can be (${MAX_MODEL_JSON_BYTES})`);
      let json: io.ModelJSON;
      try {
        json = JSON.parse(await readFile(jsonPath, 'utf8')) as io.ModelJSON;
      } catch (err) {
        throw new Error(`loadModel: ${jsonPath} is not valid JSON: ${(err as Error).message}`);
      }
      if (json === null || typeof json !== 'object' || json.modelTopology === undefined) {
        throw new Error(`loadModel: ${jsonPath} has no modelTopology; it is not a tfjs model.json`);
      }
      const kind = kindOf(json);
      const wanted = options.expect;
      if (wanted !== undefined && kind !== undefined && kind !== wanted)
        throw new Error(`${LOADER[wanted]}: ${jsonPath} is a ${kind} model; load it with ${LOADER[kind]}`);
      return io.getModelArtifactsForJSON(json, async (manifest) => {
        if (!Array.isArray(manifest)) throw new Error(`loadModel: ${jsonPath} has a malformed weightsManifest`);
        const specs: io.WeightsManifestEntry[] = [];
        const buffers: Buffer[] = [];
        for (const group of manifest) {
          specs.push(...group.weights);
          for (const p of group.paths) {
            if (typeof p !== 'string' || isAbsolute(p)) throw new Error(`loadModel: weight path ${JSON.stringify(p)} must be relative to the model folder`);
            const shard = resolve(folder, p);
            // A manifest must not make us read files outside the model's folder.
            if (relative(folder, shard).startsWith('..')) throw new Error(`loadModel: weight path ${JSON.stringify(p)} points outside ${folder}`);
            try {
              buffers.push(await readFile(shard));
            } catch {
              throw new Error(`loadModel: weight shard ${shard} listed in ${jsonPath} cannot be read`);
            }
          }
        }
        const data = Buffer.concat(buffers);
        const expected = expectedWeightBytes(specs);
        if (expected !== undefined && expected !== data.byteLength) {
          throw new Error(
            `loadModel: weight shards hold ${data.byteLength} bytes but model.json describes ${expected}; the files are truncated or do not belong together`,
          );
        }
        const buffer = data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer;
        if (kind === 'layers' && expected !== undefined) {
          checkLayerSizes(
            json.modelTopology,
            specs.reduce((n, w) => n + w.shape.reduce((a, b) => a * b, 1), 0),
            jsonPath,
          );
          checkFiniteWeights(specs, buffer, jsonPath);
        }
        return [specs, buffer];
      });
    },

    async save(artifacts: io.ModelArtifacts): Promise<io.SaveResult> {
      if (artifacts.modelTopology instanceof ArrayBuffer) throw new Error('saveModel: binary topologies are not supported');
      await mkdir(folder, { recursive: true });
      const weightData = artifacts.weightData === undefined ? new ArrayBuffer(0) : io.CompositeArrayBuffer.join(artifacts.weightData);
      const manifest: io.WeightsManifestConfig = [{ paths: ['weights.bin'], weights: artifacts.weightSpecs ?? [] }];
      const modelJSON: Record<string, unknown> = { modelTopology: artifacts.modelTopology, weightsManifest: manifest };
      for (const key of [
        'format',
        'generatedBy',
        'convertedBy',
        'signature',
        'userDefinedMetadata',
        'modelInitializer',
        'initializerSignature',
        'trainingConfig',
      ] as const) {
        if (artifacts[key] !== undefined) modelJSON[key] = artifacts[key];
      }
      // Each file whole or not at all; weights first, so a model.json never names weights not yet written.
      await writeFileAtomic(join(folder, 'weights.bin'), new Uint8Array(weightData));
      await writeFileAtomic(jsonPath, JSON.stringify(modelJSON));
      return { modelArtifactsInfo: io.getModelArtifactsInfoForJSON(artifacts) };
    },
  };
}
