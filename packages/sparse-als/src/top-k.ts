/**
 * The n highest scores among candidates (all indices, or the given list) that `skip` does not
 * exclude, best first; ties go to the lower index. A bounded min-heap: O(m log n). Because
 * excluded candidates are skipped before they enter the heap, the result has exactly n entries
 * whenever at least n candidates remain.
 */
export function topK(
  scores: ArrayLike<number>,
  n: number,
  skip: (i: number) => boolean,
  candidates?: ArrayLike<number>,
): { indices: Int32Array; scores: Float64Array } {
  const hi = new Int32Array(n);
  const hs = new Float64Array(n);
  let size = 0;
  // Heap order: the worst kept entry (lowest score, then highest index) on top.
  const worse = (s1: number, i1: number, s2: number, i2: number): boolean => s1 < s2 || (s1 === s2 && i1 > i2);
  const m = candidates ? candidates.length : scores.length;
  for (let t = 0; t < m; t++) {
    const i = candidates ? (candidates[t] as number) : t;
    if (skip(i)) continue;
    const s = scores[i] as number;
    if (size < n) {
      let k = size++;
      while (k > 0) {
        const p = (k - 1) >> 1;
        if (!worse(s, i, hs[p] as number, hi[p] as number)) break;
        hs[k] = hs[p] as number;
        hi[k] = hi[p] as number;
        k = p;
      }
      hs[k] = s;
      hi[k] = i;
    } else if (n > 0 && worse(hs[0] as number, hi[0] as number, s, i)) {
      let k = 0;
      for (;;) {
        let c = 2 * k + 1;
        if (c >= size) break;
        if (c + 1 < size && worse(hs[c + 1] as number, hi[c + 1] as number, hs[c] as number, hi[c] as number)) c++;
        if (!worse(hs[c] as number, hi[c] as number, s, i)) break;
        hs[k] = hs[c] as number;
        hi[k] = hi[c] as number;
        k = c;
      }
      hs[k] = s;
      hi[k] = i;
    }
  }
  const order = Array.from({ length: size }, (_, k) => k).sort((a, b) => (hs[b] as number) - (hs[a] as number) || (hi[a] as number) - (hi[b] as number));
  return { indices: Int32Array.from(order, (k) => hi[k] as number), scores: Float64Array.from(order, (k) => hs[k] as number) };
}
