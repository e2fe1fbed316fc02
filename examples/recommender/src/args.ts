import { parseArgs } from 'node:util';

export interface RecommenderArgs {
  data?: string;
  item?: string;
  user?: string;
  factors: number;
  iterations: number;
  seed: number;
  quick: boolean;
}

export const USAGE =
  'usage: npm run example -- recommender [--data <MovieLens or Last.fm folder>] [--item <name>] [--user <id>] [--factors N] [--iterations N] [--seed N] [--quick]';

function positive(name: string, v: string | undefined, fallback: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new RangeError(`--${name} must be a positive integer, got ${JSON.stringify(v)}\n${USAGE}`);
  return n;
}

export function parseRecommenderArgs(argv: string[]): RecommenderArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      data: { type: 'string' },
      item: { type: 'string' },
      user: { type: 'string' },
      factors: { type: 'string' },
      iterations: { type: 'string' },
      seed: { type: 'string' },
      quick: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const quick = values.quick ?? false;
  return {
    data: values.data,
    item: values.item,
    user: values.user,
    factors: positive('factors', values.factors, quick ? 16 : 64),
    iterations: positive('iterations', values.iterations, quick ? 5 : 15),
    seed: values.seed === undefined ? 1 : positive('seed', values.seed, 1),
    quick,
  };
}
