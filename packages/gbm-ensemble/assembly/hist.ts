// Gradient-histogram kernel for @aiffel/gbm-ensemble, compiled to WebAssembly by `npm run build`
// (AssemblyScript, 128-bit SIMD, imported shared memory so every worker thread runs it over the
// same bins, rows and gradients). Same layout and the same order of additions as
// src/tree/histogram.ts, so both give bit-identical histograms.

/**
 * Rows order[begin..end) of features [f0, f1) added into `hist` (f64 pairs: gradient, hessian;
 * feature f and bin b at ((f << 8) | b) * 16 bytes). bins: row-major u8, rows x cols, readable 16
 * bytes past its end; gh: each row's gradient and hessian as two f32 (see interleave); scratch:
 * this thread's block * (16 + the width rounded up to 16) bytes.
 */
export function hist1(bins: usize, cols: i32, f0: i32, f1: i32, order: usize, begin: i32, end: i32, gh: usize, hist: usize, scratch: usize, block: i32): void {
  if (end <= begin) return;
  const width = f1 - f0;
  const first = hist + (<usize>f0 << 12);
  const at = bins + <usize>f0;
  // Rows come in ascending order. When they cover a third or more of their span the hardware
  // prefetcher streams them. Deep nodes' rows are scattered: a cache miss per row, and the
  // accumulation loop is too long for the CPU to overlap more than a couple of misses; a short
  // gather loop over a block of rows overlaps dozens, then the block is summed from cache.
  const span = load<i32>(order + (<usize>(end - 1) << 2)) - load<i32>(order + (<usize>begin << 2)) + 1;
  if ((end - begin) * 3 >= span) {
    for (let k = begin; k < end; k++) {
      const r = <usize>load<i32>(order + (<usize>k << 2));
      addRow(at + r * <usize>cols, width, first, pair(gh, r));
    }
    return;
  }
  const chunks = (width + 15) >> 4;
  const stride = <usize>(chunks << 4);
  const rowsAt = scratch + (<usize>block << 4);
  for (let k0 = begin; k0 < end; k0 += block) {
    const n = min(block, end - k0);
    for (let j = 0; j < n; j++) {
      const r = <usize>load<i32>(order + (<usize>(k0 + j) << 2));
      v128.store(scratch + (<usize>j << 4), pair(gh, r));
      const src = at + r * <usize>cols;
      const dst = rowsAt + <usize>j * stride;
      for (let c = 0; c < chunks; c++) v128.store(dst + (<usize>c << 4), v128.load(src + (<usize>c << 4)));
    }
    for (let j = 0; j < n; j++) addRow(rowsAt + <usize>j * stride, width, first, v128.load(scratch + (<usize>j << 4)));
  }
}

/** Row r's (gradient, hessian) as f64x2: a cell's update is then one 16-byte load, add and store. */
// @ts-ignore: decorator
@inline
function pair(gh: usize, r: usize): v128 {
  return f64x2.promote_low_f32x4(v128.load64_zero(gh + (r << 3)));
}

/**
 * gh[2r] = grad[r], gh[2r + 1] = hess[r] for rows [begin, end). The histogram reads a row's
 * gradient and hessian from one place: deep nodes' rows are scattered, and two arrays cost two
 * cache misses per row where one would do.
 */
export function interleave(grad: usize, hess: usize, gh: usize, begin: i32, end: i32): void {
  let r = begin;
  for (; r + 4 <= end; r += 4) {
    const at = <usize>r;
    const g = v128.load(grad + (at << 2));
    const h = v128.load(hess + (at << 2));
    v128.store(gh + (at << 3), i32x4.shuffle(g, h, 0, 4, 1, 5));
    v128.store(gh + (at << 3) + 16, i32x4.shuffle(g, h, 2, 6, 3, 7));
  }
  for (; r < end; r++) {
    const at = <usize>r;
    store<f32>(gh + (at << 3), load<f32>(grad + (at << 2)));
    store<f32>(gh + (at << 3) + 4, load<f32>(hess + (at << 2)));
  }
}

/** Adds gh into the bin of each of `width` features whose bins start at `row`; four bins per 32-bit load, in feature order. */
// @ts-ignore: decorator
@inline
function addRow(row: usize, width: i32, first: usize, gh: v128): void {
  const w4 = width & ~3;
  let f = 0;
  for (; f < w4; f += 4) {
    const q = load<u32>(row + <usize>f);
    const base = first + (<usize>f << 12);
    const o0 = base + (<usize>(q & 0xff) << 4);
    const o1 = base + 4096 + (<usize>((q >>> 8) & 0xff) << 4);
    const o2 = base + 8192 + (<usize>((q >>> 16) & 0xff) << 4);
    const o3 = base + 12288 + (<usize>(q >>> 24) << 4);
    v128.store(o0, f64x2.add(v128.load(o0), gh));
    v128.store(o1, f64x2.add(v128.load(o1), gh));
    v128.store(o2, f64x2.add(v128.load(o2), gh));
    v128.store(o3, f64x2.add(v128.load(o3), gh));
  }
  for (; f < width; f++) {
    const o = first + (<usize>((f << 8) | load<u8>(row + <usize>f)) << 4);
    v128.store(o, f64x2.add(v128.load(o), gh));
  }
}

/**
 * dest[i] += the same double of chunk slots 1 .. m - 1, for doubles [from, to) (from even), added
 * in slot order as src/parallel/kernel.ts' addChunks does. Slot c starts at first + c * slotBytes.
 */
export function addChunks(dest: usize, first: usize, slotBytes: usize, m: i32, from: i32, to: i32): void {
  let i = <usize>from << 3;
  const stop = <usize>to << 3;
  for (; i + 16 <= stop; i += 16) {
    let acc = v128.load(dest + i);
    for (let c = 1; c < m; c++) acc = f64x2.add(acc, v128.load(first + <usize>c * slotBytes + i));
    v128.store(dest + i, acc);
  }
  for (; i < stop; i += 8) {
    let acc = load<f64>(dest + i);
    for (let c = 1; c < m; c++) acc += load<f64>(first + <usize>c * slotBytes + i);
    store<f64>(dest + i, acc);
  }
}
