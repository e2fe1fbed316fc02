// Pixel kernels for @aiffel/segment-blur, compiled to WebAssembly with 128-bit SIMD by
// `npm run build` (AssemblyScript). Four-channel float images hold one pixel per v128 (the
// mask-weighted blur's R*w, G*w, B*w, w), so a whole pixel moves through the running sums in one
// instruction. src/filters/wasm-pixels.ts lays the buffers out in linear memory and keeps the
// plain TypeScript filters as the reference these are tested against.

/**
 * Horizontal box sums of radius r over rows of c floats per pixel (not yet divided by the
 * window size). `col` holds, for each window position -r .. width + r, the reflected source
 * column times c (int32), so borders cost no branches.
 */
export function boxRows(src: usize, dst: usize, width: i32, height: i32, c: i32, r: i32, col: usize): void {
  if (c == 4) {
    boxRows4(src, dst, width, height, r, col);
    return;
  }
  const rowBytes = (<usize>width * <usize>c) << 2;
  const win = 2 * r + 1;
  for (let y = 0; y < height; y++) {
    const s = src + <usize>y * rowBytes;
    const d = dst + <usize>y * rowBytes;
    for (let k = 0; k < c; k++) {
      const sk = s + ((<usize>k) << 2);
      let acc: f32 = 0;
      for (let i = 0; i < win; i++) acc += load<f32>(sk + ((<usize>load<i32>(col + ((<usize>i) << 2))) << 2));
      for (let x = 0; x < width; x++) {
        store<f32>(d + ((<usize>(x * c + k)) << 2), acc);
        const add = load<i32>(col + ((<usize>(x + win)) << 2));
        const sub = load<i32>(col + ((<usize>x) << 2));
        acc = acc + load<f32>(sk + ((<usize>add) << 2)) - load<f32>(sk + ((<usize>sub) << 2));
      }
    }
  }
}

function boxRows4(src: usize, dst: usize, width: i32, height: i32, r: i32, col: usize): void {
  const rowBytes = (<usize>width) << 4;
  const win = 2 * r + 1;
  // Interior positions read their neighbours directly; only the edges go through the table.
  const lo = min(width, r);
  const hi = max(lo, width - r - 1);
  for (let y = 0; y < height; y++) {
    const s = src + <usize>y * rowBytes;
    const d = dst + <usize>y * rowBytes;
    let acc = f32x4.splat(0);
    for (let i = 0; i < win; i++) acc = f32x4.add(acc, v128.load(s + ((<usize>load<i32>(col + ((<usize>i) << 2))) << 2)));
    for (let x = 0; x < lo; x++) {
      v128.store(d + ((<usize>x) << 4), acc);
      acc = step4(acc, s, col, x, win);
    }
    const ahead = (<usize>(r + 1)) << 4;
    const behind = (<usize>r) << 4;
    for (let p = s + ((<usize>lo) << 4), q = d + ((<usize>lo) << 4), e = d + ((<usize>hi) << 4); q < e; p += 16, q += 16) {
      v128.store(q, acc);
      acc = f32x4.add(acc, f32x4.sub(v128.load(p + ahead), v128.load(p - behind)));
    }
    for (let x = hi; x < width; x++) {
      v128.store(d + ((<usize>x) << 4), acc);
      acc = step4(acc, s, col, x, win);
    }
  }
}

// @ts-ignore: decorator
@inline
function step4(acc: v128, s: usize, col: usize, x: i32, win: i32): v128 {
  const a = v128.load(s + ((<usize>load<i32>(col + ((<usize>(x + win)) << 2))) << 2));
  const b = v128.load(s + ((<usize>load<i32>(col + ((<usize>x) << 2))) << 2));
  return f32x4.add(acc, f32x4.sub(a, b));
}

/**
 * Vertical box mean of radius r: dst row y = scale * sum of src rows y-r .. y+r, where `rows`
 * holds the reflected source row of each window position -r .. height + r (int32). The running
 * sum per column (acc: rowLen f32 of scratch, cache-resident) streams whole rows.
 */
export function boxColumns(src: usize, dst: usize, rowLen: i32, height: i32, r: i32, scale: f32, rows: usize, acc: usize): void {
  const rowBytes = (<usize>rowLen) << 2;
  const vecBytes = (<usize>(rowLen & ~3)) << 2;
  memory.fill(acc, 0, rowBytes);
  for (let i = 0; i <= 2 * r; i++) {
    const p = src + <usize>load<i32>(rows + ((<usize>i) << 2)) * rowBytes;
    for (let k: usize = 0; k < vecBytes; k += 16) v128.store(acc + k, f32x4.add(v128.load(acc + k), v128.load(p + k)));
    for (let k = vecBytes; k < rowBytes; k += 4) store<f32>(acc + k, load<f32>(acc + k) + load<f32>(p + k));
  }
  const sc = f32x4.splat(scale);
  for (let y = 0; y < height; y++) {
    const d = dst + <usize>y * rowBytes;
    if (y + 1 == height) {
      for (let k: usize = 0; k < vecBytes; k += 16) v128.store(d + k, f32x4.mul(v128.load(acc + k), sc));
      for (let k = vecBytes; k < rowBytes; k += 4) store<f32>(d + k, load<f32>(acc + k) * scale);
      break;
    }
    const add = src + <usize>load<i32>(rows + ((<usize>(y + 2 * r + 1)) << 2)) * rowBytes;
    const sub = src + <usize>load<i32>(rows + ((<usize>y) << 2)) * rowBytes;
    // Write this row and slide the window in the same sweep: one pass over acc per row.
    for (let k: usize = 0; k < vecBytes; k += 16) {
      const a = v128.load(acc + k);
      v128.store(d + k, f32x4.mul(a, sc));
      v128.store(acc + k, f32x4.sub(f32x4.add(a, v128.load(add + k)), v128.load(sub + k)));
    }
    for (let k = vecBytes; k < rowBytes; k += 4) {
      const a = load<f32>(acc + k);
      store<f32>(d + k, a * scale);
      store<f32>(acc + k, a + load<f32>(add + k) - load<f32>(sub + k));
    }
  }
}

/**
 * A whole box blur of a 4-channel image in one sweep, for output rows y0 .. y1: each new row's
 * horizontal sums go into a ring of 2r+1 rows (`ring`, cache-resident) and update the running
 * column sums (`acc`, one row) at once, so the image is read once and written once instead of
 * going through a full-size intermediate. `col` as in boxRows (times 4), `rows` as in
 * boxColumns. Bands with their own ring, acc and row buffers can run on different threads.
 *
 * Input: the 4-channel image at `src`, or, when `inRgb` is not 0, rows packed on the fly from
 * RGB bytes and a mask (as packWeighted; `inMask` 0 for weight 1) into the row buffer `rowIn`.
 * Output: rows of `dst` (which must not be src), or, when `outBytes` is not 0, each row is
 * blurred into the row buffer `dst` and composited at once (as composite, with `cRgb`, `cMask`,
 * `level`) into RGB bytes. Fusing the first and last steps keeps the full-size float image out
 * of memory entirely for a box blur.
 */
export function boxBlur4(
  src: usize, dst: usize, width: i32, rx: i32, ry: i32, scale: f32, col: usize, rows: usize, ring: usize, acc: usize, y0: i32, y1: i32,
  inRgb: usize, inMask: usize, rowIn: usize, outBytes: usize, cRgb: usize, cMask: usize, level: f32,
): void {
  const rowBytes = (<usize>width) << 4;
  const win = 2 * ry + 1;
  memory.fill(acc, 0, rowBytes);
  for (let i = y0; i < y0 + 2 * ry; i++) {
    const h = ring + <usize>(i % win) * rowBytes;
    rowSums(src, width, rx, col, load<i32>(rows + ((<usize>i) << 2)), h, inRgb, inMask, rowIn);
    for (let k: usize = 0; k < rowBytes; k += 16) v128.store(acc + k, f32x4.add(v128.load(acc + k), v128.load(h + k)));
  }
  const sc = f32x4.splat(scale);
  for (let y = y0; y < y1; y++) {
    const i = y + 2 * ry;
    const h = ring + <usize>(i % win) * rowBytes;
    const old = ring + <usize>(y % win) * rowBytes;
    rowSums(src, width, rx, col, load<i32>(rows + ((<usize>i) << 2)), h, inRgb, inMask, rowIn);
    const d = outBytes == 0 ? dst + <usize>y * rowBytes : dst;
    for (let k: usize = 0; k < rowBytes; k += 16) {
      const a = f32x4.add(v128.load(acc + k), v128.load(h + k));
      v128.store(d + k, f32x4.mul(a, sc));
      v128.store(acc + k, f32x4.sub(a, v128.load(old + k)));
    }
    if (outBytes != 0) {
      const p = <usize>y * <usize>width;
      composite(cRgb + 3 * p, cMask + (p << 2), d, width, level, outBytes + 3 * p);
    }
  }
}

/** Horizontal sums of source row `r` into h: from the float image, or packed first from bytes. */
// @ts-ignore: decorator
@inline
function rowSums(src: usize, width: i32, rx: i32, col: usize, r: i32, h: usize, inRgb: usize, inMask: usize, rowIn: usize): void {
  const p = <usize>r * <usize>width;
  if (inRgb == 0) {
    boxRows4(src + (p << 4), h, width, 1, rx, col);
  } else {
    packWeighted(inRgb + 3 * p, inMask == 0 ? 0 : inMask + (p << 2), width, rowIn);
    boxRows4(rowIn, h, width, 1, rx, col);
  }
}

/**
 * First half of the disc (bokeh) mean over 4-channel pixels: the running sums of each reflected
 * row y0 .. y1 into `prefix` (rows of width + 2r + 1 pixels, the first one zero).
 */
export function discPrefix4(src: usize, prefix: usize, width: i32, r: i32, col: usize, y0: i32, y1: i32): void {
  const stride = (<usize>(width + 2 * r + 1)) << 4;
  for (let y = y0; y < y1; y++) {
    const s = src + ((<usize>(y * width)) << 4);
    const p = prefix + <usize>y * stride;
    let acc = f32x4.splat(0);
    v128.store(p, acc);
    for (let i = 0; i < width + 2 * r; i++) {
      acc = f32x4.add(acc, v128.load(s + ((<usize>load<i32>(col + ((<usize>i) << 2))) << 2)));
      v128.store(p + ((<usize>(i + 1)) << 4), acc);
    }
  }
}

/**
 * Second half of the disc mean: each output of rows y0 .. y1 adds one run per disc row, read
 * from the prefix sums of every row. `half` holds the disc's half-width per row offset -r .. r
 * (int32), `rows` the reflected row of each window position as in boxColumns. Four pixels per
 * step, so each row's table lookups serve four outputs.
 */
export function discRows4(prefix: usize, dst: usize, width: i32, r: i32, scale: f32, rows: usize, half: usize, y0: i32, y1: i32): void {
  const stride = (<usize>(width + 2 * r + 1)) << 4;
  const sc = f32x4.splat(scale);
  for (let y = y0; y < y1; y++) {
    const d = dst + ((<usize>(y * width)) << 4);
    let x = 0;
    for (; x + 4 <= width; x += 4) {
      const o = (<usize>x) << 4;
      let a0 = f32x4.splat(0);
      let a1 = f32x4.splat(0);
      let a2 = f32x4.splat(0);
      let a3 = f32x4.splat(0);
      for (let dy = 0; dy <= 2 * r; dy++) {
        const w = load<i32>(half + ((<usize>dy) << 2));
        const p = prefix + <usize>load<i32>(rows + ((<usize>(y + dy)) << 2)) * stride + o;
        const hi = p + ((<usize>(r + w + 1)) << 4);
        const lo = p + ((<usize>(r - w)) << 4);
        a0 = f32x4.add(a0, f32x4.sub(v128.load(hi), v128.load(lo)));
        a1 = f32x4.add(a1, f32x4.sub(v128.load(hi, 16), v128.load(lo, 16)));
        a2 = f32x4.add(a2, f32x4.sub(v128.load(hi, 32), v128.load(lo, 32)));
        a3 = f32x4.add(a3, f32x4.sub(v128.load(hi, 48), v128.load(lo, 48)));
      }
      v128.store(d + o, f32x4.mul(a0, sc));
      v128.store(d + o, f32x4.mul(a1, sc), 16);
      v128.store(d + o, f32x4.mul(a2, sc), 32);
      v128.store(d + o, f32x4.mul(a3, sc), 48);
    }
    for (; x < width; x++) {
      const o = (<usize>x) << 4;
      let a = f32x4.splat(0);
      for (let dy = 0; dy <= 2 * r; dy++) {
        const w = load<i32>(half + ((<usize>dy) << 2));
        const p = prefix + <usize>load<i32>(rows + ((<usize>(y + dy)) << 2)) * stride + o;
        a = f32x4.add(a, f32x4.sub(v128.load(p + ((<usize>(r + w + 1)) << 4)), v128.load(p + ((<usize>(r - w)) << 4))));
      }
      v128.store(d + o, f32x4.mul(a, sc));
    }
  }
}

/**
 * RGB bytes and a mask to 4-channel floats (R*w, G*w, B*w, w) with w = 1 - mask (w = 1 when
 * `mask` is 0, i.e. a plain blur). Four pixels per step: 12 bytes spread to four RGBx lanes.
 * `rgb` must have 4 readable bytes past its end.
 */
export function packWeighted(rgb: usize, mask: usize, n: i32, out: usize): void {
  const ones = f32x4.splat(1);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const raw = v128.load(rgb + <usize>(3 * i));
    const w = mask == 0 ? ones : f32x4.sub(ones, v128.load(mask + ((<usize>i) << 2)));
    const o = out + ((<usize>i) << 4);
    v128.store(o, withWeight(lanesToF32x4(raw, 0), w, 0));
    v128.store(o + 16, withWeight(lanesToF32x4(raw, 3), w, 1));
    v128.store(o + 32, withWeight(lanesToF32x4(raw, 6), w, 2));
    v128.store(o + 48, withWeight(lanesToF32x4(raw, 9), w, 3));
  }
  for (; i < n; i++) {
    const w = f32x4.splat(mask == 0 ? <f32>1 : <f32>1 - load<f32>(mask + ((<usize>i) << 2)));
    v128.store(out + ((<usize>i) << 4), withWeight(lanesToF32x4(v128.load32_zero(rgb + <usize>(3 * i)), 0), w, 0));
  }
}

/** (R, G, B, _) * w[j] with lane 3 set to w[j]. */
// @ts-ignore: decorator
@inline
function withWeight(px: v128, w: v128, j: u8): v128 {
  const wj = lane(w, j);
  return v128.bitselect(wj, f32x4.mul(px, wj), v128(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, -1, -1, -1));
}

/**
 * out = a * rgb + (1 - a) * background, rounded to bytes, where the background is the blurred
 * 4-channel image divided by its weight (the pixel's own colour where the weight is < 1e-4) and
 * a is the mask, or its threshold (1 where mask >= level) when level >= 0. Four pixels per step,
 * so one division serves four weights. Writes exactly 3n bytes (so two threads can each take a
 * range); `rgb` must have 4 readable bytes past its end.
 */
export function composite(rgb: usize, mask: usize, blurred: usize, n: i32, level: f32, out: usize): void {
  const tiny = f32x4.splat(1e-4);
  const ones = f32x4.splat(1);
  const lv = f32x4.splat(level);
  let i = 0;
  // A step stores 16 bytes for its 12: stop while that still ends inside this range.
  for (; i + 6 <= n; i += 4) {
    const raw = v128.load(rgb + <usize>(3 * i));
    const b = blurred + ((<usize>i) << 4);
    const b0 = v128.load(b);
    const b1 = v128.load(b + 16);
    const b2 = v128.load(b + 32);
    const b3 = v128.load(b + 48);
    // The four weights (lane 3 of each) in one vector, one division for all four.
    const w = v128.shuffle<f32>(v128.shuffle<f32>(b0, b1, 3, 7, 3, 7), v128.shuffle<f32>(b2, b3, 3, 7, 3, 7), 0, 1, 4, 5);
    const inv = f32x4.div(ones, f32x4.pmax(w, tiny));
    const reached = f32x4.gt(w, tiny);
    let a = v128.load(mask + ((<usize>i) << 2));
    if (level >= 0) a = v128.and(f32x4.ge(a, lv), ones);
    const q0 = blend(lanesToF32x4(raw, 0), b0, inv, reached, a, 0);
    const q1 = blend(lanesToF32x4(raw, 3), b1, inv, reached, a, 1);
    const q2 = blend(lanesToF32x4(raw, 6), b2, inv, reached, a, 2);
    const q3 = blend(lanesToF32x4(raw, 9), b3, inv, reached, a, 3);
    const bytes = i8x16.narrow_i16x8_u(i16x8.narrow_i32x4_s(q0, q1), i16x8.narrow_i32x4_s(q2, q3));
    // RGBx RGBx RGBx RGBx -> 12 bytes of RGB; the 4 bytes after them are rewritten by the next step.
    v128.store(out + <usize>(3 * i), v128.swizzle(bytes, v128(0, 1, 2, 4, 5, 6, 8, 9, 10, 12, 13, 14, 15, 15, 15, 15)));
  }
  for (; i < n; i++) {
    const raw = v128.load32_zero(rgb + <usize>(3 * i));
    const b0 = v128.load(blurred + ((<usize>i) << 4));
    const w = f32x4.splat(f32x4.extract_lane(b0, 3));
    let a = f32x4.splat(load<f32>(mask + ((<usize>i) << 2)));
    if (level >= 0) a = v128.and(f32x4.ge(a, lv), ones);
    const q = blend(lanesToF32x4(raw, 0), b0, f32x4.div(ones, f32x4.pmax(w, tiny)), f32x4.gt(w, tiny), a, 0);
    const bytes = i8x16.narrow_i16x8_u(i16x8.narrow_i32x4_s(q, q), i16x8.narrow_i32x4_s(q, q));
    const o = out + <usize>(3 * i);
    store<u16>(o, <u16>i16x8.extract_lane_u(bytes, 0));
    store<u8>(o + 2, <u8>i8x16.extract_lane_u(bytes, 2));
  }
}

/** One pixel of composite, as rounded int32 lanes: lane j of inv / reached / a belongs to it. */
// @ts-ignore: decorator
@inline
function blend(px: v128, b: v128, inv: v128, reached: v128, a: v128, j: u8): v128 {
  const bg = v128.bitselect(f32x4.mul(b, lane(inv, j)), px, lane(reached, j));
  const v = f32x4.add(f32x4.add(bg, f32x4.mul(lane(a, j), f32x4.sub(px, bg))), f32x4.splat(0.5));
  return i32x4.trunc_sat_f32x4_s(v);
}

/** Lane j of v in all four lanes. */
// @ts-ignore: decorator
@inline
function lane(v: v128, j: u8): v128 {
  return j == 0 ? v128.shuffle<f32>(v, v, 0, 0, 0, 0) : j == 1 ? v128.shuffle<f32>(v, v, 1, 1, 1, 1) : j == 2 ? v128.shuffle<f32>(v, v, 2, 2, 2, 2) : v128.shuffle<f32>(v, v, 3, 3, 3, 3);
}

/** Bytes at offsets first .. first + 3 of `raw` as four float lanes (0..255). */
// @ts-ignore: decorator
@inline
function lanesToF32x4(raw: v128, first: u8): v128 {
  const spread =
    first == 0
      ? v128.swizzle(raw, v128(0, -1, -1, -1, 1, -1, -1, -1, 2, -1, -1, -1, 3, -1, -1, -1))
      : first == 3
        ? v128.swizzle(raw, v128(3, -1, -1, -1, 4, -1, -1, -1, 5, -1, -1, -1, 6, -1, -1, -1))
        : first == 6
          ? v128.swizzle(raw, v128(6, -1, -1, -1, 7, -1, -1, -1, 8, -1, -1, -1, 9, -1, -1, -1))
          : v128.swizzle(raw, v128(9, -1, -1, -1, 10, -1, -1, -1, 11, -1, -1, -1, 12, -1, -1, -1));
  // Signed conversion: the values are 0..255 and x64 has no unsigned one (V8 emulates it).
  return f32x4.convert_i32x4_s(spread);
}

/**
 * Bilinear resize of a float mask (OpenCV INTER_LINEAR sampling): the two source rows are blended
 * once per output row into `tmp` (sw floats), then each output takes two taps from it. x0/x1/fx hold
 * each output column's left and right tap (int32) and the right one's weight (f32). Output rows
 * y0 .. y1 only, so bands with their own tmp can run on different threads.
 */
export function resize(src: usize, sw: i32, sh: i32, dst: usize, dw: i32, dh: i32, x0: usize, x1: usize, fx: usize, tmp: usize, y0: i32, y1: i32): void {
  const sy: f64 = <f64>sh / <f64>dh;
  const vec = sw & ~3;
  for (let y = y0; y < y1; y++) {
    let p = (<f64>y + 0.5) * sy - 0.5;
    if (p < 0) p = 0;
    const j = min(<i32>Math.floor(p), sh - 1);
    const fy = <f32>(p - <f64>j);
    const r0 = src + ((<usize>(j * sw)) << 2);
    const r1 = src + ((<usize>(min(j + 1, sh - 1) * sw)) << 2);
    const f = f32x4.splat(fy);
    for (let k = 0; k < vec; k += 4) {
      const o = (<usize>k) << 2;
      const a = v128.load(r0 + o);
      v128.store(tmp + o, f32x4.add(a, f32x4.mul(f, f32x4.sub(v128.load(r1 + o), a))));
    }
    for (let k = vec; k < sw; k++) {
      const o = (<usize>k) << 2;
      const a = load<f32>(r0 + o);
      store<f32>(tmp + o, a + fy * (load<f32>(r1 + o) - a));
    }
    const d = dst + ((<usize>(y * dw)) << 2);
    for (let x: usize = 0; x < (<usize>dw) << 2; x += 4) {
      const a = load<f32>(tmp + ((<usize>load<i32>(x0 + x)) << 2));
      const b = load<f32>(tmp + ((<usize>load<i32>(x1 + x)) << 2));
      store<f32>(d + x, a + load<f32>(fx + x) * (b - a));
    }
  }
}
