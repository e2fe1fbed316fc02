import { rangeError } from '@aiffel/runtime';

/** An array read from a .npy file: row-major (C order) float32 values and the shape. */
export interface NpyArray {
  shape: number[];
  data: Float32Array;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
/** Larger arrays than any VGG weight by far: a header claiming more is corrupt or hostile. */
const MAX_VALUES = 2 ** 31;

/**
 * Parses NumPy's .npy format (versions 1 to 3): little- or big-endian float16/32/64 and
 * int8/16/32/64/uint8 arrays become float32, C or Fortran order (the latter is reordered to C).
 * `name` is used in errors.
 */
export function parseNpy(bytes: Uint8Array, name = 'array'): NpyArray {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) throw rangeError(name, 'a .npy file (starting with \\x93NUMPY)', `${bytes.length} bytes`);
  const major = bytes[6] as number;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = major === 1 ? 10 : 12;
  if (start + headerLen > bytes.length) throw rangeError(name, 'a complete .npy header', `${bytes.length} bytes`);
  const header = new TextDecoder().decode(bytes.subarray(start, start + headerLen));
  const descr = /'descr'\s*:\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*True/.test(header);
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || shapeText === undefined) throw rangeError(`${name} header`, "a dict with 'descr' and 'shape'", header.trim());
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map(Number);
  if (shape.some((d) => !Number.isInteger(d) || d < 0)) throw rangeError(`${name} shape`, 'non-negative integers', shapeText);
  const count = shape.reduce((a, b) => a * b, 1);
  if (count > MAX_VALUES) throw rangeError(`${name} shape`, `at most ${MAX_VALUES} values`, shapeText);
  const little = descr[0] !== '>';
  const kind = descr.slice(1);
  const readers: Record<string, [number, (o: number) => number]> = {
    f2: [2, (o) => half(view.getUint16(o, little))],
    f4: [4, (o) => view.getFloat32(o, little)],
    f8: [8, (o) => view.getFloat64(o, little)],
    i1: [1, (o) => view.getInt8(o)],
    u1: [1, (o) => view.getUint8(o)],
    i2: [2, (o) => view.getInt16(o, little)],
    i4: [4, (o) => view.getInt32(o, little)],
    i8: [8, (o) => Number(view.getBigInt64(o, little))],
  };
  const reader = readers[kind];
  if (!reader) throw rangeError(`${name} dtype`, 'float16/32/64 or an integer type', descr);
  const [size, read] = reader;
  const offset = start + headerLen;
  if (offset + count * size > bytes.length) throw rangeError(name, `${count * size} bytes of data`, `${bytes.length - offset}`);
  const data = new Float32Array(count);
  for (let i = 0; i < count; i++) data[i] = read(offset + i * size);
  return { shape, data: fortran && shape.length > 1 ? fortranToC(data, shape) : data };
}

function half(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * 2 ** -14 * (f / 1024);
  if (e === 31) return f ? Number.NaN : s * Number.POSITIVE_INFINITY;
  return s * 2 ** (e - 15) * (1 + f / 1024);
}

/** Column-major values to row-major order. */
function fortranToC(data: Float32Array, shape: number[]): Float32Array {
  const out = new Float32Array(data.length);
  const rank = shape.length;
  const idx = new Array<number>(rank).fill(0);
  for (let c = 0; c < data.length; c++) {
    let f = 0;
    let stride = 1;
    for (let k = 0; k < rank; k++) {
      f += (idx[k] as number) * stride;
      stride *= shape[k] as number;
    }
    out[c] = data[f] as number;
    for (let k = rank - 1; k >= 0; k--) {
      idx[k] = (idx[k] as number) + 1;
      if ((idx[k] as number) < (shape[k] as number)) break;
      idx[k] = 0;
    }
  }
  return out;
}
