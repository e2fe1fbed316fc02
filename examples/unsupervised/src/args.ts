import { parseArgs } from 'node:util';

export interface UnsupervisedArgs {
  /** A CSV file, an MNIST folder or IDX image file; absent: the built-in synthetic blobs. */
  data?: string;
  /** CSV column holding the true label (coloured plots and ARI); MNIST brings its own. */
  label?: string;
  /** CSV columns to use as features; default every numeric column except the label. */
  columns?: string[];
  /** Clusters for k-means; default the number of true labels (or 5 without labels). */
  k?: number;
  /** Rows to use at most (MNIST: the first N test images). */
  limit: number;
  out: string;
  quick: boolean;
  seed: number;
}

export const USAGE =
  'usage: npm run example -- unsupervised [--data <file.csv | mnist folder | images.idx.gz>] [--label <column>] [--columns a,b,c] [--k N] [--limit N] [--out <dir>] [--seed N] [--quick]';

function positiveInt(name: string, v: string | undefined, fallback: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new RangeError(`--${name} must be a positive integer, got ${JSON.stringify(v)}\n${USAGE}`);
  return n;
}

function parseFlags(argv: string[]) {
  return parseArgs({
    args: argv,
    options: {
      data: { type: 'string' },
      label: { type: 'string' },
      columns: { type: 'string' },
      k: { type: 'string' },
      limit: { type: 'string' },
      out: { type: 'string' },
      seed: { type: 'string' },
      quick: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
}

export function parseUnsupervisedArgs(argv: string[], defaultOut: string): UnsupervisedArgs {
  let parsed: ReturnType<typeof parseFlags>;
  try {
    parsed = parseFlags(argv);
  } catch (e) {
    console.error(`unsupervised: ${(e as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  const { values } = parsed;
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const quick = values.quick ?? false;
  return {
    data: values.data,
    label: values.label,
    columns: values.columns?.split(',').map((c) => c.trim()),
    k: values.k === undefined ? undefined : positiveInt('k', values.k, 1),
    limit: positiveInt('limit', values.limit, quick ? 1000 : 3000),
    out: values.out ?? defaultOut,
    quick,
    seed: values.seed === undefined ? 0 : positiveInt('seed', values.seed, 0),
  };
}
