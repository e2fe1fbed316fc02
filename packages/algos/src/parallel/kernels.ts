import { elkanAssign, lloydAssign, seedDistances } from '../cluster/kmeans-kernels.js';
import { gramRows, projectRows, transposeProductRows } from '../decomposition/pca-kernels.js';
import { knnRows } from '../manifold/knn-kernel.js';
import { tsneGradient } from '../manifold/tsne-kernel.js';

/** Every kernel the worker threads can run, by name (the worker imports this same table). */
export const kernels = {
  lloydAssign,
  elkanAssign,
  seedDistances,
  knnRows,
  gramRows,
  projectRows,
  transposeProductRows,
  tsneGradient,
};

export type KernelName = keyof typeof kernels;
export type KernelArgs<K extends KernelName> = Parameters<(typeof kernels)[K]>[0];
