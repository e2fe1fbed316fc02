/**
 * Which Pokemon are legendary? (Pokemon.csv, 800 rows, 65 legendary)
 *   npm run example -- pokemon-legendary [--data ../shared/data/pokemon/Pokemon.csv] [--quick]
 * Prints an EDA summary (class balance, per-stat means by class, Spearman correlation of the
 * stats with the label), then a GradientBoostingClassifier under 5-fold stratified CV with ROC
 * AUC per fold, and a random forest for comparison. Ends with one JSON line of metrics.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { correlationMatrix, crossValScore, GradientBoostingClassifier, parseCsv, RandomForestClassifier, StratifiedKFold } from '@aiffel/gbm-ensemble';

const USAGE = 'usage: npm run example -- pokemon-legendary [--data Pokemon.csv] [--quick]';
let args: { data?: string; quick?: boolean };
try {
  args = parseArgs({ strict: true, options: { data: { type: 'string' }, quick: { type: 'boolean' } } }).values;
} catch (e) {
  console.error(`pokemon-legendary: ${(e as Error).message}\n${USAGE}`);
  process.exit(2);
}
const dataPath = args.data;
const quick = args.quick === true;
if (dataPath !== undefined && !(existsSync(dataPath) && statSync(dataPath).isFile())) {
  console.error(`pokemon-legendary: --data: ${dataPath} is not a file (expected Pokemon.csv)`);
  process.exit(1);
}
const STATS = ['Total', 'HP', 'Attack', 'Defense', 'Sp. Atk', 'Sp. Def', 'Speed', 'Generation'];

function builtIn(n: number): { header: string[]; rows: string[][] } {
  // Same columns as Pokemon.csv: legendary ones have high totals, as in the games.
  let s = 3;
  const r = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
  const types = ['Water', 'Fire', 'Grass', 'Psychic', 'Dragon', 'Normal'];
  const rows = Array.from({ length: n }, (_, i) => {
    const legendary = r() < 0.08;
    const base = legendary ? 95 + r() * 30 : 45 + r() * 45;
    const st = Array.from({ length: 6 }, () => Math.round(base * (0.7 + r() * 0.6)));
    const t1 = types[Math.floor(r() * types.length)] as string;
    return [
      String(i + 1),
      `Mon${i}`,
      legendary && r() < 0.5 ? 'Psychic' : t1,
      '',
      String(st.reduce((a, b) => a + b, 0)),
      ...st.map(String),
      String(1 + Math.floor(r() * 6)),
      legendary ? 'True' : 'False',
    ];
  });
  return { header: ['#', 'Name', 'Type 1', 'Type 2', ...STATS.slice(0, 7), 'Generation', 'Legendary'], rows };
}

let table: { header: string[]; rows: string[][] };
try {
  table = dataPath ? parseCsv(readFileSync(dataPath, 'utf8')) : builtIn(800);
} catch (e) {
  console.error(`pokemon-legendary: --data: ${dataPath}: ${(e as Error).message}`);
  process.exit(1);
}
const { header, rows } = table;
const col = (name: string): number => {
  const i = header.indexOf(name);
  if (i < 0) throw new Error(`no column "${name}" in ${dataPath ?? 'built-in data'}`);
  return i;
};
const types = [...new Set(rows.map((r) => r[col('Type 1')] as string))].sort();
const X = rows.map((r) => [...STATS.map((n) => Number(r[col(n)])), types.indexOf(r[col('Type 1')] as string)]);
const y = rows.map((r) => (r[col('Legendary')] === 'True' ? 1 : 0));
console.log(`${rows.length} Pokemon from ${dataPath ?? 'built-in data (pass --data Pokemon.csv for the real set)'}; ${y.filter((v) => v).length} legendary`);
const corr = correlationMatrix({ columns: [...STATS.map((_, j) => Float64Array.from(X, (row) => row[j] as number)), Float64Array.from(y)] }, 'spearman');
console.table(
  STATS.map((name, j) => {
    const mean = (cls: number): number => {
      const v = X.filter((_, i) => y[i] === cls).map((row) => row[j] as number);
      return Number((v.reduce((a, b) => a + b, 0) / v.length).toFixed(1));
    };
    return {
      stat: name,
      mean_legendary: mean(1),
      mean_other: mean(0),
      spearman_with_label: Number(((corr[j] as number[])[STATS.length] as number).toFixed(3)),
    };
  }),
);
const cv = new StratifiedKFold({ nSplits: 5, shuffle: true, seed: 1 });
const features = [...STATS, 'Type 1'];
const gbm = crossValScore(
  () =>
    new GradientBoostingClassifier({
      nEstimators: quick ? 80 : 200,
      learningRate: 0.05,
      numLeaves: 8,
      minChildSamples: 5,
      categoricalFeatures: [features.length - 1],
    }),
  X,
  y,
  { cv, scoring: 'auc' },
);
const rf = crossValScore(() => new RandomForestClassifier({ nEstimators: quick ? 50 : 200, seed: 1 }), X, y, { cv, scoring: 'auc' });
console.log(
  `ROC AUC, 5-fold stratified CV: gradient boosting ${gbm.mean.toFixed(4)} ± ${gbm.std.toFixed(4)}, random forest ${rf.mean.toFixed(4)} ± ${rf.std.toFixed(4)}`,
);
console.log(
  JSON.stringify({
    example: 'pokemon-legendary',
    data: dataPath ?? 'built-in',
    rows: rows.length,
    legendary: y.filter((v) => v).length,
    auc_gbm: gbm.mean,
    auc_gbm_folds: gbm.scores,
    auc_rf: rf.mean,
  }),
);
