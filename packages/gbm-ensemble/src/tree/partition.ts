/**
 * Stable partition of order[begin, end) by one feature's column-major bins: rows whose bin has
 * goesLeft[bin] = 1 first. Right rows go through `temp`. Returns the left count. The JavaScript
 * twin of assembly/partition.ts. Branch-free: which side a row takes is unpredictable, and a
 * mispredicted branch per row costs more than writing the row id to both buffers.
 */
export function partitionRows(
  col: Uint8Array,
  colOffset: number,
  order: Int32Array,
  begin: number,
  end: number,
  goesLeft: Uint8Array,
  temp: Int32Array,
): number {
  let nl = begin;
  let nr = 0;
  for (let k = begin; k < end; k++) {
    const r = order[k] as number;
    const left = goesLeft[col[colOffset + r] as number] as number;
    order[nl] = r;
    temp[nr] = r;
    nl += left;
    nr += 1 - left;
  }
  order.set(temp.subarray(0, nr), nl);
  return nl - begin;
}
