import { rangeError } from '@aiffel/runtime';
import { resolveOptions, type VggOptions } from '../config/options.js';
import { layerSpecs } from './layer-spec.js';

export interface ReceptiveField {
  /** Layer name. */
  name: string;
  /** Side of the input window one output unit sees. */
  size: number;
  /** Input pixels between neighbouring output units (product of strides). */
  jump: number;
}

/**
 * Receptive field after each convolution and pooling of a chain of square kernels:
 * size grows by (kernel - 1) * jump, jump multiplies by the stride.
 */
export function receptiveFields(layers: { name: string; kernel: number; stride: number }[]): ReceptiveField[] {
  let size = 1;
  let jump = 1;
  return layers.map((l) => {
    if (!Number.isInteger(l.kernel) || l.kernel < 1) throw rangeError(`${l.name} kernel`, 'a positive integer', l.kernel);
    if (!Number.isInteger(l.stride) || l.stride < 1) throw rangeError(`${l.name} stride`, 'a positive integer', l.stride);
    size += (l.kernel - 1) * jump;
    jump *= l.stride;
    return { name: l.name, size, jump };
  });
}

/** Receptive field of every convolution and pooling layer of a VGG network. */
export function vggReceptiveFields(options: VggOptions = {}): ReceptiveField[] {
  const layers = layerSpecs(resolveOptions(options)).filter((l) => l.kernel !== undefined);
  return receptiveFields(layers.map((l) => ({ name: l.name, kernel: l.kernel as number, stride: l.stride as number })));
}

/**
 * The paper's argument for small filters: n stacked 3x3 convolutions (C channels in and out) see
 * a (2n + 1)-wide window, like one (2n + 1)x(2n + 1) convolution, with 9nC^2 weights instead of
 * (2n + 1)^2 C^2 and n non-linearities instead of one (n = 3: 27C^2 against 49C^2).
 */
export function stackedVersusSingle(
  n: number,
  channels: number,
): { window: number; stackedWeights: number; singleWeights: number; nonLinearities: [number, number] } {
  if (!Number.isInteger(n) || n < 1) throw rangeError('n', 'a positive integer (number of stacked 3x3 layers)', n);
  if (!Number.isInteger(channels) || channels < 1) throw rangeError('channels', 'a positive integer', channels);
  const window = receptiveFields(Array.from({ length: n }, (_, i) => ({ name: `conv${i + 1}`, kernel: 3, stride: 1 }))).at(-1)?.size as number;
  return { window, stackedWeights: 9 * n * channels * channels, singleWeights: window * window * channels * channels, nonLinearities: [n, 1] };
}
