import { parseCli } from '@aiffel/example-kit';

export const USAGE =
  'usage: npm run example -- recommender [--data <MovieLens folder | Last.fm folder | Last.fm-360K .tsv>] [--me "name:count,..." | --me FILE] [--item NAME] [--user ID] [--factors N] [--regularization R] [--alpha A] [--iterations N] [--ratings liked|all] [--search auto|on|off] [--seed N] [--quick]';

export interface RecommenderArgs {
  data?: string;
  me?: string;
  item?: string;
  user?: string;
  /** Given on the command line; else the exercise's 100, and the search may go lower. */
  factors?: number;
  iterations: number;
  /** Given on the command line; the search tunes what is not given. */
  regularization?: number;
  alpha?: number;
  ratings: 'liked' | 'all';
  search: 'auto' | 'on' | 'off';
  seed: number;
  quick: boolean;
}

/** The exercise's model: 100 factors, regularization 0.01, 15 iterations (implicit's AlternatingLeastSquares). */
export const EXERCISE = { factors: 100, regularization: 0.01, iterations: 15, alpha: 1 };

export function parseRecommenderArgs(argv = process.argv.slice(2)) {
  const cli = parseCli({
    name: 'recommender',
    usage: USAGE,
    argv,
    options: {
      data: { type: 'string' },
      me: { type: 'string' },
      item: { type: 'string' },
      user: { type: 'string' },
      factors: { type: 'string' },
      iterations: { type: 'string' },
      regularization: { type: 'string' },
      alpha: { type: 'string' },
      ratings: { type: 'string' },
      search: { type: 'string' },
      seed: { type: 'string' },
      quick: { type: 'boolean' },
    },
  });
  const v = cli.values;
  const quick = v.quick === true;
  const args: RecommenderArgs = {
    data: v.data,
    me: v.me,
    item: v.item,
    user: v.user,
    factors: v.factors === undefined ? (quick ? 16 : undefined) : cli.int('factors', 1, 1024, EXERCISE.factors),
    iterations: cli.int('iterations', 1, 1000, quick ? 5 : EXERCISE.iterations),
    regularization: v.regularization === undefined ? undefined : cli.number('regularization', 1e-9, 1e6, EXERCISE.regularization),
    alpha: v.alpha === undefined ? undefined : cli.number('alpha', 0, 1e6, EXERCISE.alpha),
    ratings: cli.choice('ratings', ['liked', 'all'], 'liked'),
    search: cli.choice('search', ['auto', 'on', 'off'], 'auto'),
    seed: cli.int('seed', 0, 2 ** 31 - 1, 1),
    quick,
  };
  return { args, cli };
}
