import { parseArgs } from 'node:util';

export interface DemoArgs {
  /** An image file to classify instead of the built-in synthetic images. */
  data?: string;
  /** Fewer training steps (what `npm run demo` uses). */
  quick: boolean;
  backend: 'wasm' | 'cpu';
  steps: number;
}

const USAGE = 'usage: npm run example -- runtime-demo [--data <image file>] [--quick] [--backend wasm|cpu] [--steps N]';

export function parseDemoArgs(argv: string[]): DemoArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      data: { type: 'string' },
      quick: { type: 'boolean', default: false },
      backend: { type: 'string', default: 'wasm' },
      steps: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  if (values.backend !== 'wasm' && values.backend !== 'cpu') throw new RangeError(`--backend must be wasm or cpu, got ${values.backend}\n${USAGE}`);
  const steps = values.steps === undefined ? (values.quick ? 10 : 40) : Number(values.steps);
  if (!Number.isInteger(steps) || steps <= 0) throw new RangeError(`--steps must be a positive integer, got ${values.steps}\n${USAGE}`);
  return { data: values.data, quick: values.quick ?? false, backend: values.backend, steps };
}
