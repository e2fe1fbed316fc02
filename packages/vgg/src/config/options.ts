import { assertKnownOptions, assertPositiveInteger, rangeError, typeError } from '@aiffel/runtime';
import { CONFIGURATIONS, type ConfigName, DEPTH_ALIASES } from './configurations.js';

export type Pooling = 'avg' | 'max';
export type Init = 'he' | 'glorot' | 'paper';

export interface VggOptions {
  /** 'A' | 'A-LRN' | 'B' | 'C' | 'D' | 'E', or a depth 11 | 13 | 16 | 19 (A, B, D, E). Default 'D' (VGG-16). */
  config?: ConfigName | 11 | 13 | 16 | 19;
  /** Batch normalisation after every convolution, before its ReLU (torchvision's vgg*_bn). Default false. */
  batchNorm?: boolean;
  /** Output classes of the top. Default 1000. */
  numClasses?: number;
  /** [height, width, channels]. Default [224, 224, 3]. */
  inputShape?: [number, number, number];
  /** The three fully connected layers; false ends at the last pooling (feature extractor). Default true. */
  includeTop?: boolean;
  /** Without the top: global 'avg' or 'max' pooling of the last feature map, or none. */
  pooling?: Pooling;
  /** Dropout rate after the first two fully connected layers. Default 0.5. */
  dropout?: number;
  /** Units of the first two fully connected layers. Default 4096. */
  classifierWidth?: number;
  /** Multiplies every convolution's channels (rounded, at least 1). Default 1. */
  widthMultiplier?: number;
  /** 'he' (default; Kaiming normal, fan out, like torchvision), 'glorot' (uniform) or 'paper' (N(0, 0.01^2) weights); biases zero. */
  init?: Init;
  /** Seed of the initial weights. Default 0. */
  seed?: number;
}

export interface ResolvedVgg {
  config: ConfigName;
  batchNorm: boolean;
  numClasses: number;
  inputShape: [number, number, number];
  includeTop: boolean;
  pooling: Pooling | undefined;
  dropout: number;
  classifierWidth: number;
  widthMultiplier: number;
  init: Init;
  seed: number;
}

const KNOWN = ['config', 'batchNorm', 'numClasses', 'inputShape', 'includeTop', 'pooling', 'dropout', 'classifierWidth', 'widthMultiplier', 'init', 'seed'];
const CONFIG_NAMES = Object.keys(CONFIGURATIONS) as ConfigName[];
/** Five 2x2 poolings halve (with flooring) the feature map five times. */
export const POOLING_STAGES = 5;
export const MIN_SIDE = 2 ** POOLING_STAGES;

export function resolveConfig(config: unknown): ConfigName {
  if (typeof config === 'number' && config in DEPTH_ALIASES) return DEPTH_ALIASES[config as 11 | 13 | 16 | 19];
  if (typeof config === 'string' && (CONFIG_NAMES as string[]).includes(config)) return config as ConfigName;
  throw rangeError('config', `one of ${CONFIG_NAMES.join(', ')}, 11, 13, 16 or 19`, config);
}

function flag(name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw typeError(name, 'a boolean', value);
  return value;
}

export function resolveOptions(options: VggOptions = {}): ResolvedVgg {
  assertKnownOptions('vgg options', options, KNOWN);
  const config = resolveConfig(options.config ?? 'D');
  const inputShape = options.inputShape ?? [224, 224, 3];
  if (!Array.isArray(inputShape) || inputShape.length !== 3) throw rangeError('inputShape', '[height, width, channels]', inputShape);
  const [h, w, c] = inputShape;
  if (!Number.isInteger(c) || (c as number) < 1) throw rangeError('inputShape channels', 'a positive integer (3 for RGB)', c);
  for (const [side, v] of [
    ['height', h],
    ['width', w],
  ] as const) {
    if (!Number.isInteger(v) || (v as number) < MIN_SIDE)
      throw rangeError(`inputShape ${side}`, `an integer >= ${MIN_SIDE} (${POOLING_STAGES} max-pooling stages halve it ${POOLING_STAGES} times)`, v);
  }
  const numClasses = options.numClasses ?? 1000;
  assertPositiveInteger('numClasses', numClasses);
  const classifierWidth = options.classifierWidth ?? 4096;
  assertPositiveInteger('classifierWidth', classifierWidth);
  const dropout = options.dropout ?? 0.5;
  if (typeof dropout !== 'number' || !(dropout >= 0 && dropout < 1)) throw rangeError('dropout', 'a rate in [0, 1)', dropout);
  const widthMultiplier = options.widthMultiplier ?? 1;
  if (typeof widthMultiplier !== 'number' || !(widthMultiplier > 0 && widthMultiplier <= 16))
    throw rangeError('widthMultiplier', 'a number in (0, 16]', widthMultiplier);
  const includeTop = flag('includeTop', options.includeTop, true);
  const pooling = options.pooling;
  if (pooling !== undefined && pooling !== 'avg' && pooling !== 'max') throw rangeError('pooling', "'avg', 'max' or undefined", pooling);
  if (pooling !== undefined && includeTop) throw rangeError('pooling', 'undefined when includeTop is true (the top flattens the feature map)', pooling);
  const init = options.init ?? 'he';
  if (init !== 'he' && init !== 'glorot' && init !== 'paper') throw rangeError('init', "'he', 'glorot' or 'paper'", init);
  const seed = options.seed ?? 0;
  if (!Number.isInteger(seed)) throw rangeError('seed', 'an integer', seed);
  return {
    config,
    batchNorm: flag('batchNorm', options.batchNorm, false),
    numClasses,
    inputShape: [h as number, w as number, c as number],
    includeTop,
    pooling,
    dropout,
    classifierWidth,
    widthMultiplier,
    init,
    seed,
  };
}
