/** Messages between WorkerPool and pool-worker. Kept in one place so both sides agree. */

export type TypedArray = Float32Array | Float64Array | Int32Array | Uint8Array | Uint16Array | Int16Array | Int8Array | Uint32Array;

/** A tensor crossing a thread boundary: its values and shape. */
export interface ArrayPayload {
  data: TypedArray;
  shape: number[];
  dtype?: 'float32' | 'int32';
}

export type Batch = Record<string, ArrayPayload>;

/** An optimizer slot (momentum buffer, Adam moment, the iteration count) crossing threads. */
export interface NamedArray {
  name: string;
  data: Float32Array;
  shape: number[];
}

export interface OptimizerSpec {
  name: 'sgd' | 'momentum' | 'adam';
  learningRate: number;
  /** momentum: default 0.9. */
  momentum?: number;
  /** momentum: Nesterov update. Default false. */
  nesterov?: boolean;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

export type Request =
  | { id: number; kind: 'call'; module: string; exportName: string; arg: unknown; index: number }
  | { id: number; kind: 'setup'; module: string; exportName: string; config: unknown; optimizer: OptimizerSpec; backend: 'wasm' | 'cpu'; weightDecay: number }
  | { id: number; kind: 'grad'; batch: Batch; weight: number }
  | { id: number; kind: 'apply'; grads: Float32Array[] }
  | { id: number; kind: 'getWeights' }
  | { id: number; kind: 'setWeights'; weights: Float32Array[] }
  | { id: number; kind: 'setLearningRate'; learningRate: number }
  | { id: number; kind: 'getState' }
  | { id: number; kind: 'setState'; values: Float32Array[] }
  | { id: number; kind: 'getOptimizerWeights' }
  | { id: number; kind: 'setOptimizerWeights'; weights: NamedArray[] }
  | { id: number; kind: 'memory' };

/** A request before the pool assigns its id (Omit does not distribute over a union). */
export type RequestBody = Request extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

export type Response = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: { name: string; message: string; stack?: string } };
