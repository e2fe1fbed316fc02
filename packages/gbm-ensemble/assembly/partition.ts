/**
 * Stable partition of a node's rows order[begin..end) by one feature: a row goes left when
 * goesLeft[its bin] is 1 (a 256-byte table built from the split, so numeric thresholds, the missing
 * bin's default direction and categorical sets are one lookup). Left rows are written to `left`
 * from `begin` (which may be order itself: writes never pass reads), right rows to `right` from
 * `begin`; returns the left count. col: the feature's bins, column-major (one byte per row).
 * Branch-free: the side is unpredictable, a mispredicted branch per row costs more than writing
 * the row to both buffers. Four rows per step, their loads first.
 */
export function partition(col: usize, order: usize, begin: i32, end: i32, goesLeft: usize, left: usize, right: usize): i32 {
  let nl = <usize>begin;
  let nr = <usize>begin;
  let k = begin;
  for (; k + 4 <= end; k += 4) {
    const at = order + (<usize>k << 2);
    const r0 = load<i32>(at);
    const r1 = load<i32>(at, 4);
    const r2 = load<i32>(at, 8);
    const r3 = load<i32>(at, 12);
    const l0 = <usize>load<u8>(goesLeft + <usize>load<u8>(col + <usize>r0));
    const l1 = <usize>load<u8>(goesLeft + <usize>load<u8>(col + <usize>r1));
    const l2 = <usize>load<u8>(goesLeft + <usize>load<u8>(col + <usize>r2));
    const l3 = <usize>load<u8>(goesLeft + <usize>load<u8>(col + <usize>r3));
    store<i32>(left + (nl << 2), r0);
    store<i32>(right + (nr << 2), r0);
    nl += l0;
    nr += 1 - l0;
    store<i32>(left + (nl << 2), r1);
    store<i32>(right + (nr << 2), r1);
    nl += l1;
    nr += 1 - l1;
    store<i32>(left + (nl << 2), r2);
    store<i32>(right + (nr << 2), r2);
    nl += l2;
    nr += 1 - l2;
    store<i32>(left + (nl << 2), r3);
    store<i32>(right + (nr << 2), r3);
    nl += l3;
    nr += 1 - l3;
  }
  for (; k < end; k++) {
    const r = load<i32>(order + (<usize>k << 2));
    const l = <usize>load<u8>(goesLeft + <usize>load<u8>(col + <usize>r));
    store<i32>(left + (nl << 2), r);
    store<i32>(right + (nr << 2), r);
    nl += l;
    nr += 1 - l;
  }
  return <i32>nl - begin;
}

/** Copies `count` i32 from src to dst (memmove): joining partition buffers without a JavaScript copy of a shared buffer onto itself. */
export function copyInts(dst: usize, src: usize, count: i32): void {
  memory.copy(dst, src, <usize>count << 2);
}
