import * as tfconv from '@tensorflow/tfjs-converter';
import * as tfl from '@tensorflow/tfjs-layers';
import { fileSystem } from './model-io.js';

/** Loads a tfjs GraphModel (tfjs-converter output) from a folder or model.json path on disk. */
export function loadGraphModel(path: string): Promise<tfconv.GraphModel> {
  return tfconv.loadGraphModel(fileSystem(path, { expect: 'graph' }));
}

/** Loads a tfjs LayersModel (Keras-style) from a folder or model.json path on disk. */
export function loadLayersModel(path: string, options: { strict?: boolean } = {}): Promise<tfl.LayersModel> {
  return tfl.loadLayersModel(fileSystem(path, { expect: 'layers' }), { strict: options.strict ?? true });
}

/** Saves a LayersModel as `<dir>/model.json` + `<dir>/weights.bin`. */
export async function saveLayersModel(model: tfl.LayersModel, dir: string): Promise<void> {
  await model.save(fileSystem(dir));
}
