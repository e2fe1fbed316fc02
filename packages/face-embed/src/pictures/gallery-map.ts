import { PCA, TSNE } from '@aiffel/algos';
import { assertKnownOptions, rangeError } from '@aiffel/runtime';
import sharp from 'sharp';
import type { FaceGallery } from '../gallery/face-gallery.js';
import { escapeXml, paletteColour } from './svg-text.js';

export interface GalleryMapOptions {
  /** 'pca' (default) or 'tsne' (Barnes-Hut t-SNE from @aiffel/algos; needs more than 3 entries). */
  method?: 'pca' | 'tsne';
  /** t-SNE perplexity. Default min(30, (size - 1) / 3). */
  perplexity?: number;
  /** Picture side in pixels. Default 800. */
  size?: number;
  /** Write each entry's name next to its point. Default true when there are at most 200 entries. */
  labels?: boolean;
  seed?: number;
}

/** 2-D coordinates of every gallery entry (PCA or t-SNE of the descriptors). */
export async function galleryCoordinates(gallery: FaceGallery, options: Pick<GalleryMapOptions, 'method' | 'perplexity' | 'seed'> = {}): Promise<Float64Array> {
  const n = gallery.size;
  if (n < 3) throw rangeError('gallery.size', 'at least 3 entries for a map', n);
  const data = new Float64Array(n * gallery.dim);
  for (let i = 0; i < n; i++) data.set(gallery.descriptorAt(i), i * gallery.dim);
  const x = { data, rows: n, cols: gallery.dim };
  const method = options.method ?? 'pca';
  if (method === 'pca') return (await new PCA({ nComponents: 2, seed: options.seed ?? 0 }).fitTransform(x)).data;
  if (method !== 'tsne') throw rangeError('options.method', "'pca' or 'tsne'", method);
  const perplexity = options.perplexity ?? Math.max(1, Math.min(30, (n - 1) / 3));
  return (await new TSNE({ nComponents: 2, perplexity, seed: options.seed ?? 0, method: n < 200 ? 'exact' : 'barnes_hut' }).fitTransform(x)).data;
}

/** The gallery as an SVG scatter plot, one colour per name. */
export async function galleryMapSvg(gallery: FaceGallery, options: GalleryMapOptions = {}): Promise<string> {
  assertKnownOptions('galleryMap options', options, ['method', 'perplexity', 'size', 'labels', 'seed']);
  const size = options.size ?? 800;
  if (!Number.isInteger(size) || size < 100 || size > 8000) throw rangeError('options.size', 'an integer in 100..8000', size);
  const xy = await galleryCoordinates(gallery, options);
  const n = gallery.size;
  let x0 = Infinity;
  let x1 = -Infinity;
  let y0 = Infinity;
  let y1 = -Infinity;
  for (let i = 0; i < n; i++) {
    x0 = Math.min(x0, xy[2 * i] as number);
    x1 = Math.max(x1, xy[2 * i] as number);
    y0 = Math.min(y0, xy[2 * i + 1] as number);
    y1 = Math.max(y1, xy[2 * i + 1] as number);
  }
  const m = 60;
  const sx = (v: number) => m + ((v - x0) / (x1 - x0 || 1)) * (size - 2 * m);
  const sy = (v: number) => size - m - ((v - y0) / (y1 - y0 || 1)) * (size - 2 * m);
  const names = gallery.names();
  const colour = new Map<string, string>();
  for (const name of names) if (!colour.has(name)) colour.set(name, paletteColour(colour.size));
  const labels = options.labels ?? n <= 200;
  const title = `${options.method === 'tsne' ? 't-SNE' : 'PCA'} of ${n} face descriptors`;
  const body = names
    .map((name, i) => {
      const cx = sx(xy[2 * i] as number).toFixed(1);
      const cy = sy(xy[2 * i + 1] as number).toFixed(1);
      const dot = `<circle cx="${cx}" cy="${cy}" r="5" fill="${colour.get(name)}"/>`;
      return labels
        ? `${dot}<text x="${cx}" y="${Number(cy) - 8}" font-size="11" text-anchor="middle" font-family="sans-serif" fill="#333">${escapeXml(name)}</text>`
        : dot;
    })
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}"><rect width="100%" height="100%" fill="#fff"/><text x="${size / 2}" y="28" font-size="16" text-anchor="middle" font-family="sans-serif">${escapeXml(title)}</text>${body}</svg>`;
}

/** The same map rendered to PNG. */
export async function galleryMapPng(gallery: FaceGallery, options: GalleryMapOptions = {}): Promise<Buffer> {
  return sharp(Buffer.from(await galleryMapSvg(gallery, options)))
    .png()
    .toBuffer();
}
