export { type LayerKind, type LayerSpec, layerSpecs } from './architecture/layer-spec.js';
export { type ReceptiveField, receptiveFields, stackedVersusSingle, vggReceptiveFields } from './architecture/receptive-field.js';
export { formatSummary, summarize, type VggSummary } from './architecture/summary.js';
export { CONFIGURATIONS, type ConfigName, type ConvSpec, DEPTH_ALIASES, PAPER_PARAMS_MILLIONS, weightLayers } from './config/configurations.js';
export { type Init, type Pooling, type ResolvedVgg, resolveOptions, type VggOptions } from './config/options.js';
export {
  type AugmentOptions,
  augment,
  type ColourPca,
  cropImage,
  flipHorizontal,
  IMAGENET_PCA,
  pcaColourShift,
  sampleScale,
} from './data/augment.js';
export { type Batch, type BatchSource, epochRng, isBatchSource, type TrainData, tensorSource } from './data/batch-source.js';
export { type FolderSourceOptions, ImageFolder } from './data/image-folder.js';
export {
  IMAGENET_MEAN_RGB,
  meanPixel,
  type PreprocessMode,
  type PreprocessOptions,
  preprocessPixels,
  preprocessTensor,
  TORCH_MEAN,
  TORCH_STD,
} from './data/preprocess.js';
export { denseEvaluate, denseModel } from './evaluation/dense-model.js';
export { type MultiCropOptions, multiCropEvaluate, multiScaleDenseEvaluate } from './evaluation/multi-crop.js';
export { topKError } from './evaluation/top-k.js';
export { vgg, vggCifar } from './model/build-model.js';
export { featureExtractor, tapLayerName } from './model/feature-extractor.js';
export { LocalResponseNorm, type LrnConfig, registerLocalResponseNorm } from './model/lrn-layer.js';
export { type WarmStartReport, warmStart } from './model/warm-start.js';
export { accuracy, type BatchLog, type EpochLog, type Recipe, train } from './training/train.js';
export type { ImportReport } from './weights/assign.js';
export { importKerasH5 } from './weights/keras-h5.js';
export { type NpyArray, parseNpy } from './weights/npy.js';
export { readNpz } from './weights/npz.js';
export { importTorchVgg } from './weights/torch-import.js';
