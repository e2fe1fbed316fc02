import { rangeError, tf } from '@aiffel/runtime';
import type * as tfl from '@tensorflow/tfjs-layers';

/** What a weight import did. */
export interface ImportReport {
  /** Model layers that received weights, in model order. */
  assigned: string[];
  /** Entries of the file that no layer of the model took (e.g. the classifier for includeTop: false). */
  ignored: string[];
}

/** New values for one layer: its weights by their short name (kernel, bias, gamma, beta, moving_mean, moving_variance). */
export type LayerValues = Map<string, tf.Tensor>;

/** The short name of a layer weight: `block1_conv1/kernel` -> `kernel`. */
export function shortName(w: tf.Variable | { name: string }): string {
  return (w.name.split('/').pop() as string).replace(/_\d+$/, '').replace(/:\d+$/, '');
}

/**
 * Writes new values into layers only after every shape has been checked, so a bad file leaves the
 * model as it was. Disposes the given tensors.
 */
export function assignAll(model: tfl.LayersModel, values: Map<string, LayerValues>, source: string): void {
  const plan: [tfl.layers.Layer, tf.Tensor[]][] = [];
  try {
    for (const [layerName, byName] of values) {
      const layer = model.getLayer(layerName);
      const ordered = layer.weights.map((w) => {
        const v = byName.get(shortName(w));
        if (!v) throw rangeError(`${source} ${layerName}`, `a value for ${shortName(w)}`, [...byName.keys()].join(', '));
        if (v.shape.join('x') !== w.shape.join('x'))
          throw rangeError(`${source} ${layerName}/${shortName(w)}`, `shape ${w.shape.join('x')}`, v.shape.join('x'));
        // A NaN weight would make every prediction NaN with nothing to say why.
        const data = v.dataSync();
        for (let i = 0; i < data.length; i++)
          if (!Number.isFinite(data[i])) throw rangeError(`${source} ${layerName}/${shortName(w)}`, `finite values (index ${i})`, data[i]);
        return v;
      });
      plan.push([layer, ordered]);
    }
    for (const [layer, ordered] of plan) layer.setWeights(ordered);
  } finally {
    for (const byName of values.values()) tf.dispose([...byName.values()]);
  }
}

/** Layers of the model that hold weights, in order, split by role. */
export function weightLayers(model: tfl.LayersModel): { convs: string[]; norms: string[]; dense: string[] } {
  const names = model.layers.filter((l) => l.weights.length > 0).map((l) => l.name);
  return {
    convs: names.filter((n) => /^block\d_conv\d$/.test(n)),
    norms: names.filter((n) => /^block\d_conv\d_bn$/.test(n)),
    dense: names.filter((n) => ['fc1', 'fc2', 'predictions'].includes(n)),
  };
}
