import { checkInteger, rangeError } from '@aiffel/core';
import type { CsrMatrix } from './csr-matrix.js';

/** Anything that ranks items for a user index: ImplicitALS, BPR, or a baseline. */
export interface Ranker {
  recommend(user: number, options: { n: number; filterLiked: boolean }): { index: number }[];
}

export interface RankingMetrics {
  /** Hits in the top k over min(k, held-out items), averaged over users (implicit's definition). */
  precision: number;
  /** Mean average precision at k. */
  map: number;
  /** Normalised discounted cumulative gain at k (binary relevance). */
  ndcg: number;
  /** Area under the ROC curve of the top-k list against the held-out items (implicit's AUC@k). */
  auc: number;
  /** Share of the catalogue that appears in at least one top-k list. */
  coverage: number;
  users: number;
}

/**
 * Ranking metrics at k of a model fitted on `train` against held-out `test` interactions, over
 * every user with test items. Recommendations leave out the train items, as in implicit.
 * The model must rank users by their index in train/test (fit without a users map, or use
 * an adapter).
 */
export function rankingMetrics(model: Ranker, train: CsrMatrix, test: CsrMatrix, options: { k?: number } = {}): RankingMetrics {
  const k = checkInteger('options.k', options.k ?? 10, 1);
  if (train.rows !== test.rows || train.cols !== test.cols)
    throw rangeError('test', `a ${train.rows} x ${train.cols} matrix like train`, `${test.rows} x ${test.cols}`);
  let precision = 0;
  let map = 0;
  let ndcg = 0;
  let auc = 0;
  let users = 0;
  const seen = new Uint8Array(train.cols);
  const discount = Array.from({ length: k }, (_, i) => 1 / Math.log2(i + 2));
  for (let u = 0; u < test.rows; u++) {
    const liked = new Set(test.row(u).indices);
    if (liked.size === 0) continue;
    const recs = model.recommend(u, { n: k, filterLiked: true }).map((r) => r.index);
    users++;
    let hits = 0;
    let ap = 0;
    let dcg = 0;
    recs.forEach((item, pos) => {
      seen[item] = 1;
      if (liked.has(item)) {
        hits++;
        ap += hits / (pos + 1);
        dcg += discount[pos] as number;
      }
    });
    const denom = Math.min(k, liked.size);
    let idcg = 0;
    for (let i = 0; i < denom; i++) idcg += discount[i] as number;
    precision += hits / denom;
    map += ap / denom;
    ndcg += dcg / idcg;
    // AUC@k as implicit: ranked positives before negatives, the unranked counted as misses.
    const negatives = train.cols - train.row(u).indices.length - liked.size;
    let auc1 = 0;
    let negSeen = 0;
    for (const item of recs) {
      if (liked.has(item)) auc1 += negatives - negSeen;
      else negSeen++;
    }
    auc += negatives > 0 ? auc1 / (liked.size * negatives) : 1;
  }
  const covered = seen.reduce((s, v) => s + v, 0);
  const d = users || 1;
  return { precision: precision / d, map: map / d, ndcg: ndcg / d, auc: auc / d, coverage: covered / train.cols, users };
}

/** A most-popular baseline (items by number of train interactions), the bar any model must clear. */
export function popularityRanker(train: CsrMatrix): Ranker {
  const counts = new Float64Array(train.cols);
  for (const i of train.indices) counts[i] = (counts[i] as number) + 1;
  const order = Array.from(counts.keys()).sort((a, b) => (counts[b] as number) - (counts[a] as number) || a - b);
  return {
    recommend(user, options) {
      const liked = options.filterLiked ? new Set(train.row(user).indices) : new Set<number>();
      const out: { index: number }[] = [];
      for (const i of order) {
        if (out.length === options.n) break;
        if (!liked.has(i)) out.push({ index: i });
      }
      return out;
    },
  };
}
