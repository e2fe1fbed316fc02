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

/**
 * A tfjs IOHandler that reads `model.json` and its weight shards from disk and writes models as
 * `model.json` + `weights.bin`. Works for both GraphModel (converter) and LayersModel artifacts.
 *
 * @param path a folder containing `model.json`, or the path of the `.json` file itself.
 */
export function fileSystem(path: string): io.IOHandler {
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
