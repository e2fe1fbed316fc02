/**
 * A DBSCAN radius from the k-distance heuristic (Ester et al. 1996): the median over a sample of
 * points of the distance to their k-th nearest neighbour, times `factor`. Brute force over 2-d
 * embeddings, so cheap for a sample of a few hundred points.
 */
export function kDistanceEps(points: { data: ArrayLike<number>; rows: number }, k: number, factor: number, sample = 500): number {
  const n = points.rows;
  const step = Math.max(1, Math.floor(n / sample));
  const kth: number[] = [];
  const dist = new Float64Array(n);
  for (let i = 0; i < n; i += step) {
    const x = points.data[2 * i] as number;
    const y = points.data[2 * i + 1] as number;
    for (let j = 0; j < n; j++) dist[j] = Math.hypot((points.data[2 * j] as number) - x, (points.data[2 * j + 1] as number) - y);
    kth.push(Array.from(dist).sort((a, b) => a - b)[Math.min(k, n - 1)] as number);
  }
  kth.sort((a, b) => a - b);
  return (kth[Math.floor(kth.length / 2)] as number) * factor;
}
