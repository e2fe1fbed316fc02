/**
 * Which Pokemon are legendary? (Pokemon.csv, 800 rows, 65 legendary)
 *   npm run example -- pokemon-legendary [--data ../shared/data/pokemon/Pokemon.csv] [--quick] [--out dir]
 * The exercise's EDA (class balance, per-stat means by class, Spearman correlation with the label,
 * the stat distributions by legendary status and the type counts as PNGs), its name and type
 * features, and gradient boosting and a random forest under 5-fold stratified CV with ROC AUC,
 * with and without those features. Ends with one JSON line of metrics.
 */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomicSync } from '@aiffel/core';
import { groupedBarsPng, histogramsPng, parseCli } from '@aiffel/example-kit';
import { correlationMatrix, crossValScore, GradientBoostingClassifier, RandomForestClassifier, StratifiedKFold } from '@aiffel/gbm-ensemble';
import { builtInPokemon, loadPokemon, STATS } from './data.js';
import { baseFeatures, nameTypeFeatures, vocabulary } from './features.js';

const cli = parseCli({
  name: 'pokemon-legendary',
  usage: 'usage: npm run example -- pokemon-legendary [--data Pokemon.csv] [--quick] [--out dir]',
  options: { data: { type: 'string' }, quick: { type: 'boolean' }, out: { type: 'string' } },
});
const dataPath = cli.values.data;
const quick = cli.values.quick === true;
const outDir = cli.values.out ?? 'out';
if (dataPath !== undefined && !(existsSync(dataPath) && statSync(dataPath).isFile()))
  cli.dataError(new Error(`--data: ${dataPath} is not a file (expected Pokemon.csv)`));
const pokemon = cli.attempt(() => {
  try {
    return dataPath ? loadPokemon(dataPath) : builtInPokemon(800);
  } catch (e) {
    throw new Error(`--data: ${dataPath}: ${(e as Error).message}`);
  }
});
const y = pokemon.map((p) => (p.legendary ? 1 : 0));
const nLegendary = y.filter((v) => v).length;
console.log(
  `${pokemon.length} Pokemon from ${dataPath ?? 'built-in data (pass --data Pokemon.csv for the real set)'}; ${nLegendary} legendary (${((100 * nLegendary) / pokemon.length).toFixed(1)}%)`,
);

// EDA
const stat = (j: number, legendary: boolean) => pokemon.filter((p) => p.legendary === legendary).map((p) => p.stats[j] as number);
const corr = correlationMatrix(
  { columns: [...STATS.map((_, j) => Float64Array.from(pokemon, (p) => p.stats[j] as number)), Float64Array.from(y)] },
  'spearman',
);
console.table(
  STATS.map((name, j) => {
    const mean = (v: number[]) => Number((v.reduce((a, b) => a + b, 0) / v.length).toFixed(1));
    return {
      stat: name,
      mean_legendary: mean(stat(j, true)),
      mean_other: mean(stat(j, false)),
      spearman_with_label: Number(((corr[j] as number[])[STATS.length] as number).toFixed(3)),
    };
  }),
);
mkdirSync(outDir, { recursive: true });
const colours = { legendary: '#d6361f', other: '#1f4fd6' };
const distributions = join(outDir, 'pokemon-stats.png');
writeFileAtomicSync(
  distributions,
  await histogramsPng(
    'Stat distributions by legendary status (each class scaled to its own total)',
    STATS.map((name, j) => ({
      name,
      groups: [
        { name: 'legendary', colour: colours.legendary, values: stat(j, true) },
        { name: 'not legendary', colour: colours.other, values: stat(j, false) },
      ],
    })),
  ),
);
const vocab = vocabulary(pokemon);
const typeShare = (legendary: boolean) => {
  const group = pokemon.filter((p) => p.legendary === legendary);
  return vocab.types.map((t) => group.filter((p) => p.type1 === t || p.type2 === t).length / Math.max(1, group.length));
};
const typesPng = join(outDir, 'pokemon-types.png');
writeFileAtomicSync(
  typesPng,
  await groupedBarsPng(
    'Share of each class having each type (Type 1 or Type 2)',
    vocab.types,
    [
      { name: 'legendary', colour: colours.legendary, values: typeShare(true) },
      { name: 'not legendary', colour: colours.other, values: typeShare(false) },
    ],
    { yLabel: 'share of the class' },
  ),
);
const typeCounts = Object.fromEntries(vocab.types.map((t) => [t, pokemon.filter((p) => p.type1 === t || p.type2 === t).length]));
console.log(
  `types (Type 1 or 2): ${Object.entries(typeCounts)
    .sort((a, b) => b[1] - a[1])
    .map(([t, c]) => `${t} ${c}`)
    .join(', ')}`,
);
console.log(`EDA plots: ${distributions}, ${typesPng}`);

// Models, with and without the name and type features, on the same folds.
const base = baseFeatures(pokemon, vocab);
const rich = nameTypeFeatures(pokemon, vocab);
console.log(
  `features: ${base.names.length} base, ${rich.names.length} with name/type (${vocab.tokens.length} name tokens occurring 3+ times, ${vocab.types.length} types)`,
);
const cv = new StratifiedKFold({ nSplits: 5, shuffle: true, seed: 1 });
const gbm = (names: string[]) => () =>
  new GradientBoostingClassifier({
    nEstimators: quick ? 80 : 200,
    learningRate: 0.05,
    numLeaves: 8,
    minChildSamples: 5,
    categoricalFeatures: [names.indexOf('Type 1')],
  });
const rf = () => new RandomForestClassifier({ nEstimators: quick ? 50 : 200, seed: 1 });
const score = (f: { names: string[]; X: number[][] }) => ({
  gbm: crossValScore(gbm(f.names), f.X, y, { cv, scoring: 'auc' }),
  rf: crossValScore(rf, f.X, y, { cv, scoring: 'auc' }),
});
const without = score(base);
const withFeatures = score(rich);
const fmt = (s: { mean: number; std: number }) => `${s.mean.toFixed(4)} ± ${s.std.toFixed(4)}`;
console.log('ROC AUC, 5-fold stratified CV (same folds):');
console.table({
  'stats + Type 1': { 'gradient boosting': fmt(without.gbm), 'random forest': fmt(without.rf) },
  '+ name and type features': { 'gradient boosting': fmt(withFeatures.gbm), 'random forest': fmt(withFeatures.rf) },
});
const importance = gbm(rich.names)().fit(rich.X, y).featureImportance('gain');
const top = Array.from(importance, (v, i) => ({ name: rich.names[i] as string, v }))
  .sort((a, b) => b.v - a.v)
  .slice(0, 8);
const total = importance.reduce((a, b) => a + b, 0) || 1;
console.log(`most important (gain, gradient boosting with name/type features): ${top.map((t) => `${t.name} ${((100 * t.v) / total).toFixed(1)}%`).join(', ')}`);
console.log(
  JSON.stringify({
    example: 'pokemon-legendary',
    data: dataPath ?? 'built-in',
    rows: pokemon.length,
    legendary: nLegendary,
    auc_gbm: without.gbm.mean,
    auc_gbm_folds: without.gbm.scores,
    auc_rf: without.rf.mean,
    auc_gbm_name_type: withFeatures.gbm.mean,
    auc_gbm_name_type_folds: withFeatures.gbm.scores,
    auc_rf_name_type: withFeatures.rf.mean,
    features: { base: base.names, name_type: rich.names },
    top_features: top.map((t) => t.name),
    type_counts: typeCounts,
    files: { distributions, types: typesPng },
  }),
);
