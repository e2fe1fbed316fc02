export { type BlurBackgroundOptions, blurBackground, exercisePortrait, naivePortrait } from './effects/blur-background.js';
export { type DesaturateOptions, desaturateBackground } from './effects/colour-splash.js';
export { cutout } from './effects/cutout.js';
export { type LabelMap, type OverlayOptions, overlay } from './effects/overlay.js';
export { type Colour, type ReplaceBackgroundOptions, replaceBackground } from './effects/replace-background.js';
export { maskWeightedBlur } from './effects/weighted-blur.js';
export { BLUR_KINDS, type BlurKind, blurPlanes } from './filters/blur.js';
export { boxBlur, type Planes } from './filters/box-blur.js';
export { discBlur } from './filters/disc-blur.js';
export { gaussianBlur, gaussianBoxRadii } from './filters/gaussian-blur.js';
export { type ComponentOptions, keepLargestComponent } from './mask/components.js';
export { featherMask } from './mask/feather.js';
export { type GuidedFilterOptions, greyOf, guidedFilter } from './mask/guided-filter.js';
export { type Mask, type MaskInput, maskToUint8, toMask } from './mask/mask.js';
export { boundaryFScore, maskIoU } from './mask/metrics.js';
export { closeMask, dilateMask, erodeMask, openMask } from './mask/morphology.js';
export { resizeMask } from './mask/resize.js';
export { MaskSmoother } from './mask/temporal.js';
export { thresholdMask } from './mask/threshold.js';
export { applyEffect, defaultSegmenter, outputFormat, type PortraitEffect, type PortraitOptions, portrait } from './portrait.js';
export { BUILTIN_MODELS, type BuiltinModel } from './segmenter/builtin-models.js';
export type { FitMode } from './segmenter/model-input.js';
export { type RefineOptions, refineMask } from './segmenter/refine.js';
export { type Segmentation, Segmenter, type SegmenterOptions, type SegmentOptions } from './segmenter/segmenter.js';
export {
  type PredictingModel,
  type SemanticSegmentation,
  SemanticSegmenter,
  type SemanticSegmenterOptions,
  type SemanticSegmentOptions,
} from './segmenter/semantic-segmenter.js';
export { VOC_LABELS, vocColour } from './segmenter/voc-labels.js';
export { TfliteGraph } from './tflite/tflite-graph.js';
