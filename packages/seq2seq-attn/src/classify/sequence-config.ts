import { assertKnownOptions, rangeError, typeError } from '@aiffel/runtime';
import type { ParamSpec } from '../model/params.js';

export interface SequenceClassifierConfig {
  /** LSTM units per direction. Default 64. */
  hiddenSize: number;
  /** Stacked LSTM layers. Default 1. */
  layers: number;
  /** Run each layer in both directions and concatenate. Default false. */
  bidirectional: boolean;
  /** A 1-D convolution (ReLU, 'same' padding) before the LSTM: filters and kernel width; 0 filters = none. Default 0 / 5. */
  convFilters: number;
  convKernel: number;
  /** 'attention' (additive attention over all steps) or 'last' (the final hidden state of each direction). Default 'attention'. */
  pooling: 'attention' | 'last';
  /** Attention width. Default 32. */
  attentionDim: number;
  /** Dropout on the pooled features during training. Default 0. */
  dropout: number;
  /** Weight initialisation and dropout seed. Default 0. */
  seed: number;
}

export const SEQUENCE_CONFIG_KEYS = [
  'hiddenSize',
  'layers',
  'bidirectional',
  'convFilters',
  'convKernel',
  'pooling',
  'attentionDim',
  'dropout',
  'seed',
] as const;

const int = (name: string, v: unknown, min: number, max: number): number => {
  if (!Number.isInteger(v) || (v as number) < min || (v as number) > max) throw rangeError(name, `an integer in [${min}, ${max}]`, v);
  return v as number;
};

export function resolveSequenceConfig(o: Partial<SequenceClassifierConfig>): SequenceClassifierConfig {
  if (o === null || typeof o !== 'object') throw typeError('SequenceClassifier options', 'an object', o);
  const c: SequenceClassifierConfig = {
    hiddenSize: int('hiddenSize', o.hiddenSize ?? 64, 1, 4096),
    layers: int('layers', o.layers ?? 1, 1, 8),
    bidirectional: o.bidirectional ?? false,
    convFilters: int('convFilters', o.convFilters ?? 0, 0, 4096),
    convKernel: int('convKernel', o.convKernel ?? 5, 1, 255),
    pooling: o.pooling ?? 'attention',
    attentionDim: int('attentionDim', o.attentionDim ?? 32, 1, 4096),
    dropout: o.dropout ?? 0,
    seed: int('seed', o.seed ?? 0, -0x80000000, 0xffffffff),
  };
  if (typeof c.bidirectional !== 'boolean') throw typeError('bidirectional', 'a boolean', c.bidirectional);
  if (c.pooling !== 'attention' && c.pooling !== 'last') throw rangeError('pooling', "'attention' or 'last'", c.pooling);
  if (!(typeof c.dropout === 'number' && c.dropout >= 0 && c.dropout < 1)) throw rangeError('dropout', 'a number in [0, 1)', c.dropout);
  return c;
}

/** Pooled feature width: hiddenSize per direction. */
export const pooledDim = (c: SequenceClassifierConfig): number => c.hiddenSize * (c.bidirectional ? 2 : 1);

/** Every parameter, in a fixed order (the order of saved weights and of gradients between workers). */
export function sequenceParamSpecs(c: SequenceClassifierConfig, channels: number, classes: number): ParamSpec[] {
  const H = c.hiddenSize;
  const D = pooledDim(c);
  const specs: ParamSpec[] = [];
  let width = channels;
  if (c.convFilters > 0) {
    specs.push({ name: 'conv/w', shape: [c.convKernel, channels, c.convFilters], init: 'uniform' }, { name: 'conv/b', shape: [c.convFilters], init: 'zeros' });
    width = c.convFilters;
  }
  for (let l = 0; l < c.layers; l++) {
    for (const dir of c.bidirectional ? ['forward', 'backward'] : ['forward']) {
      specs.push(
        { name: `lstm/${l}/${dir}/wx`, shape: [l === 0 ? width : D, 4 * H], init: 'uniform' },
        { name: `lstm/${l}/${dir}/wh`, shape: [H, 4 * H], init: 'uniform' },
        { name: `lstm/${l}/${dir}/b`, shape: [4 * H], init: 'lstm-bias' },
      );
    }
  }
  if (c.pooling === 'attention') {
    specs.push(
      { name: 'attention/wk', shape: [D, c.attentionDim], init: 'uniform' },
      { name: 'attention/query', shape: [c.attentionDim], init: 'zeros' },
      { name: 'attention/v', shape: [c.attentionDim], init: 'uniform' },
    );
  }
  specs.push(
    { name: 'output/w', shape: [D, classes === 2 ? 1 : classes], init: 'uniform' },
    { name: 'output/b', shape: [classes === 2 ? 1 : classes], init: 'zeros' },
  );
  return specs;
}

export function checkConfigKeys(options: object, extra: readonly string[]): void {
  assertKnownOptions('SequenceClassifier options', options as Record<string, unknown>, [...SEQUENCE_CONFIG_KEYS, ...extra]);
}
