import type { CsrMatrix } from '@aiffel/sparse-als';
import type { InteractionData } from './interactions.js';

export interface Summary {
  min: number;
  median: number;
  mean: number;
  max: number;
}

function summary(values: ArrayLike<number>): Summary {
  const s = Float64Array.from(values).sort();
  const n = s.length;
  if (n === 0) return { min: 0, median: 0, mean: 0, max: 0 };
  const median = n % 2 ? (s[(n - 1) / 2] as number) : ((s[n / 2 - 1] as number) + (s[n / 2] as number)) / 2;
  let sum = 0;
  for (const x of s) sum += x;
  return { min: s[0] as number, median, mean: sum / n, max: s[n - 1] as number };
}

/**
 * The exercise's look at the data before any model: how many items each user has and how much
 * they played in total (count, median, mean), how many users each item has, the most popular
 * items, and how much of the signal is a single play.
 */
export interface InteractionStatistics {
  users: number;
  items: number;
  interactions: number;
  density: number;
  itemsPerUser: Summary;
  /** Sum of the raw values per user: plays for Last.fm, stars for MovieLens. */
  totalPerUser: Summary;
  usersPerItem: Summary;
  values: Summary & { p90: number; p99: number };
  /** Share of interactions whose raw value is 1 (a single play, or one star). */
  singleShare: number;
  popular: { id: string; users: number }[];
}

/** Statistics of the merged matrix `m` (raw values; duplicate user-item rows summed). */
export function interactionStatistics(m: CsrMatrix, itemIds: readonly (string | number)[], top = 10): InteractionStatistics {
  const perUser = new Float64Array(m.rows);
  const totals = new Float64Array(m.rows);
  for (let r = 0; r < m.rows; r++) {
    perUser[r] = (m.indptr[r + 1] as number) - (m.indptr[r] as number);
    for (let k = m.indptr[r] as number; k < (m.indptr[r + 1] as number); k++) totals[r] = (totals[r] as number) + (m.data[k] as number);
  }
  const perItem = new Float64Array(m.cols);
  for (const c of m.indices) perItem[c] = (perItem[c] as number) + 1;
  const sorted = Float64Array.from(m.data).sort();
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
  let single = 0;
  for (const v of m.data) if (v === 1) single++;
  const popular = Array.from(perItem.keys())
    .sort((a, b) => (perItem[b] as number) - (perItem[a] as number) || a - b)
    .slice(0, top)
    .map((i) => ({ id: String(itemIds[i]), users: perItem[i] as number }));
  return {
    users: m.rows,
    items: m.cols,
    interactions: m.nnz,
    density: m.density,
    itemsPerUser: summary(perUser),
    totalPerUser: summary(totals),
    usersPerItem: summary(perItem),
    values: { ...summary(m.data), p90: at(0.9), p99: at(0.99) },
    singleShare: m.nnz ? single / m.nnz : 0,
    popular,
  };
}

const f = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(1));
const line = (s: Summary) => `min ${f(s.min)}, median ${f(s.median)}, mean ${f(s.mean)}, max ${f(s.max)}`;

export function printStatistics(s: InteractionStatistics, data: InteractionData, name: (id: string) => string): void {
  const unit = data.kind === 'ratings' ? 'stars' : 'plays';
  console.log(`data: ${data.source}: ${s.users} users x ${s.items} items, ${s.interactions} interactions (density ${(100 * s.density).toFixed(3)}%)`);
  for (const k of data.skipped)
    console.log(
      `  left out ${k.count} row${k.count === 1 ? '' : 's'}: ${k.reason} (line${k.lines.length === 1 ? '' : 's'} ${k.lines.join(', ')}${k.count > k.lines.length ? ', ...' : ''})`,
    );
  console.log(`items per user: ${line(s.itemsPerUser)}`);
  console.log(`${unit} per user (total): ${line(s.totalPerUser)}`);
  console.log(`users per item: ${line(s.usersPerItem)}`);
  console.log(
    `${unit} per interaction: ${line(s.values)}, 90th percentile ${f(s.values.p90)}, 99th ${f(s.values.p99)}; ${data.kind === 'ratings' ? 'one star' : 'a single play'}: ${(100 * s.singleShare).toFixed(1)}%`,
  );
  console.log(`most popular (users): ${s.popular.map((p) => `${name(p.id)} (${p.users})`).join(', ')}`);
}
