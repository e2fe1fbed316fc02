import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { adjustedRandScore, DBSCAN, KMeans, PCA, silhouetteScore, TSNE, trustworthiness } from '../src/index.js';

const DATA = new URL('../../../../shared/data/', import.meta.url);
const mnist = new URL('mnist/t10k-images-idx3-ubyte.gz', DATA);
const pokemon = new URL('pokemon/Pokemon.csv', DATA);
const haveMnist = existsSync(mnist);
const havePokemon = existsSync(pokemon);
if (!haveMnist || !havePokemon) console.warn('skipping real-data tests: ../shared/data (mnist, pokemon) not found');

/** The first n MNIST test images scaled to [0, 1], and their labels. */
function loadMnist(n: number) {
  const images = gunzipSync(readFileSync(mnist));
  const labels = gunzipSync(readFileSync(new URL('mnist/t10k-labels-idx1-ubyte.gz', DATA)));
  const data = new Float32Array(n * 784);
  for (let i = 0; i < n * 784; i++) data[i] = (images[16 + i] as number) / 255;
  return { x: { data, rows: n, cols: 784 }, y: Int32Array.from(labels.subarray(8, 8 + n)) };
}

describe.skipIf(!haveMnist)('MNIST digits', () => {
  it('PCA keeps most variance in few components and k-means finds digit structure', async () => {
    const { x, y } = loadMnist(3000);
    const pca = await new PCA({ nComponents: 0.8 }).fit(x);
    expect(pca.components?.rows).toBeGreaterThan(30);
    expect(pca.components?.rows).toBeLessThan(200);
    const z = (await new PCA({ nComponents: 50 }).fit(x)).transform(x);
    const km = await new KMeans({ nClusters: 10, nInit: 3, seed: 0 }).fit(z);
    expect(adjustedRandScore(y, km.labels as Int32Array)).toBeGreaterThan(0.3);
  });

  it('t-SNE on PCA-50 gives a trustworthy map where digit classes separate (silhouette by true label)', async () => {
    const { x, y } = loadMnist(1500);
    const pca = await new PCA({ nComponents: 50 }).fit(x);
    const z = pca.transform(x);
    const emb = await new TSNE({ seed: 0 }).fitTransform(z);
    expect(trustworthiness(z, emb, { nNeighbors: 10 })).toBeGreaterThan(0.9);
    // Digit classes separate on the t-SNE map far better than on the first two principal components.
    const pca2 = { data: Float64Array.from({ length: 1500 * 2 }, (_, t) => z.data[Math.floor(t / 2) * 50 + (t % 2)] as number), rows: 1500, cols: 2 };
    const onMap = silhouetteScore(emb, y);
    expect(onMap).toBeGreaterThan(0.15);
    expect(onMap).toBeGreaterThan(silhouetteScore(pca2, y) + 0.1);
  });
});

describe.skipIf(!havePokemon)('Pokemon base stats', () => {
  it('clusters the six standardised stats; legendaries sit in the strong cluster', async () => {
    const lines = readFileSync(pokemon, 'utf8').trim().split(/\r?\n/);
    const header = (lines[0] as string).split(',');
    const cols = ['HP', 'Attack', 'Defense', 'Sp. Atk', 'Sp. Def', 'Speed'].map((c) => header.indexOf(c));
    const legendary = header.indexOf('Legendary');
    const rows = lines.slice(1).map((l) => l.split(','));
    expect(rows.length).toBe(800);
    const x = rows.map((r) => cols.map((c) => Number(r[c])));
    const mean = cols.map((_, j) => x.reduce((s, r) => s + (r[j] as number), 0) / x.length);
    const sd = cols.map((_, j) => Math.sqrt(x.reduce((s, r) => s + ((r[j] as number) - (mean[j] as number)) ** 2, 0) / x.length));
    const z = x.map((r) => r.map((v, j) => (v - (mean[j] as number)) / (sd[j] as number)));
    const km = await new KMeans({ nClusters: 3, nInit: 5, seed: 1 }).fit(z);
    const labels = km.labels as Int32Array;
    const total = (i: number) => (x[i] as number[]).reduce((s, v) => s + v, 0);
    const strength = [0, 1, 2].map((k) => {
      const idx = [...labels.keys()].filter((i) => labels[i] === k);
      return idx.reduce((s, i) => s + total(i), 0) / idx.length;
    });
    const strong = strength.indexOf(Math.max(...strength));
    const legends = rows.map((r, i) => (r[legendary] === 'True' ? i : -1)).filter((i) => i >= 0);
    expect(legends.length).toBe(65);
    expect(legends.filter((i) => labels[i] === strong).length / legends.length).toBeGreaterThan(0.7);
    const db = new DBSCAN({ eps: 1, minSamples: 8 }).fit(z);
    expect(db.nClusters).toBeGreaterThanOrEqual(1);
    expect((db.labels as Int32Array).filter((l) => l === -1).length).toBeGreaterThan(0);
  });
});
