import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  assertKnownOptions,
  decodeImage,
  type ImageArray,
  type ImageInput,
  loadGraphModel,
  loadLayersModel,
  rangeError,
  ready,
  tf,
  typeError,
} from '@aiffel/runtime';
import type * as tfc from '@tensorflow/tfjs-core';
import type { LabelMap } from '../effects/overlay.js';
import { toRgb } from '../effects/rgb.js';
import type { Mask } from '../mask/mask.js';
import { resizeMask } from '../mask/resize.js';
import { cropMask, type FitMode, prepareModelInput } from './model-input.js';
import { VOC_LABELS } from './voc-labels.js';

/** Anything with tfjs's `predict`: a LayersModel or GraphModel. */
export interface PredictingModel {
  predict(x: tfc.Tensor): tfc.Tensor | tfc.Tensor[] | Record<string, tfc.Tensor>;
  inputs?: { shape?: (number | null)[] | null }[];
}

export interface SemanticSegmenterOptions {
  /** A tfjs model: folder or model.json path (layers or graph format), or a loaded model. */
  model: string | PredictingModel;
  /** Class names in output order. Default PASCAL VOC's 21 (label 15 is person, 8 is cat). */
  labels?: readonly string[];
  /** Model input `[height, width]`. Default: the model's declared input shape. */
  inputSize?: [number, number];
  /** Pixel scaling: 'none' (0..255, default, as DeepLab exports take), 'unit' (0..1), 'symmetric' (-1..1). */
  normalize?: 'none' | 'unit' | 'symmetric';
  /** What the model outputs per pixel: 'logits' (default; softmax is applied), 'probabilities', or 'labels' (class indices). */
  output?: 'logits' | 'probabilities' | 'labels';
}

export interface SemanticSegmentOptions {
  /** Classes that make up the mask, by name or index. Default ['person']. */
  classes?: readonly (string | number)[];
  fit?: FitMode;
  maxPixels?: number;
}

export interface SemanticSegmentation {
  image: ImageArray;
  /** Probability of the selected classes (summed), at the photo's size. Exactly 0/1 for 'labels' models. */
  mask: Mask;
  /** The most likely class of each pixel at the photo's size (nearest-neighbour upsampled). */
  labelMap: LabelMap;
  /** Names of the classes present in the label map, most frequent first. */
  present: string[];
}

/**
 * Runs any per-pixel classification model (DeepLab v3 on PASCAL VOC, as in the classic exercise)
 * and turns the chosen classes into a mask for the effects.
 */
export class SemanticSegmenter {
  private constructor(
    private readonly model: PredictingModel,
    readonly labels: readonly string[],
    readonly inputHeight: number,
    readonly inputWidth: number,
    private readonly normalize: 'none' | 'unit' | 'symmetric',
    private readonly output: 'logits' | 'probabilities' | 'labels',
  ) {}

  static async load(options: SemanticSegmenterOptions): Promise<SemanticSegmenter> {
    assertKnownOptions('SemanticSegmenter options', options, ['model', 'labels', 'inputSize', 'normalize', 'output']);
    await ready();
    const model = typeof options?.model === 'string' ? await loadModel(options.model) : options?.model;
    if (!model || typeof model.predict !== 'function') throw typeError('options.model', 'a model path or an object with predict()', model);
    const labels = options.labels ?? VOC_LABELS;
    if (!Array.isArray(labels) || labels.length < 2 || !labels.every((l) => typeof l === 'string'))
      throw rangeError('options.labels', 'at least two class names', labels);
    const declared = model.inputs?.[0]?.shape;
    const size = options.inputSize ?? (declared ? [declared[1], declared[2]] : undefined);
    if (!size?.every((v) => Number.isInteger(v) && (v as number) > 0))
      throw rangeError('options.inputSize', '[height, width] (the model does not declare a fixed input size)', size);
    const normalize = options.normalize ?? 'none';
    if (!['none', 'unit', 'symmetric'].includes(normalize)) throw rangeError('options.normalize', "'none', 'unit' or 'symmetric'", normalize);
    const output = options.output ?? 'logits';
    if (!['logits', 'probabilities', 'labels'].includes(output)) throw rangeError('options.output', "'logits', 'probabilities' or 'labels'", output);
    return new SemanticSegmenter(model, labels, size[0] as number, size[1] as number, normalize, output);
  }

  /** Index of each requested class; unknown names or indices throw. */
  classIndices(classes: readonly (string | number)[]): number[] {
    if (!Array.isArray(classes) || classes.length === 0) throw rangeError('options.classes', 'a non-empty list of class names or indices', classes);
    return classes.map((c) => {
      const i = typeof c === 'number' ? c : this.labels.indexOf(c);
      if (!Number.isInteger(i) || i < 0 || i >= this.labels.length) throw rangeError('options.classes', `names or indices of ${this.labels.length} labels`, c);
      return i;
    });
  }

  async segment(input: ImageInput, options: SemanticSegmentOptions = {}): Promise<SemanticSegmentation> {
    assertKnownOptions('segment options', options, ['classes', 'fit', 'maxPixels']);
    const selected = this.classIndices(options.classes ?? ['person']);
    const image = toRgb(await decodeImage(input, { channels: 3, ...(options.maxPixels !== undefined && { maxPixels: options.maxPixels }) }));
    const { pixels, content } = await prepareModelInput(image, this.inputWidth, this.inputHeight, options.fit ?? 'stretch');
    const scale = this.normalize === 'none' ? 255 : this.normalize === 'symmetric' ? 2 : 1;
    const shift = this.normalize === 'symmetric' ? -1 : 0;
    for (let i = 0; i < pixels.length; i++) pixels[i] = (pixels[i] as number) * scale + shift;
    const { probs, labels } = await this.run(pixels, selected);
    const modelMask = cropMask({ data: probs, width: this.inputWidth, height: this.inputHeight }, content);
    const labelsCropped = cropMask({ data: labels, width: this.inputWidth, height: this.inputHeight }, content);
    const mask = resizeMask(modelMask, image.width, image.height);
    const labelMap = nearestLabels(labelsCropped, image.width, image.height, this.labels.length);
    const counts = new Map<number, number>();
    for (let i = 0; i < labelMap.data.length; i++) counts.set(labelMap.data[i] as number, (counts.get(labelMap.data[i] as number) ?? 0) + 1);
    const present = [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([l]) => this.labels[l] ?? String(l));
    return { image, mask, labelMap, present };
  }

  private async run(pixels: Float32Array, selected: number[]): Promise<{ probs: Float32Array; labels: Float32Array }> {
    const h = this.inputHeight;
    const w = this.inputWidth;
    const x = tf.tensor4d(pixels, [1, h, w, 3]);
    let y = this.model.predict(x as unknown as tfc.Tensor);
    if (Array.isArray(y)) y = y[0] as tfc.Tensor;
    else if (!(y instanceof tf.Tensor)) y = Object.values(y)[0] as tfc.Tensor;
    const out = y as tfc.Tensor;
    const values = await out.data();
    x.dispose();
    out.dispose();
    const n = h * w;
    const probs = new Float32Array(n);
    const labels = new Float32Array(n);
    if (this.output === 'labels') {
      if (values.length !== n) throw new Error(`SemanticSegmenter: a 'labels' model must output ${h}x${w} class indices, got ${values.length} values`);
      const chosen = new Set(selected);
      for (let i = 0; i < n; i++) {
        labels[i] = values[i] as number;
        probs[i] = chosen.has(values[i] as number) ? 1 : 0;
      }
      return { probs, labels };
    }
    const c = this.labels.length;
    if (values.length !== n * c) throw new Error(`SemanticSegmenter: expected ${h}x${w}x${c} class scores (one per label), got ${values.length} values`);
    for (let i = 0; i < n; i++) {
      const o = i * c;
      let best = 0;
      let max = Number.NEGATIVE_INFINITY;
      for (let k = 0; k < c; k++) {
        const v = values[o + k] as number;
        if (v > max) {
          max = v;
          best = k;
        }
      }
      labels[i] = best;
      if (this.output === 'logits') {
        let total = 0;
        for (let k = 0; k < c; k++) total += Math.exp((values[o + k] as number) - max);
        let sel = 0;
        for (const k of selected) sel += Math.exp((values[o + k] as number) - max);
        probs[i] = sel / total;
      } else {
        let sel = 0;
        for (const k of selected) sel += values[o + k] as number;
        probs[i] = Math.min(1, Math.max(0, sel));
      }
    }
    return { probs, labels };
  }
}

async function loadModel(path: string): Promise<PredictingModel> {
  const json = path.endsWith('.json') ? path : join(path, 'model.json');
  let format: unknown;
  try {
    format = (JSON.parse(await readFile(json, 'utf8')) as { format?: unknown }).format;
  } catch (err) {
    throw new Error(`options.model: cannot read ${json}: ${(err as Error).message}`);
  }
  return (format === 'layers-model' ? await loadLayersModel(json) : await loadGraphModel(json)) as unknown as PredictingModel;
}

function nearestLabels(src: Mask, width: number, height: number, classes: number): LabelMap {
  const out = classes > 256 ? new Int32Array(width * height) : new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const sy = Math.min(src.height - 1, Math.floor(((y + 0.5) * src.height) / height));
    for (let x = 0; x < width; x++) {
      const sx = Math.min(src.width - 1, Math.floor(((x + 0.5) * src.width) / width));
      out[y * width + x] = src.data[sy * src.width + sx] as number;
    }
  }
  return { data: out, width, height };
}
