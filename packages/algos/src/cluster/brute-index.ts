import type { NeighborIndex } from './neighbor-index.js';

/** No index: every query scans all points. For arbitrary metric functions; O(n) memory, O(n^2) time. */
export class BruteIndex implements NeighborIndex {
  constructor(
    private readonly n: number,
    private readonly dist: (i: number, j: number) => number,
    private readonly eps: number,
  ) {}

  forEachNeighbor(i: number, visit: (j: number) => void): void {
    for (let j = 0; j < this.n; j++) if (this.dist(i, j) <= this.eps) visit(j);
  }

  countNeighbors(i: number, limit: number): number {
    let count = 0;
    for (let j = 0; j < this.n; j++) if (this.dist(i, j) <= this.eps && ++count >= limit) return count;
    return count;
  }
}
