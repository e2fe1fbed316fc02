import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { adjustedRandScore, DBSCAN, KMeans, PCA, silhouetteScore, TSNE, trustworthiness } from '@aiffel/algos';
import sharp from 'sharp';
import { parseUnsupervisedArgs } from './args.js';
import { kDistanceEps } from './eps-heuristic.js';
import { loadDataset } from './load-data.js';
import { scatterSvg } from './scatter-svg.js';
import { standardize } from './standardize.js';

/**
 * Clusters and projects a dataset with @aiffel/algos: PCA (and PCA-50 features for wide data),
 * k-means, Barnes-Hut t-SNE and DBSCAN on the t-SNE map; prints cluster metrics, writes scatter
 * plots (SVG and PNG) coloured by cluster and by true label; the last line is a JSON object.
 */
const here = dirname(fileURLToPath(import.meta.url));
const args = parseUnsupervisedArgs(process.argv.slice(2), join(here, '..', 'out'));
const t0 = performance.now();
let ds: ReturnType<typeof loadDataset>;
try {
  ds = loadDataset(args.data, args.label, args.columns, args.limit, args.seed);
} catch (e) {
  console.error(`unsupervised: --data: ${args.data}: ${(e as Error).message}`);
  process.exit(1);
}
const { rows: n, cols: d } = ds.x;
const nLabels = ds.labelNames?.length;
console.log(`data: ${ds.name}: ${n} rows x ${d} features${nLabels ? `, ${nLabels} true labels` : ''}`);
if (ds.features.length > 0 && ds.features.length <= 12) console.log(`features: ${ds.features.join(', ')}`);
if (args.data !== undefined && !ds.name.startsWith('MNIST')) standardize(ds.x);

// PCA: the first two components for the plot; up to 50 as clustering features for wide data.
const keep = Math.min(d, n, d > 50 ? 50 : d);
const pca = await new PCA({ nComponents: keep, seed: args.seed }).fit(ds.x);
const projected = pca.transform(ds.x);
const ratio = Array.from(pca.explainedVarianceRatio ?? []);
const pca2 = { data: new Float64Array(n * 2), rows: n };
for (let i = 0; i < n; i++) {
  pca2.data[2 * i] = projected.data[i * keep] as number;
  pca2.data[2 * i + 1] = keep > 1 ? (projected.data[i * keep + 1] as number) : 0;
}
const features = d > 50 ? projected : ds.x;
console.log(
  `PCA (${pca.solverUsed}): PC1 ${(100 * (ratio[0] ?? 0)).toFixed(1)}%, PC2 ${(100 * (ratio[1] ?? 0)).toFixed(1)}% of variance; ${keep} components keep ${(100 * ratio.reduce((s, r) => s + r, 0)).toFixed(1)}%`,
);

const k = args.k ?? nLabels ?? 5;
const km = await new KMeans({ nClusters: k, nInit: args.quick ? 2 : 5, seed: args.seed }).fit(features);
const kmLabels = km.labels as Int32Array;
const sampleSize = Math.min(n, 2000);
const silhouette = k > 1 ? silhouetteScore(features, kmLabels, { sampleSize, seed: args.seed }) : Number.NaN;
const kmAri = ds.labels ? adjustedRandScore(ds.labels, kmLabels) : undefined;
console.log(
  `k-means k=${k}: inertia ${km.inertia.toFixed(1)}, ${km.nIter} iterations, silhouette ${silhouette.toFixed(3)}${kmAri === undefined ? '' : `, ARI vs true labels ${kmAri.toFixed(3)}`}`,
);

const tty = process.stdout.isTTY;
const maxIter = args.quick ? 500 : 1000;
const tsne = new TSNE({
  perplexity: Math.min(30, Math.floor((n - 1) / 3)),
  maxIter,
  seed: args.seed,
  onProgress: (p) => {
    if (!tty) return;
    const w = 30;
    const done = Math.round((w * p.iteration) / p.maxIter);
    process.stdout.write(
      `\rt-SNE [${'#'.repeat(done)}${'.'.repeat(w - done)}] ${p.iteration}/${p.maxIter}${p.klDivergence === undefined ? '' : ` KL ${p.klDivergence.toFixed(3)}`}   `,
    );
  },
});
const emb = await tsne.fitTransform(features);
if (tty) process.stdout.write('\n');
const trust = trustworthiness(features, emb, { nNeighbors: 5 });
console.log(`t-SNE: KL ${tsne.klDivergence.toFixed(3)} after ${tsne.nIter} iterations, trustworthiness ${trust.toFixed(4)}`);

const eps = kDistanceEps({ data: emb.data, rows: n }, 10, 1.5);
const db = new DBSCAN({ eps, minSamples: 10 }).fit(emb);
const dbLabels = db.labels as Int32Array;
const noise = dbLabels.filter((l) => l === -1).length / n;
const dbAri = ds.labels ? adjustedRandScore(ds.labels, dbLabels) : undefined;
console.log(
  `DBSCAN on the t-SNE map (eps ${eps.toFixed(3)}, minSamples 10): ${db.nClusters} clusters, ${(100 * noise).toFixed(1)}% noise${dbAri === undefined ? '' : `, ARI vs true labels ${dbAri.toFixed(3)}`}`,
);

mkdirSync(args.out, { recursive: true });
const plots: [string, { data: ArrayLike<number>; rows: number }, ArrayLike<number>, string, string[] | undefined][] = [
  ['pca-kmeans', pca2, kmLabels, `PCA, coloured by k-means cluster (k=${k})`, undefined],
  ['tsne-kmeans', { data: emb.data, rows: n }, kmLabels, `t-SNE, coloured by k-means cluster (k=${k})`, undefined],
  ['tsne-dbscan', { data: emb.data, rows: n }, dbLabels, `t-SNE, coloured by DBSCAN cluster (${db.nClusters})`, undefined],
];
if (ds.labels) {
  plots.push(['pca-truth', pca2, ds.labels, 'PCA, coloured by true label', ds.labelNames]);
  plots.push(['tsne-truth', { data: emb.data, rows: n }, ds.labels, 't-SNE, coloured by true label', ds.labelNames]);
}
const written: string[] = [];
for (const [name, pts, labels, title, names] of plots) {
  const svg = scatterSvg(pts, labels, title, names);
  writeFileSync(join(args.out, `${name}.svg`), svg);
  await sharp(Buffer.from(svg))
    .png()
    .toFile(join(args.out, `${name}.png`));
  written.push(`${name}.svg`, `${name}.png`);
}
console.log(`plots: ${written.length} files in ${args.out}`);

const metrics = {
  example: 'unsupervised',
  data: ds.name,
  rows: n,
  features: d,
  pca_solver: pca.solverUsed,
  pca_ratio_pc1: ratio[0] ?? null,
  pca_ratio_pc2: ratio[1] ?? null,
  kmeans_k: k,
  kmeans_inertia: km.inertia,
  kmeans_silhouette: silhouette,
  kmeans_ari: kmAri ?? null,
  tsne_kl: tsne.klDivergence,
  tsne_trustworthiness: trust,
  dbscan_eps: eps,
  dbscan_clusters: db.nClusters,
  dbscan_noise_share: noise,
  dbscan_ari: dbAri ?? null,
  seconds: (performance.now() - t0) / 1000,
  out: args.out,
};
console.log(JSON.stringify(metrics));
