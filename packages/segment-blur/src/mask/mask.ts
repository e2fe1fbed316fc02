import { assertPositiveInteger, rangeError, typeError } from '@aiffel/runtime';

/**
 * A single-channel mask in row-major order: 1 = foreground (person), 0 = background. Soft masks
 * hold probabilities in between; binary masks hold exactly 0 and 1.
 */
export interface Mask {
  data: Float32Array;
  width: number;
  height: number;
}

/** What mask functions accept: a Mask, or an ndarray-like `{ data, shape: [h, w] | [h, w, 1] }` (0..1, or 0..255 for Uint8Array data). */
export type MaskInput = Mask | { data: ArrayLike<number>; shape: readonly number[] };

/** Validates and normalises a mask input; Uint8Array data is read as 0..255 and scaled to 0..1. */
export function toMask(input: MaskInput, name = 'mask'): Mask {
  if (input === null || typeof input !== 'object') throw typeError(name, 'a Mask {data, width, height} or {data, shape}', input);
  let width: number;
  let height: number;
  if ('shape' in input && input.shape !== undefined) {
    const s = input.shape;
    if (!Array.isArray(s) || (s.length !== 2 && !(s.length === 3 && s[2] === 1))) throw rangeError(`${name}.shape`, '[height, width] or [height, width, 1]', s);
    [height, width] = s as [number, number];
  } else {
    ({ width, height } = input as Mask);
  }
  assertPositiveInteger(`${name}.width`, width);
  assertPositiveInteger(`${name}.height`, height);
  const data = input.data;
  if (!data || typeof (data as ArrayLike<number>).length !== 'number') throw typeError(`${name}.data`, 'a typed array or array of numbers', data);
  if (data.length !== width * height) throw rangeError(`${name}.data`, `${width * height} values for ${width}x${height}`, `${data.length} values`);
  if (data instanceof Float32Array) {
    for (let i = 0; i < data.length; i++) {
      const v = data[i] as number;
      if (!(v >= 0 && v <= 1)) throw rangeError(`${name}.data[${i}]`, 'a value in 0..1', v);
    }
    return { data, width, height };
  }
  const scale = data instanceof Uint8Array || data instanceof Uint8ClampedArray ? 1 / 255 : 1;
  const out = new Float32Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const v = (data[i] as number) * scale;
    if (!(v >= 0 && v <= 1)) throw rangeError(`${name}.data[${i}]`, scale === 1 ? 'a value in 0..1' : 'a value in 0..255', data[i]);
    out[i] = v;
  }
  return { data: out, width, height };
}

/** The mask as 8-bit values (0..255), e.g. to save it as a greyscale PNG. */
export function maskToUint8(mask: Mask): Uint8Array {
  const out = new Uint8Array(mask.data.length);
  for (let i = 0; i < out.length; i++) out[i] = Math.round((mask.data[i] as number) * 255);
  return out;
}
