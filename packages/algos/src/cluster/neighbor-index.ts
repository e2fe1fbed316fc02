/** Radius queries over a fixed point set: the only thing DBSCAN needs from an index. */
export interface NeighborIndex {
  /** Calls `visit(j)` for every point j (including i itself) within eps of point i. */
  forEachNeighbor(i: number, visit: (j: number) => void): void;
  /** Number of points within eps of point i, counting stops once `limit` is reached. */
  countNeighbors(i: number, limit: number): number;
}

/** Distance between rows i and j of a row-major array, for the metrics indexes understand. */
export type PairDistance = (i: number, j: number) => number;
