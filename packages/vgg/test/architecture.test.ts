import { describe, expect, it } from 'vitest';
import { formatSummary, PAPER_PARAMS_MILLIONS, receptiveFields, stackedVersusSingle, summarize, vggReceptiveFields, weightLayers } from '../src/index.js';

// torchvision.models.vgg*(): sum(p.numel() for p in model.parameters()), 1000 classes, 224x224.
const TORCHVISION = {
  11: [132_863_336, 132_868_840],
  13: [133_047_848, 133_053_736],
  16: [138_357_544, 138_365_992],
  19: [143_667_240, 143_678_248],
} as const;

describe('VGG architecture (analytic)', () => {
  it("matches torchvision's exact parameter counts, with and without batch norm", () => {
    for (const [depth, [plain, bn]] of Object.entries(TORCHVISION)) {
      const config = Number(depth) as 11 | 13 | 16 | 19;
      expect(summarize({ config }).params).toBe(plain);
      expect(summarize({ config, batchNorm: true }).params).toBe(bn);
      // tfjs also counts batch norm's moving mean and variance: two more per channel.
      expect(summarize({ config, batchNorm: true }).nonTrainable).toBe(bn - plain);
    }
  });

  it("matches the paper's Table 2 (millions) and depths for A, A-LRN, B, C, D, E", () => {
    const depths = { A: 11, 'A-LRN': 11, B: 13, C: 16, D: 16, E: 19 } as const;
    for (const [config, millions] of Object.entries(PAPER_PARAMS_MILLIONS)) {
      const s = summarize({ config: config as keyof typeof depths });
      expect(Math.round(s.params / 1e6)).toBe(millions);
      expect(s.weightLayers).toBe(depths[config as keyof typeof depths]);
      expect(weightLayers(config as keyof typeof depths)).toBe(depths[config as keyof typeof depths]);
    }
    // C differs from D only by 1x1 instead of 3x3 in the last convolution of blocks 3-5.
    expect(summarize({ config: 'D' }).params - summarize({ config: 'C' }).params).toBe(8 * (256 * 256 + 2 * 512 * 512));
  });

  it('computes shapes and multiply-accumulates: VGG-16 ends convolutions at 7x7x512 and takes 15.47 GMACs', () => {
    const s = summarize({ config: 16 });
    expect(s.layers.find((l) => l.name === 'block5_pool')?.outputShape).toEqual([7, 7, 512]);
    expect(s.layers.find((l) => l.name === 'fc1')?.params).toBe(7 * 7 * 512 * 4096 + 4096);
    expect(s.macs / 1e9).toBeCloseTo(15.47, 2);
    expect(s.flops).toBe(2 * s.macs);
    const text = formatSummary(s);
    expect(text).toContain('block3_conv3');
    expect(text).toContain('trainable parameters: 138,357,544');
    // Feature extractor: no top, global pooling.
    const f = summarize({ config: 16, includeTop: false, pooling: 'avg' });
    expect(f.layers.at(-1)?.outputShape).toEqual([512]);
    expect(f.params).toBe(14_714_688);
  });

  it('the compact CIFAR variant and odd sizes: 32x32 input ends at 1x1, width multiplier scales channels', () => {
    const s = summarize({ config: 11, inputShape: [32, 32, 3], numClasses: 10, classifierWidth: 512, widthMultiplier: 0.5 });
    expect(s.layers.find((l) => l.name === 'block5_pool')?.outputShape).toEqual([1, 1, 256]);
    expect(s.layers.find((l) => l.name === 'block1_conv1')?.outputShape).toEqual([32, 32, 32]);
    const odd = summarize({ config: 11, inputShape: [100, 75, 3] });
    expect(odd.layers.find((l) => l.name === 'block5_pool')?.outputShape).toEqual([3, 2, 512]);
  });

  it('receptive fields: three stacked 3x3 see 7x7 with 27C^2 weights against 49C^2; VGG-16 pool5 sees 212 pixels', () => {
    expect(stackedVersusSingle(3, 10)).toEqual({ window: 7, stackedWeights: 2700, singleWeights: 4900, nonLinearities: [3, 1] });
    expect(stackedVersusSingle(2, 1).window).toBe(5);
    const rf = vggReceptiveFields({ config: 16 });
    expect(rf.find((l) => l.name === 'block5_conv3')).toEqual({ name: 'block5_conv3', size: 196, jump: 16 });
    expect(rf.at(-1)).toEqual({ name: 'block5_pool', size: 212, jump: 32 });
    expect(receptiveFields([{ name: 'a', kernel: 7, stride: 1 }])[0]?.size).toBe(7);
  });

  it('rejects bad options, naming them', () => {
    // @ts-expect-error: unknown configuration
    expect(() => summarize({ config: 'F' })).toThrow(/config must be one of A, A-LRN, B, C, D, E, 11, 13, 16 or 19, got "F"/);
    expect(() => summarize({ inputShape: [16, 224, 3] })).toThrow(
      /inputShape height must be an integer >= 32 \(5 max-pooling stages halve it 5 times\), got 16/,
    );
    expect(() => summarize({ inputShape: [224, 224, 0] })).toThrow(/inputShape channels must be a positive integer/);
    expect(() => summarize({ pooling: 'avg' })).toThrow(/pooling must be undefined when includeTop is true/);
    expect(() => summarize({ dropout: 1 })).toThrow(/dropout must be a rate in \[0, 1\), got 1/);
    expect(() => summarize({ numClasses: 0 })).toThrow(/numClasses must be a positive integer, got 0/);
    // @ts-expect-error: unknown option
    expect(() => summarize({ depth: 16 })).toThrow(/unknown option "depth"/);
    expect(() => stackedVersusSingle(0, 3)).toThrow(/n must be a positive integer/);
  });
});
