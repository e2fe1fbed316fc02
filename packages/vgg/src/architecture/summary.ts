import { weightLayers } from '../config/configurations.js';
import { resolveOptions, type VggOptions } from '../config/options.js';
import { type LayerSpec, layerSpecs } from './layer-spec.js';

export interface VggSummary {
  config: string;
  layers: LayerSpec[];
  /** Trainable parameters (torchvision's count). */
  params: number;
  /** Batch norm's moving statistics (tfjs counts them in countParams()). */
  nonTrainable: number;
  /** Multiply-accumulates for one image. */
  macs: number;
  /** 2 x MACs, the usual FLOPs convention. */
  flops: number;
  /** Convolutions plus fully connected layers (the paper's depth: 11, 13, 16 or 19). */
  weightLayers: number;
}

/** Shapes, parameters and FLOPs of a VGG network, computed without building it. */
export function summarize(options: VggOptions = {}): VggSummary {
  const o = resolveOptions(options);
  const layers = layerSpecs(o);
  let params = 0;
  let nonTrainable = 0;
  let macs = 0;
  for (const l of layers) {
    params += l.params;
    nonTrainable += l.nonTrainable;
    macs += l.macs;
  }
  const depth = weightLayers(o.config) - (o.includeTop ? 0 : 3);
  return { config: o.config, layers, params, nonTrainable, macs, flops: 2 * macs, weightLayers: depth };
}

const group = (n: number): string => n.toLocaleString('en-US');

/** The summary as a text table: layer, output shape, parameters, MACs, then totals. */
export function formatSummary(s: VggSummary): string {
  const rows = s.layers
    .filter((l) => l.kind !== 'relu' && l.kind !== 'dropout' && l.kind !== 'softmax')
    .map((l) => [l.name, `[${l.outputShape.join(', ')}]`, group(l.params + l.nonTrainable), l.macs > 0 ? `${(l.macs / 1e6).toFixed(1)}M` : '']);
  const head = ['layer', 'output shape', 'params', 'MACs'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const line = (r: string[]): string => r.map((v, i) => (i >= 2 ? v.padStart(widths[i] as number) : v.padEnd(widths[i] as number))).join('  ');
  return [
    `VGG configuration ${s.config} (${s.weightLayers} weight layers)`,
    line(head),
    ...rows.map(line),
    `trainable parameters: ${group(s.params)}; non-trainable: ${group(s.nonTrainable)}`,
    s.macs >= 1e9
      ? `per image: ${(s.macs / 1e9).toFixed(2)} GMACs = ${(s.flops / 1e9).toFixed(2)} GFLOPs`
      : `per image: ${(s.macs / 1e6).toFixed(1)} MMACs = ${(s.flops / 1e6).toFixed(1)} MFLOPs`,
  ].join('\n');
}
