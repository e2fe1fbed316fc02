// Distance-scan kernels for @aiffel/face-embed's gallery search, compiled to WebAssembly with
// 128-bit SIMD by `npm run build` (AssemblyScript). A search streams every stored vector once,
// so the kernels are bound by memory traffic: the int8 codes move a quarter of the bytes of
// float32, and an exact re-rank of the few candidates they leave restores full precision.

/**
 * out[i] = dot(q, x_i) for n rows of d float32 (d a multiple of 4), four rows per pass so each
 * query load feeds four multiply-adds.
 */
export function dotsF32(q: usize, x: usize, n: i32, d: i32, out: usize): void {
  const stride = (<usize>d) << 2;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const r0 = x + <usize>i * stride;
    const r1 = r0 + stride;
    const r2 = r1 + stride;
    const r3 = r2 + stride;
    let s0 = f32x4.splat(0);
    let s1 = f32x4.splat(0);
    let s2 = f32x4.splat(0);
    let s3 = f32x4.splat(0);
    for (let t: usize = 0; t < stride; t += 16) {
      const u = v128.load(q + t);
      s0 = f32x4.add(s0, f32x4.mul(u, v128.load(r0 + t)));
      s1 = f32x4.add(s1, f32x4.mul(u, v128.load(r1 + t)));
      s2 = f32x4.add(s2, f32x4.mul(u, v128.load(r2 + t)));
      s3 = f32x4.add(s3, f32x4.mul(u, v128.load(r3 + t)));
    }
    const o = out + ((<usize>i) << 2);
    store<f32>(o, hsum(s0));
    store<f32>(o + 4, hsum(s1));
    store<f32>(o + 8, hsum(s2));
    store<f32>(o + 12, hsum(s3));
  }
  for (; i < n; i++) {
    const r = x + <usize>i * stride;
    let s = f32x4.splat(0);
    for (let t: usize = 0; t < stride; t += 16) s = f32x4.add(s, f32x4.mul(v128.load(q + t), v128.load(r + t)));
    store<f32>(out + ((<usize>i) << 2), hsum(s));
  }
}

/**
 * out[i] = dot(q, c_i) in int32 for int16 query q and int8 codes c (d a multiple of 16): each
 * 16 codes are widened to two i16x8 vectors and multiplied pairwise into i32 lanes.
 */
export function dotsI8(q: usize, c: usize, n: i32, d: i32, out: usize): void {
  const stride = <usize>d;
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const r0 = c + <usize>i * stride;
    const r1 = r0 + stride;
    let s0 = i32x4.splat(0);
    let s1 = i32x4.splat(0);
    for (let t: usize = 0; t < stride; t += 16) {
      const qa = v128.load(q + (t << 1));
      const qb = v128.load(q + (t << 1) + 16);
      const a = v128.load(r0 + t);
      const b = v128.load(r1 + t);
      s0 = i32x4.add(s0, i32x4.add(i32x4.dot_i16x8_s(qa, i16x8.extend_low_i8x16_s(a)), i32x4.dot_i16x8_s(qb, i16x8.extend_high_i8x16_s(a))));
      s1 = i32x4.add(s1, i32x4.add(i32x4.dot_i16x8_s(qa, i16x8.extend_low_i8x16_s(b)), i32x4.dot_i16x8_s(qb, i16x8.extend_high_i8x16_s(b))));
    }
    const o = out + ((<usize>i) << 2);
    store<i32>(o, isum(s0));
    store<i32>(o + 4, isum(s1));
  }
  for (; i < n; i++) {
    const r = c + <usize>i * stride;
    let s = i32x4.splat(0);
    for (let t: usize = 0; t < stride; t += 16) {
      const a = v128.load(r + t);
      s = i32x4.add(s, i32x4.add(i32x4.dot_i16x8_s(v128.load(q + (t << 1)), i16x8.extend_low_i8x16_s(a)), i32x4.dot_i16x8_s(v128.load(q + (t << 1) + 16), i16x8.extend_high_i8x16_s(a))));
    }
    store<i32>(out + ((<usize>i) << 2), isum(s));
  }
}

@inline
function hsum(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3);
}

@inline
function isum(v: v128): i32 {
  return i32x4.extract_lane(v, 0) + i32x4.extract_lane(v, 1) + i32x4.extract_lane(v, 2) + i32x4.extract_lane(v, 3);
}
