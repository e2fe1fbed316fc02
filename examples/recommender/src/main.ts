import { bm25Weight, fromRecords, ImplicitALS, leaveKOut, popularityRanker, rankingMetrics } from '@aiffel/sparse-als';
import { parseRecommenderArgs } from './args.js';
import { loadInteractions, normalizeName } from './load-interactions.js';

/**
 * The classic recommender exercise with @aiffel/sparse-als: statistics of the interactions,
 * an implicit ALS model, similar items for a named item, explained recommendations for a user,
 * and held-out precision@10 / NDCG@10 against a popularity baseline. The last line is JSON.
 */
const args = parseRecommenderArgs(process.argv.slice(2));
const t0 = performance.now();
const data = loadInteractions(args.data);
const kind = data.kind;
// MovieLens ratings become implicit feedback: 4 and 5 stars are "liked", the rest no signal.
const values = kind === 'ratings' ? data.values.map((r) => (r >= 4 ? 1 : 0)) : data.values;
const {
  matrix: raw,
  users,
  items,
} = fromRecords(
  data.users.map((u, k) => ({ u, i: data.items[k] as string, v: values[k] as number })),
  { user: 'u', item: 'i', value: 'v' },
);
const m = raw.eliminateZeros();
const name = (id: string | number) => data.names.get(String(id)) ?? String(id);

// Statistics
const itemCounts = new Float64Array(m.cols);
for (const c of m.indices) itemCounts[c] = (itemCounts[c] as number) + 1;
const popular = Array.from(itemCounts.keys())
  .sort((a, b) => (itemCounts[b] as number) - (itemCounts[a] as number))
  .slice(0, 5)
  .map((i) => `${name(items.id(i))} (${itemCounts[i]})`);
const sortedValues = Float64Array.from(data.values).sort();
const pct = (p: number) => sortedValues[Math.min(sortedValues.length - 1, Math.floor(p * sortedValues.length))];
const singles = data.values.filter((v) => v === 1).length / data.values.length;
console.log(`data: ${data.source}: ${m.rows} users x ${m.cols} items, ${m.nnz} interactions (density ${(100 * m.density).toFixed(3)}%)`);
console.log(`most popular: ${popular.join(', ')}`);
console.log(
  `${kind === 'ratings' ? 'ratings' : 'plays'} per interaction: median ${pct(0.5)}, 90th percentile ${pct(0.9)}, 99th ${pct(0.99)}, max ${pct(1)}; single ${kind === 'ratings' ? 'stars' : 'plays'}: ${(100 * singles).toFixed(1)}%`,
);

// Held-out evaluation: one interaction per user kept aside.
const { train, test } = leaveKOut(m, { k: 1, seed: args.seed });
const weight = (x: typeof m) => (kind === 'ratings' ? x : bm25Weight(x));
const tty = process.stdout.isTTY;
const model = new ImplicitALS({
  factors: args.factors,
  iterations: args.iterations,
  regularization: 0.05,
  alpha: kind === 'ratings' ? 10 : 2,
  seed: args.seed,
  onProgress: (p) => {
    if (!tty) return;
    const done = Math.round((30 * p.iteration) / p.iterations);
    process.stdout.write(`\rALS [${'#'.repeat(done)}${'.'.repeat(30 - done)}] ${p.iteration}/${p.iterations} ${p.seconds.toFixed(1)} s`);
  },
});
await model.fit(weight(train), { users, items });
if (tty) process.stdout.write('\n');
const adapter = { recommend: (u: number, o: { n: number; filterLiked: boolean }) => model.recommend(users.id(u), o) };
const ours = rankingMetrics(adapter, train, test, { k: 10 });
const pop = rankingMetrics(popularityRanker(train), train, test, { k: 10 });
console.log(
  `held-out (leave-one-out, ${ours.users} users): precision@10 ${ours.precision.toFixed(4)}, NDCG@10 ${ours.ndcg.toFixed(4)}, coverage ${(100 * ours.coverage).toFixed(1)}%  |  popularity baseline: precision@10 ${pop.precision.toFixed(4)}, NDCG@10 ${pop.ndcg.toFixed(4)}`,
);

// Similar items for a named item
const wanted = normalizeName(args.item ?? (kind === 'plays' ? 'coldplay' : kind === 'ratings' ? 'Toy Story (1995)' : 'jazz artist 1'));
const byName = items.ids().find((id) => normalizeName(name(id)) === wanted);
let similar: string[] = [];
if (byName === undefined) console.log(`no item named ${JSON.stringify(wanted)} in this data`);
else {
  similar = model.similarItems(byName, { n: 10 }).map((r) => `${name(r.id)} (${r.score.toFixed(2)})`);
  console.log(`similar to ${name(byName)}: ${similar.join(', ')}`);
}

// Recommendations for a user, with the explanation of the first one
const user = args.user ?? String(users.id(0));
const recs = model.recommend(user, { n: 10 });
console.log(`top 10 for user ${user}: ${recs.map((r) => name(r.id)).join(', ')}`);
const first = recs[0];
let because: string[] = [];
if (first) {
  const e = model.explain(user, first.id, { n: 3 });
  because = e.contributions.map((c) => `${name(c.id)} (${c.contribution.toFixed(3)})`);
  console.log(`why ${name(first.id)} (score ${e.score.toFixed(3)}): ${because.join(', ')}`);
}

console.log(
  JSON.stringify({
    example: 'recommender',
    data: data.source,
    users: m.rows,
    items: m.cols,
    interactions: m.nnz,
    precision_at_10: ours.precision,
    ndcg_at_10: ours.ndcg,
    popularity_precision_at_10: pop.precision,
    popularity_ndcg_at_10: pop.ndcg,
    coverage: ours.coverage,
    similar_to: byName === undefined ? null : name(byName),
    similar,
    user,
    recommendations: recs.map((r) => name(r.id)),
    explanation: because,
    seconds: (performance.now() - t0) / 1000,
  }),
);
