import { bm25Weight, type CsrMatrix, ImplicitALS, leaveKOut, popularityRanker, rankingMetrics } from '@aiffel/sparse-als';
import type { InteractionData } from './interactions.js';

/** How raw values become the ALS input: play counts BM25-weighted (implicit's Last.fm example), stars as chosen by --ratings. */
export interface Signal {
  /** Applied before the split: which raw values are a signal at all (MovieLens "liked" drops < 4 stars). */
  signal(m: CsrMatrix): CsrMatrix;
  /** Applied to the training matrix only, after the split (BM25 uses column statistics). */
  weight(train: CsrMatrix): CsrMatrix;
  describe: string;
}

export function signalFor(kind: InteractionData['kind'], ratings: 'liked' | 'all'): Signal {
  if (kind === 'ratings')
    return ratings === 'liked'
      ? {
          signal: (m) => m.map((r) => (r >= 4 ? 1 : 0)).eliminateZeros(),
          weight: (m) => m,
          describe: 'ratings of 4 and 5 stars as liked (1), the rest left out',
        }
      : { signal: (m) => m, weight: (m) => m, describe: 'every rating, its stars as the strength (confidence 1 + alpha x stars)' };
  return { signal: (m) => m, weight: (m) => bm25Weight(m), describe: 'play counts, BM25-weighted' };
}

export interface Candidate {
  factors: number;
  regularization: number;
  alpha: number;
}

export interface Trial extends Candidate {
  precision: number;
  ndcg: number;
}

export const REGULARIZATIONS = [0.01, 0.1, 1, 10];
export const ALPHAS = [1, 5, 40];
/** Sparse data (a few liked items per user) needs fewer factors than the exercise's 100 to beat popularity. */
export const SMALLER_FACTORS = [32, 16];

/** A model that only matches counting is not worth its factors: the next stage runs unless the best beats popularity by 5%. */
export const MARGIN = 1.05;

/** regularization x alpha over what the command line left open: every given value is kept fixed. */
export function searchGrid(factors: number, given: Partial<Candidate>, quick: boolean): Candidate[] {
  const regs = given.regularization !== undefined ? [given.regularization] : quick ? [0.01, 1, 10] : REGULARIZATIONS;
  const alphas = given.alpha !== undefined ? [given.alpha] : quick ? [1, 40] : ALPHAS;
  return regs.flatMap((regularization) => alphas.map((alpha) => ({ factors, regularization, alpha })));
}

/**
 * Picks the model by precision@10 on a validation split carved out of the training matrix (one
 * more interaction per user held out), so the test interactions stay unseen. Each grid of
 * `stages` runs only while the best so far does not beat the popularity baseline on that split
 * by MARGIN.
 * Returns every trial, best first, and the baseline.
 */
export async function searchModel(
  train: CsrMatrix,
  signal: Signal,
  stages: Candidate[][],
  options: { iterations: number; seed: number },
  onTrial: (t: Trial, k: number) => void = () => {},
): Promise<{ best: Candidate; trials: Trial[]; popularity: number; beatsPopularity: boolean }> {
  const split = leaveKOut(train, { k: 1, seed: options.seed + 1 });
  const fitOn = signal.weight(split.train);
  const popularity = rankingMetrics(popularityRanker(split.train), split.train, split.test, { k: 10 }).precision;
  const trials: Trial[] = [];
  for (const grid of stages) {
    for (const c of grid) {
      const model = await new ImplicitALS({ ...options, ...c }).fit(fitOn);
      const r = rankingMetrics(model, split.train, split.test, { k: 10 });
      const t = { ...c, precision: r.precision, ndcg: r.ndcg };
      trials.push(t);
      onTrial(t, trials.length);
    }
    if (trials.some((t) => t.precision > MARGIN * popularity)) break;
  }
  trials.sort((a, b) => b.precision - a.precision || b.ndcg - a.ndcg);
  const best = trials[0] as Trial;
  return {
    best: { factors: best.factors, regularization: best.regularization, alpha: best.alpha },
    trials,
    popularity,
    beatsPopularity: best.precision > popularity,
  };
}
