import { checkInteger, rangeError } from '@aiffel/core';

/**
 * NumPy .npy (format 1.0) for 2-d float arrays, so factors move between this package and
 * implicit / Spark / anything numpy reads. Writes little-endian float32, C order; reads float32
 * or float64, C order.
 */
export function toNpy(data: Float32Array, rows: number, cols: number): Buffer {
  // (-1, 0) multiplies to 0 like an empty array and would be written as a shape numpy refuses.
  checkInteger('rows', rows, 0);
  checkInteger('cols', cols, 0);
  if (!(data instanceof Float32Array)) throw rangeError('data', 'a Float32Array', data);
  if (data.length !== rows * cols) throw rangeError('data.length', `rows * cols = ${rows * cols}`, data.length);
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${rows}, ${cols}), }`;
  // Magic (6) + version (2) + length (2) + header, padded with spaces to a multiple of 64, ending in \n.
  const total = Math.ceil((10 + header.length + 1) / 64) * 64;
  header = `${header.padEnd(total - 10 - 1, ' ')}\n`;
  const out = Buffer.alloc(10 + header.length + data.byteLength);
  out.write('\x93NUMPY', 0, 'latin1');
  out[6] = 1;
  out[7] = 0;
  out.writeUInt16LE(header.length, 8);
  out.write(header, 10, 'latin1');
  Buffer.from(data.buffer, data.byteOffset, data.byteLength).copy(out, 10 + header.length);
  return out;
}

export function fromNpy(buf: Uint8Array): { data: Float32Array; rows: number; cols: number } {
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  if (b.length < 10 || b.toString('latin1', 0, 6) !== '\x93NUMPY') throw new RangeError('npy data must start with the \\x93NUMPY magic');
  const major = b[6] as number;
  const hlen = major === 1 ? b.readUInt16LE(8) : b.readUInt32LE(8);
  const start = major === 1 ? 10 : 12;
  if (start + hlen > b.length) throw new RangeError(`npy header is truncated: ${hlen} bytes announced, ${b.length - start} present`);
  const header = b.toString('latin1', start, start + hlen);
  const descr = /'descr':\s*'([<>|]?[a-z]\d+)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1];
  const shape = /'shape':\s*\((\d+),\s*(\d+)\s*,?\)/.exec(header);
  if (!shape || fortran !== 'False') throw new RangeError(`npy must hold a 2-d C-order array, got header ${header.trim()}`);
  const rows = Number(shape[1]);
  const cols = Number(shape[2]);
  const body = start + hlen;
  const size = descr === '<f4' ? 4 : descr === '<f8' ? 8 : 0;
  if (size === 0) throw new RangeError(`npy dtype must be little-endian float32 or float64 (<f4, <f8), got ${descr}`);
  if (b.length - body !== rows * cols * size)
    throw new RangeError(`npy data must hold ${rows} x ${cols} values (${rows * cols * size} bytes), got ${b.length - body} bytes`);
  const copy = b.buffer.slice(b.byteOffset + body, b.byteOffset + b.length);
  const data = size === 4 ? new Float32Array(copy) : Float32Array.from(new Float64Array(copy));
  for (let i = 0; i < data.length; i++) if (!Number.isFinite(data[i] as number)) throw new RangeError(`npy values must be finite, got ${data[i]} at ${i}`);
  return { data, rows, cols };
}

/** Factors as CSV: `id,f0,f1,...` with a header row. */
export function factorsToCsv(ids: readonly (string | number)[], data: Float32Array, cols: number): string {
  const lines = [['id', ...Array.from({ length: cols }, (_, k) => `f${k}`)].join(',')];
  ids.forEach((id, r) => {
    const s = String(id);
    const quoted = /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
    lines.push([quoted, ...Array.from(data.subarray(r * cols, (r + 1) * cols), (v) => String(v))].join(','));
  });
  return `${lines.join('\n')}\n`;
}
