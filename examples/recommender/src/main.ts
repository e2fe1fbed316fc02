import { CsrMatrix, type Id, IdMap, ImplicitALS, leaveKOut, popularityRanker, rankingMetrics } from '@aiffel/sparse-als';
import { EXERCISE, parseRecommenderArgs } from './cli.js';
import { normalizeName } from './interactions.js';
import { servingLatency } from './latency.js';
import { loadInteractions } from './load-interactions.js';
import { parseMe, resolveMe, weightedRow } from './me.js';
import { type Candidate, SMALLER_FACTORS, searchGrid, searchModel, signalFor } from './model-search.js';
import { interactionStatistics, printStatistics } from './statistics.js';

/**
 * The classic recommender exercise with @aiffel/sparse-als: statistics of the interactions, an
 * implicit ALS model tuned on a validation split, held-out precision@10 / NDCG@10 against a
 * popularity baseline, similar items for a named item, explained recommendations for a user and
 * for yourself (--me, folded in), and the serving latency. The last line is JSON.
 */
const { args, cli } = parseRecommenderArgs();
const t0 = performance.now();
const data = await loadInteractions(args.data).catch(cli.dataError);
const users = new IdMap(data.users);
const items = new IdMap(data.items);
const raw = CsrMatrix.fromCoo(data.users.length, data.items.length, data.rows, data.cols, data.values);
const name = (id: Id) => data.names.get(String(id)) ?? String(id);
const stats = interactionStatistics(raw, items.ids());
printStatistics(stats, data, name);
const me = args.me === undefined ? undefined : cli.attempt(() => resolveMe(parseMe(args.me as string), items.ids() as string[], name));

const signal = signalFor(data.kind, args.ratings);
const m = signal.signal(raw);
console.log(`signal: ${signal.describe}`);
// Held-out evaluation: one interaction per user kept aside, never seen by the search or the model.
const { train, test } = leaveKOut(m, { k: 1, seed: args.seed });
const base = { iterations: args.iterations, seed: args.seed };

// A search over what the command line left open, unless told not to or the data is large (each trial is a full fit).
const given: Partial<Candidate> = { factors: args.factors, regularization: args.regularization, alpha: args.alpha };
const open = args.regularization === undefined || args.alpha === undefined;
const large = m.nnz > 2_000_000;
const doSearch = open && (args.search === 'on' || (args.search === 'auto' && !large));
let chosen: Candidate = {
  factors: args.factors ?? EXERCISE.factors,
  regularization: args.regularization ?? EXERCISE.regularization,
  alpha: args.alpha ?? EXERCISE.alpha,
};
let search: Awaited<ReturnType<typeof searchModel>> | undefined;
if (doSearch) {
  const ladder = [chosen.factors, ...(args.factors === undefined ? SMALLER_FACTORS.filter((f) => f < chosen.factors) : [])];
  const stages = ladder.map((f) => searchGrid(f, given, args.quick));
  console.log(
    `search: regularization x alpha (${stages[0]?.length} settings) at ${ladder[0]} factors${ladder.length > 1 ? `, then at ${ladder.slice(1).join(' and ')} while popularity still wins` : ''}; precision@10 on a validation split of the training rows`,
  );
  search = await searchModel(train, signal, stages, base, (t, k) =>
    console.log(
      `  ${k}. factors ${t.factors}, regularization ${t.regularization}, alpha ${t.alpha}: precision@10 ${t.precision.toFixed(4)}, NDCG@10 ${t.ndcg.toFixed(4)}`,
    ),
  );
  chosen = search.best;
  console.log(
    `search: best factors ${chosen.factors}, regularization ${chosen.regularization}, alpha ${chosen.alpha}; validation popularity baseline ${search.popularity.toFixed(4)}${search.beatsPopularity ? '' : ' (no setting beat it)'}`,
  );
} else if (open)
  console.log(
    `search: off (${large ? `${m.nnz} interactions; --search on to tune anyway` : '--search off'}); regularization ${chosen.regularization}, alpha ${chosen.alpha}`,
  );

const tty = process.stdout.isTTY;
const model = new ImplicitALS({
  ...base,
  ...chosen,
  onProgress: (p) => {
    if (!tty) return;
    const done = Math.round((30 * p.iteration) / p.iterations);
    process.stdout.write(`\rALS [${'#'.repeat(done)}${'.'.repeat(30 - done)}] ${p.iteration}/${p.iterations} ${p.seconds.toFixed(1)} s`);
  },
});
const trainStart = performance.now();
const weighted = signal.weight(train);
await model.fit(weighted, { users, items });
const trainSeconds = (performance.now() - trainStart) / 1000;
if (tty) process.stdout.write('\n');
const adapter = { recommend: (u: number, o: { n: number; filterLiked: boolean }) => model.recommend(users.id(u), o) };
const ours = rankingMetrics(adapter, train, test, { k: 10 });
const pop = rankingMetrics(popularityRanker(train), train, test, { k: 10 });
console.log(
  `held-out (leave-one-out, ${ours.users} users): precision@10 ${ours.precision.toFixed(4)}, NDCG@10 ${ours.ndcg.toFixed(4)}, coverage ${(100 * ours.coverage).toFixed(1)}%  |  popularity baseline: precision@10 ${pop.precision.toFixed(4)}, NDCG@10 ${pop.ndcg.toFixed(4)}${ours.precision > pop.precision ? '' : '  (the model does NOT beat popularity here)'}`,
);

const latency = servingLatency(model, users.ids(), 10);
console.log(
  `serving: recommend(user, { n: 10 }) over ${m.cols} items x ${chosen.factors} factors: mean ${(1000 * latency.meanMs).toFixed(0)} us, median ${(1000 * latency.p50Ms).toFixed(0)} us, 99th percentile ${(1000 * latency.p99Ms).toFixed(0)} us (${latency.samples} users)`,
);

// Similar items for a named item
const wanted = normalizeName(args.item ?? (data.kind === 'plays' ? 'coldplay' : data.kind === 'ratings' ? 'Toy Story (1995)' : 'jazz artist 1'));
const byName = items.ids().find((id) => normalizeName(name(id)) === wanted);
let similar: string[] = [];
if (byName === undefined) console.log(`no item named ${JSON.stringify(wanted)} in this data`);
else {
  similar = model.similarItems(byName, { n: 10 }).map((r) => `${name(r.id)} (${r.score.toFixed(2)})`);
  console.log(`similar to ${name(byName)}: ${similar.join(', ')}`);
}

/** Top 10 for a user of the model, each with its score (x_u . y_i) and the three liked items that contribute most. */
function explained(user: Id, title: string) {
  const recs = model.recommend(user, { n: 10 });
  console.log(`${title}:`);
  return recs.map((r, k) => {
    const e = model.explain(user, r.id, { n: 3 });
    const because = e.contributions.map((c) => ({ item: name(c.id), contribution: c.contribution }));
    console.log(
      `  ${k + 1}. ${name(r.id)}  score ${r.score.toFixed(3)}  because of ${because.map((b) => `${b.item} (${b.contribution.toFixed(3)})`).join(', ')}`,
    );
    return { item: name(r.id), score: r.score, because };
  });
}

if (args.user !== undefined && !users.has(args.user)) cli.dataError(new RangeError(`--user ${args.user} is not in this data`));
const user = args.user ?? String(users.id(0));
const userRecs = explained(user, `top 10 for user ${user}`);

let meRecs: ReturnType<typeof explained> | undefined;
if (me) {
  // Folded in against the trained item factors: the exact least-squares user vector, no retraining.
  let meId = 'me';
  while (users.has(meId)) meId += "'";
  const row = weightedRow(
    train,
    signal,
    me.ids.map((id) => items.get(id)),
    me.counts,
  );
  if (row.indices.length === 0)
    cli.dataError(new RangeError('--me: none of these items is a signal under this --ratings setting (MovieLens "liked" needs 4 or 5 stars)'));
  model.partialFitUsers([meId], [{ items: Array.from(row.indices, (i) => items.id(i)), values: Array.from(row.values) }]);
  console.log(`you: ${me.ids.map((id, k) => `${name(id)} (${me.counts[k]})`).join(', ')}`);
  meRecs = explained(meId, 'top 10 for you');
}

console.log(
  JSON.stringify({
    example: 'recommender',
    data: data.source,
    users: m.rows,
    items: m.cols,
    interactions: m.nnz,
    skipped_rows: data.skipped.reduce((s, k) => s + k.count, 0),
    signal: signal.describe,
    factors: chosen.factors,
    iterations: args.iterations,
    regularization: chosen.regularization,
    alpha: chosen.alpha,
    search: search?.trials ?? null,
    precision_at_10: ours.precision,
    ndcg_at_10: ours.ndcg,
    popularity_precision_at_10: pop.precision,
    popularity_ndcg_at_10: pop.ndcg,
    coverage: ours.coverage,
    train_seconds: trainSeconds,
    recommend_ms: latency,
    similar_to: byName === undefined ? null : name(byName),
    similar,
    user,
    recommendations: userRecs.map((r) => r.item),
    explanation: userRecs[0]?.because.map((b) => b.item) ?? [],
    me: meRecs ?? null,
    statistics: stats,
    seconds: (performance.now() - t0) / 1000,
  }),
);
