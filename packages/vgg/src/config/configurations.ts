/**
 * The configurations of Simonyan and Zisserman's Table 1 (ICLR 2015): five blocks of
 * convolutions, each block followed by 2x2 max-pooling with stride 2. Every convolution is 3x3
 * with stride 1 and same padding, except configuration C's last convolution in blocks 3 to 5,
 * which is 1x1. A-LRN adds local response normalisation after the first convolution.
 */
export type ConfigName = 'A' | 'A-LRN' | 'B' | 'C' | 'D' | 'E';

/** One convolution of a block: output channels and kernel size. */
export interface ConvSpec {
  filters: number;
  kernel: 1 | 3;
}

const c3 = (filters: number): ConvSpec => ({ filters, kernel: 3 });
const c1 = (filters: number): ConvSpec => ({ filters, kernel: 1 });
const rep = (n: number, filters: number): ConvSpec[] => Array.from({ length: n }, () => c3(filters));

export const CONFIGURATIONS: Readonly<Record<ConfigName, readonly (readonly ConvSpec[])[]>> = {
  A: [rep(1, 64), rep(1, 128), rep(2, 256), rep(2, 512), rep(2, 512)],
  'A-LRN': [rep(1, 64), rep(1, 128), rep(2, 256), rep(2, 512), rep(2, 512)],
  B: [rep(2, 64), rep(2, 128), rep(2, 256), rep(2, 512), rep(2, 512)],
  C: [rep(2, 64), rep(2, 128), [...rep(2, 256), c1(256)], [...rep(2, 512), c1(512)], [...rep(2, 512), c1(512)]],
  D: [rep(2, 64), rep(2, 128), rep(3, 256), rep(3, 512), rep(3, 512)],
  E: [rep(2, 64), rep(2, 128), rep(4, 256), rep(4, 512), rep(4, 512)],
};

/** Depth names used by torchvision and Keras (VGG-11/13/16/19 are A, B, D and E). */
export const DEPTH_ALIASES: Readonly<Record<11 | 13 | 16 | 19, ConfigName>> = { 11: 'A', 13: 'B', 16: 'D', 19: 'E' };

/** Weight layers (convolutions plus the three fully connected layers), as in the paper's table. */
export function weightLayers(config: ConfigName): number {
  return CONFIGURATIONS[config].reduce((n, block) => n + block.length, 0) + 3;
}

/** Parameters in millions as printed in the paper's Table 2 (1000 classes, 224x224 input). */
export const PAPER_PARAMS_MILLIONS: Readonly<Record<ConfigName, number>> = { A: 133, 'A-LRN': 133, B: 133, C: 134, D: 138, E: 144 };
