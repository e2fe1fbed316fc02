/**
 * Stable partition of a node's rows order[begin..end) by one feature: a row goes left when
 * goesLeft[its bin] is 1 (a 256-byte table built from the split, so numeric thresholds, the missing
 * bin's default direction and categorical sets are one lookup). Left rows are written back to
 * order from `begin`, right rows to temp from `begin`; returns the left count. col: the feature's
 * bins, column-major (one byte per row). Branch-free: the side is unpredictable, a mispredicted
 * branch per row costs more than writing the row to both buffers.
 */
export function partition(col: usize, order: usize, begin: i32, end: i32, goesLeft: usize, temp: usize): i32 {
  let nl = <usize>begin;
  let nr = <usize>begin;
  for (let k = begin; k < end; k++) {
    const r = load<i32>(order + (<usize>k << 2));
    const left = <usize>load<u8>(goesLeft + <usize>load<u8>(col + <usize>r));
    store<i32>(order + (nl << 2), r);
    store<i32>(temp + (nr << 2), r);
    nl += left;
    nr += 1 - left;
  }
  return <i32>nl - begin;
}
