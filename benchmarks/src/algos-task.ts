/**
 * One benchmark task by one JavaScript implementation, in its own process so that its peak memory
 * is its own: `tsx algos-task.ts <impl> <task> <data-base> [outFile]` prints one JSON line with
 * seconds, peak RSS and the outputs' quality. Run by algos.bench.ts.
 */
import { writeFileSync } from 'node:fs';
import { KMeans, DBSCAN as OurDBSCAN, PCA, TSNE } from '@aiffel/algos';
import { loadData } from './algos-data.js';

const [impl = '', task = '', base = '', out] = process.argv.slice(2);
if (!impl || !task || !base) throw new Error('usage: algos-task.ts <impl> <task> <data-base> [outFile]');
const data = loadData(base);
const { x, rows, cols } = data;
const asRows = (): number[][] => Array.from({ length: rows }, (_, i) => Array.from(x.subarray(i * cols, (i + 1) * cols)));
const DBSCAN_EPS = 0.3;
const DBSCAN_MIN = 10;

async function run(): Promise<Record<string, unknown>> {
  const m = { data: x, rows, cols };
  if (impl === 'ours') {
    if (task === 'kmeans' || task === 'kmeans-elkan') {
      const t = performance.now();
      const km = await new KMeans({ nClusters: 10, nInit: 1, seed: 0, algorithm: task === 'kmeans' ? 'lloyd' : 'elkan' }).fit(m);
      return { seconds: (performance.now() - t) / 1000, inertia: km.inertia, n_iter: km.nIter, labels: km.labels };
    }
    if (task === 'pca') {
      const t = performance.now();
      const pca = await new PCA({ nComponents: 2 }).fit(m);
      pca.transform(m);
      return { seconds: (performance.now() - t) / 1000, explained_variance_ratio: Array.from(pca.explainedVarianceRatio ?? []), solver: pca.solverUsed };
    }
    if (task.startsWith('dbscan')) {
      const t = performance.now();
      const db = new OurDBSCAN({ eps: DBSCAN_EPS, minSamples: DBSCAN_MIN }).fit(m);
      return { seconds: (performance.now() - t) / 1000, n_clusters: db.nClusters, labels: db.labels };
    }
    if (task === 'tsne') {
      const t = performance.now();
      const ts = new TSNE({ seed: 0 });
      const y = await ts.fitTransform(m);
      return { seconds: (performance.now() - t) / 1000, kl_divergence: ts.klDivergence, embedding: y.data };
    }
  }
  if (impl === 'ml-kmeans' && task === 'kmeans') {
    const { kmeans } = await import('ml-kmeans');
    const d = asRows();
    const t = performance.now();
    const r = kmeans(d, 10, { initialization: 'kmeans++', seed: 0, maxIterations: 300 });
    const seconds = (performance.now() - t) / 1000;
    let inertia = 0;
    r.clusters.forEach((c, i) => {
      const row = d[i] as number[];
      const cen = r.centroids[c] as number[];
      for (let j = 0; j < cols; j++) inertia += ((row[j] as number) - (cen[j] as number)) ** 2;
    });
    return { seconds, inertia, n_iter: r.iterations, labels: Int32Array.from(r.clusters) };
  }
  if (impl === 'ml-pca' && task === 'pca') {
    const { PCA: MlPCA } = await import('ml-pca');
    const d = asRows();
    const t = performance.now();
    const p = new MlPCA(d, { method: 'covarianceMatrix' });
    p.predict(d, { nComponents: 2 });
    return { seconds: (performance.now() - t) / 1000, explained_variance_ratio: p.getExplainedVariance().slice(0, 2) };
  }
  if (impl === 'density-clustering' && task.startsWith('dbscan')) {
    const clustering = (await import('density-clustering')).default as unknown as {
      DBSCAN: new () => { run(d: number[][], eps: number, min: number): number[][] };
    };
    const d = asRows();
    const t = performance.now();
    const clusters = new clustering.DBSCAN().run(d, DBSCAN_EPS, DBSCAN_MIN);
    const seconds = (performance.now() - t) / 1000;
    const labels = new Int32Array(rows).fill(-1);
    clusters.forEach((c, k) => {
      for (const i of c) labels[i] = k;
    });
    return { seconds, n_clusters: clusters.length, labels };
  }
  if (impl === 'tsne-js' && task === 'tsne') {
    const TsneJs = (await import('tsne-js')).default as unknown as new (
      o: object,
    ) => { init(o: object): void; run(): [number, number]; getOutput(): number[][] };
    const t = performance.now();
    const model = new TsneJs({ dim: 2, perplexity: 30, earlyExaggeration: 12, learningRate: Math.max(rows / 48, 50), nIter: 1000, metric: 'euclidean' });
    model.init({ data: asRows(), type: 'dense' });
    const [error] = model.run();
    const y = Float64Array.from(model.getOutput().flat());
    return { seconds: (performance.now() - t) / 1000, kl_divergence: error, embedding: y };
  }
  throw new Error(`no task ${task} for ${impl}`);
}

const result = await run();
// Large outputs go to a file (labels, embeddings); the JSON line keeps the figures.
const { labels, embedding, ...figures } = result as { labels?: Int32Array; embedding?: Float64Array };
if (out && labels) writeFileSync(out, Buffer.from(labels.buffer));
if (out && embedding) writeFileSync(out, Buffer.from(Float32Array.from(embedding).buffer));
console.log(JSON.stringify({ ...figures, max_rss_mb: process.resourceUsage().maxRSS / 1024 }));
