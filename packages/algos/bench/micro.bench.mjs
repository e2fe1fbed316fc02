// The package's own micro-benchmark: what the WebAssembly SIMD kernel and the second thread buy,
// on the built package (`npm run build` first). Usage: npm run bench -w @aiffel/algos
import { KMeans, PCA, Rng, useSimd } from '../dist/index.js';

const rng = new Rng(1);
const n = 50_000;
const d = 128;
const x = { data: Float32Array.from({ length: n * d }, () => rng.normal()), rows: n, cols: d };

async function seconds(fn) {
  await fn(); // warm-up: workers started, code optimised
  const t = performance.now();
  await fn();
  return (performance.now() - t) / 1000;
}

const rows = [];
for (const threads of [1, 2]) {
  for (const simd of [false, true]) {
    useSimd(simd);
    const km = await seconds(() => new KMeans({ nClusters: 16, nInit: 1, maxIter: 10, tol: 0, threads }).fit(x));
    const pca = await seconds(() => new PCA({ nComponents: 2, solver: 'covariance', threads }).fit(x));
    rows.push({ threads, simd, kmeans_10_iter_s: +km.toFixed(3), pca_covariance_s: +pca.toFixed(3) });
  }
}
useSimd(true);
console.table(rows);
console.log(JSON.stringify({ bench: 'algos-micro', rows: n, cols: d, results: rows }));
