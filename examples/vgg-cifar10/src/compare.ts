import { type ConfigName, summarize } from '@aiffel/vgg';

/** The configurations of the paper's Table 3 that --compare accepts. */
export const CONFIGS = ['A', 'A-LRN', 'B', 'C', 'D', 'E'] as const;

/** "A,A-LRN,B,D" -> the configurations, each once and known; anything else fails naming it. */
export function parseConfigList(list: string, fail: (message: string) => never): ConfigName[] {
  const items = list.split(',').map((c) => c.trim().toUpperCase());
  const unknown = items.filter((c) => !(CONFIGS as readonly string[]).includes(c));
  if (items.length === 0 || unknown.length > 0)
    fail(`--compare takes configurations from ${CONFIGS.join(', ')} separated by commas, got ${JSON.stringify(list)}`);
  if (new Set(items).size !== items.length) fail(`--compare lists a configuration twice: ${JSON.stringify(list)}`);
  return items as ConfigName[];
}

export interface CompareResult {
  config: ConfigName;
  weightLayers: number;
  params: number;
  /** Cumulative training seconds after each epoch, and that epoch's validation accuracy. */
  seconds: number[];
  valAccuracy: number[];
  trainSeconds: number;
  testAccuracy: number;
}

interface Net {
  countParams(): number;
  dispose(): unknown;
}

/**
 * Trains each configuration in turn under the same budget (what `train` enforces) and scores it on
 * the test set, freeing each network before the next is built.
 */
export async function compareConfigs<N extends Net>(
  configs: ConfigName[],
  run: {
    build(config: ConfigName): N;
    train(label: string, net: N): Promise<{ logs: { valAccuracy?: number }[]; seconds: number[]; total: number }>;
    test(net: N): Promise<number>;
  },
): Promise<CompareResult[]> {
  const results: CompareResult[] = [];
  for (const config of configs) {
    const net = run.build(config);
    try {
      const r = await run.train(`VGG ${config}`, net);
      results.push({
        config,
        weightLayers: summarize({ config }).weightLayers,
        params: net.countParams(),
        seconds: r.seconds,
        valAccuracy: r.logs.map((l) => l.valAccuracy ?? 0),
        trainSeconds: r.total,
        testAccuracy: await run.test(net),
      });
    } finally {
      net.dispose();
    }
  }
  return results;
}
