import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { tf } from '@aiffel/runtime';
import type { SeparableConv } from './folding.js';

/** The networks whose weights ship inside the @vladmandic/face-api npm package (its `model/` folder). */
export type FaceModelName = 'ssd_mobilenetv1_model' | 'face_landmark_68_model' | 'face_recognition_model' | 'age_gender_model' | 'tiny_face_detector_model';

/**
 * The folder holding the default weights. They come from the npm package, so nothing is ever
 * downloaded: `npm install` already put them on disk.
 */
export function defaultModelDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('@vladmandic/face-api/package.json')), 'model');
}

interface ManifestGroup {
  paths: string[];
  weights: tf.io.WeightsManifestEntry[];
}

/**
 * Reads `<name>-weights_manifest.json` and its shards from `dir` and returns the named tensors
 * (uint8-quantised weights are dequantised by tfjs). The caller owns and disposes the tensors.
 */
export async function loadWeightMap(dir: string, name: FaceModelName): Promise<tf.NamedTensorMap> {
  const manifestPath = join(dir, `${name}-weights_manifest.json`);
  let manifest: ManifestGroup[];
  try {
    manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as ManifestGroup[];
  } catch (err) {
    throw new Error(`modelDir: cannot read ${manifestPath} (${(err as Error).message})`);
  }
  if (!Array.isArray(manifest)) throw new Error(`modelDir: ${manifestPath} is not a weights manifest (expected an array of groups)`);
  const map: tf.NamedTensorMap = {};
  for (const group of manifest) {
    if (!Array.isArray(group?.paths) || !Array.isArray(group?.weights)) {
      throw new Error(`modelDir: ${manifestPath} has a group without paths/weights`);
    }
    const shards = await Promise.all(group.paths.map((p) => readFile(join(dir, p))));
    const bytes = Buffer.concat(shards);
    const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    let decoded: tf.NamedTensorMap;
    try {
      decoded = tf.io.decodeWeights(buffer, group.weights);
    } catch (err) {
      throw new Error(`modelDir: weights of ${name} do not match their manifest (${(err as Error).message})`);
    }
    Object.assign(map, decoded);
  }
  return map;
}

/** Takes one tensor out of a weight map, checking that it exists and has the expected rank. */
export function take<R extends tf.Rank>(map: tf.NamedTensorMap, key: string, rank: number): tf.Tensor<R> {
  const t = map[key];
  if (t === undefined) throw new Error(`weights: tensor ${key} is missing`);
  if (t.rank !== rank) throw new Error(`weights: tensor ${key} must have rank ${rank}, got shape [${t.shape.join(', ')}]`);
  return t as tf.Tensor<R>;
}

/** Copies of the `<prefix>/depthwise_filter`, `pointwise_filter` and `bias` tensors of a separable conv. */
export function takeSeparable(map: tf.NamedTensorMap, prefix: string): SeparableConv {
  return {
    depthwise: tf.clone(take<tf.Rank.R4>(map, `${prefix}/depthwise_filter`, 4)),
    filter: tf.clone(take<tf.Rank.R4>(map, `${prefix}/pointwise_filter`, 4)),
    bias: tf.clone(take<tf.Rank.R1>(map, `${prefix}/bias`, 1)),
  };
}

/** Disposes every tensor of a weight map (networks keep clones or folded copies). */
export function disposeAll(map: tf.NamedTensorMap): void {
  for (const t of Object.values(map)) t.dispose();
}
