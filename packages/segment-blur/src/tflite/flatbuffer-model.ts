import { ByteBuffer } from 'flatbuffers';

/**
 * A read-only view of a TFLite flatbuffer (schema.fbs, version 3): the parts an interpreter needs.
 * Field numbers below are the schema's declaration order; a table field lives at vtable slot
 * 4 + 2 * field. We read only what the ops we run use, and check every index we follow, because a
 * model file is untrusted input.
 */

export const TensorType = { FLOAT32: 0, FLOAT16: 1, INT32: 2, UINT8: 3, INT64: 4, INT8: 9 } as const;

export interface TfliteTensor {
  name: string;
  shape: number[];
  type: number;
  /** Constant data (weights), or undefined for activations. */
  data: Uint8Array | undefined;
}

export interface TfliteOperator {
  /** Builtin operator code (schema BuiltinOperator), or -1 with `custom` set. */
  builtin: number;
  custom: string | undefined;
  inputs: number[];
  outputs: number[];
  /** Reads an int32 field of the builtin options table (`fallback` when absent). */
  optionInt(field: number, fallback: number): number;
  /** Reads a byte field (enum or bool) of the builtin options table. */
  optionByte(field: number, fallback: number): number;
  /** Reads an int vector field of the builtin options table. */
  optionInts(field: number): number[];
  customOptions: Uint8Array | undefined;
}

export interface TfliteModel {
  version: number;
  description: string;
  tensors: TfliteTensor[];
  inputs: number[];
  outputs: number[];
  operators: TfliteOperator[];
}

function field(bb: ByteBuffer, table: number, index: number): number {
  return bb.__offset(table, 4 + 2 * index);
}

function intVector(bb: ByteBuffer, table: number, index: number): number[] {
  const o = field(bb, table, index);
  if (!o) return [];
  const start = bb.__vector(table + o);
  const n = bb.__vector_len(table + o);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) out[i] = bb.readInt32(start + 4 * i);
  return out;
}

function byteVector(bb: ByteBuffer, table: number, index: number): Uint8Array | undefined {
  const o = field(bb, table, index);
  if (!o) return undefined;
  const start = bb.__vector(table + o);
  const n = bb.__vector_len(table + o);
  return bb.bytes().subarray(start, start + n);
}

function tables(bb: ByteBuffer, table: number, index: number): number[] {
  const o = field(bb, table, index);
  if (!o) return [];
  const start = bb.__vector(table + o);
  const n = bb.__vector_len(table + o);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) out[i] = bb.__indirect(start + 4 * i);
  return out;
}

function str(bb: ByteBuffer, table: number, index: number): string {
  const o = field(bb, table, index);
  return o ? (bb.__string(table + o) as string) : '';
}

function checkIndices(what: string, indices: number[], count: number, allowMinusOne = false): void {
  for (const i of indices) {
    if (!Number.isInteger(i) || i >= count || (i < 0 && !(allowMinusOne && i === -1)))
      throw new RangeError(`tflite model: ${what} refers to tensor ${i}, but the subgraph has ${count} tensors`);
  }
}

/**
 * Parses a TFLite model's first subgraph.
 *
 * @throws Error when the bytes are not a TFLite flatbuffer or refer to missing tensors/buffers.
 */
export function readTfliteModel(bytes: Uint8Array): TfliteModel {
  if (bytes.length < 8 || String.fromCharCode(...bytes.subarray(4, 8)) !== 'TFL3')
    throw new Error('tflite model: not a TFLite flatbuffer (file identifier TFL3 missing)');
  const bb = new ByteBuffer(bytes);
  try {
    const model = bb.readInt32(0);
    const root = model + bb.position();
    const versionOffset = field(bb, root, 0);
    const version = versionOffset ? bb.readUint32(root + versionOffset) : 0;
    const opcodes = tables(bb, root, 1).map((t) => {
      const dep = field(bb, t, 0) ? bb.readInt8(t + field(bb, t, 0)) : 0;
      const full = field(bb, t, 3) ? bb.readInt32(t + field(bb, t, 3)) : 0;
      // Codes above 127 only live in builtin_code; older files only fill the deprecated byte.
      return { builtin: Math.max(dep, full), custom: str(bb, t, 1) || undefined };
    });
    const buffers = tables(bb, root, 4).map((t) => byteVector(bb, t, 0));
    const subgraphs = tables(bb, root, 2);
    const sg = subgraphs[0];
    if (sg === undefined) throw new Error('tflite model: no subgraph');
    const tensors = tables(bb, sg, 0).map((t): TfliteTensor => {
      const typeOffset = field(bb, t, 1);
      const bufOffset = field(bb, t, 2);
      const buffer = bufOffset ? bb.readUint32(t + bufOffset) : 0;
      if (buffer >= buffers.length && buffers.length > 0) throw new RangeError(`tflite model: tensor refers to buffer ${buffer} of ${buffers.length}`);
      const data = buffers[buffer];
      return {
        name: str(bb, t, 3),
        shape: intVector(bb, t, 0),
        type: typeOffset ? bb.readInt8(t + typeOffset) : 0,
        data: data && data.length > 0 ? data : undefined,
      };
    });
    const inputs = intVector(bb, sg, 1);
    const outputs = intVector(bb, sg, 2);
    checkIndices('subgraph inputs', inputs, tensors.length);
    checkIndices('subgraph outputs', outputs, tensors.length);
    const operators = tables(bb, sg, 3).map((t): TfliteOperator => {
      const codeIndex = field(bb, t, 0) ? bb.readUint32(t + field(bb, t, 0)) : 0;
      const code = opcodes[codeIndex];
      if (code === undefined) throw new RangeError(`tflite model: operator code ${codeIndex} of ${opcodes.length}`);
      const opInputs = intVector(bb, t, 1);
      const opOutputs = intVector(bb, t, 2);
      checkIndices('operator inputs', opInputs, tensors.length, true);
      checkIndices('operator outputs', opOutputs, tensors.length);
      const optionsOffset = field(bb, t, 4);
      const options = optionsOffset ? bb.__indirect(t + optionsOffset) : 0;
      return {
        builtin: code.custom ? -1 : code.builtin,
        custom: code.custom,
        inputs: opInputs,
        outputs: opOutputs,
        optionInt(index, fallback) {
          const o = options ? field(bb, options, index) : 0;
          return o ? bb.readInt32(options + o) : fallback;
        },
        optionByte(index, fallback) {
          const o = options ? field(bb, options, index) : 0;
          return o ? bb.readInt8(options + o) : fallback;
        },
        optionInts(index) {
          return options ? intVector(bb, options, index) : [];
        },
        customOptions: byteVector(bb, t, 5),
      };
    });
    return { version, description: str(bb, root, 3), tensors, inputs, outputs, operators };
  } catch (err) {
    if (err instanceof Error && /tflite model/.test(err.message)) throw err;
    throw new Error(`tflite model: malformed flatbuffer (${(err as Error).message})`);
  }
}
