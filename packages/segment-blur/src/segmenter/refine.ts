import { assertKnownOptions, type ImageArray, rangeError } from '@aiffel/runtime';
import { keepLargestComponent } from '../mask/components.js';
import { featherMask } from '../mask/feather.js';
import { type GuidedFilterOptions, guidedFilter } from '../mask/guided-filter.js';
import type { Mask } from '../mask/mask.js';

export interface RefineOptions {
  /** 'none' (default) keeps the bilinear mask; 'guided' snaps the edge to the photo's edges (see README for what each measures). */
  edges?: 'guided' | 'none';
  /** Options of the guided filter. */
  guided?: GuidedFilterOptions;
  /** Drop foreground blobs that are not connected to the largest one. Default false. */
  largestComponent?: boolean;
  /** Extra Gaussian feathering of the edge, in pixels. Default 0. */
  feather?: number;
}

/** The refinement steps that run after the model mask is upsampled to the photo's size. */
export function refineMask(mask: Mask, rgb: ImageArray, options: RefineOptions = {}): Mask {
  assertKnownOptions('refine options', options, ['edges', 'guided', 'largestComponent', 'feather']);
  const edges = options.edges ?? 'none';
  if (edges !== 'guided' && edges !== 'none') throw rangeError('options.refine.edges', "'guided' or 'none'", edges);
  let m = mask;
  if (edges === 'guided') m = guidedFilter(m, rgb, options.guided);
  if (options.largestComponent) m = keepLargestComponent(m);
  if (options.feather) m = featherMask(m, options.feather);
  return m;
}
