import { parseCli } from '@aiffel/example-kit';

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

/** One strict command line (the example kit): a bad flag prints the usage and exits 2. */
export function parseUnsupervisedArgs(argv: string[], defaultOut: string): UnsupervisedArgs {
  const cli = parseCli({
    name: 'unsupervised',
    usage: USAGE,
    argv,
    options: {
      data: { type: 'string' },
      label: { type: 'string' },
      columns: { type: 'string' },
      k: { type: 'string' },
      limit: { type: 'string' },
      out: { type: 'string' },
      seed: { type: 'string' },
      quick: { type: 'boolean' },
    },
  });
  const { values } = cli;
  const quick = values.quick ?? false;
  return {
    data: values.data,
    label: values.label,
    columns: values.columns?.split(',').map((c) => c.trim()),
    k: values.k === undefined ? undefined : cli.int('k', 1, 10_000, 1),
    limit: cli.int('limit', 1, 10_000_000, quick ? 1000 : 3000),
    out: values.out ?? defaultOut,
    quick,
    // 0 is the default and a valid seed.
    seed: cli.int('seed', 0, 2 ** 31 - 1, 0),
  };
}
