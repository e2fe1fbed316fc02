import { CsrMatrix } from './csr-matrix.js';

/**
 * Versioned binary containers: magic, version, a JSON header, then 4-byte aligned typed arrays
 * whose byte lengths the header lists. Reading checks the magic, the version, every length
 * against the file size before allocating, and the CSR invariants, so a truncated or hostile
 * file fails with a clear error instead of a huge allocation or a corrupt model.
 */
const MAGIC = 'AIFFEL01';

export function pack(kind: string, header: Record<string, unknown>, arrays: (Int32Array | Float32Array)[]): Buffer {
  const json = Buffer.from(
    JSON.stringify({ kind, ...header, arrays: arrays.map((a) => ({ type: a instanceof Int32Array ? 'i32' : 'f32', length: a.length })) }),
    'utf8',
  );
  const pad = (4 - ((8 + 4 + json.length) % 4)) % 4;
  const parts: Buffer[] = [Buffer.from(MAGIC, 'latin1'), Buffer.alloc(4), json, Buffer.alloc(pad)];
  (parts[1] as Buffer).writeUInt32LE(json.length + pad, 0);
  for (const a of arrays) parts.push(Buffer.from(a.buffer, a.byteOffset, a.byteLength));
  return Buffer.concat(parts);
}

export function unpack(buf: Uint8Array, kind: string): { header: Record<string, unknown>; arrays: (Int32Array | Float32Array)[] } {
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  if (b.length < 12 || b.toString('latin1', 0, 8) !== MAGIC) throw new RangeError(`data is not an @aiffel/sparse-als ${kind} file (bad magic)`);
  const hlen = b.readUInt32LE(8);
  if (12 + hlen > b.length) throw new RangeError(`${kind} file is truncated: header of ${hlen} bytes, file of ${b.length}`);
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(b.toString('utf8', 12, 12 + hlen).replace(/\0+$/, '')) as Record<string, unknown>;
  } catch {
    throw new RangeError(`${kind} file has a malformed header`);
  }
  if (header.kind !== kind) throw new RangeError(`file holds a ${String(header.kind)}, not a ${kind}`);
  const specs = header.arrays as { type: string; length: number }[] | undefined;
  if (!Array.isArray(specs)) throw new RangeError(`${kind} file header lists no arrays`);
  let off = 12 + hlen;
  const arrays = specs.map((s, i) => {
    if (!Number.isInteger(s.length) || s.length < 0 || (s.type !== 'i32' && s.type !== 'f32'))
      throw new RangeError(`${kind} file array ${i} has a bad description`);
    const bytes = s.length * 4;
    if (off + bytes > b.length) throw new RangeError(`${kind} file is truncated: array ${i} needs ${bytes} bytes at ${off}, file has ${b.length}`);
    const copy = b.buffer.slice(b.byteOffset + off, b.byteOffset + off + bytes);
    off += bytes;
    return s.type === 'i32' ? new Int32Array(copy) : new Float32Array(copy);
  });
  if (off !== b.length) throw new RangeError(`${kind} file has ${b.length - off} unexpected trailing bytes`);
  return { header, arrays };
}

/** CsrMatrix to bytes. */
export function csrToBytes(m: CsrMatrix): Buffer {
  return pack('CsrMatrix', { version: 1, rows: m.rows, cols: m.cols }, [m.indptr, m.indices, m.data]);
}

/** Bytes to a CsrMatrix, checking sizes, monotone row pointers, sorted in-range columns and finite values. */
export function csrFromBytes(buf: Uint8Array): CsrMatrix {
  const { header, arrays } = unpack(buf, 'CsrMatrix');
  if (header.version !== 1) throw new RangeError(`CsrMatrix file version must be 1, got ${String(header.version)}`);
  const [indptr, indices, data] = arrays as [Int32Array, Int32Array, Float32Array];
  // The constructor checks every invariant (types, pointers, sorted in-range columns, finite values).
  return new CsrMatrix(Number(header.rows), Number(header.cols), indptr, indices, data);
}
