import { parentPort } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import { ready } from '../backend.js';
import { adamPowerArrays, POWER_PREFIX, restoreAdamPowers, setLearningRate } from '../training/optimizers.js';
import type { ArrayPayload, Batch, NamedArray, OptimizerSpec, Request, Response } from './messages.js';
import type { TrainingSetup, TrainingTask } from './training-task.js';

/**
 * The thread side of WorkerPool. Each worker owns its own tfjs engine and wasm backend (module
 * state is per thread), which is how @aiffel gets both cores out of a single-threaded backend.
 */
if (parentPort === null) throw new Error('pool-worker must run inside a worker thread');
const port = parentPort;

const modules = new Map<string, Record<string, unknown>>();
let training: (TrainingSetup & { optimizer: tf.Optimizer; weightDecay: number }) | undefined;

async function load(module: string, exportName: string): Promise<unknown> {
  let mod = modules.get(module);
  if (mod === undefined) {
    mod = (await import(module)) as Record<string, unknown>;
    modules.set(module, mod);
  }
  const value = mod[exportName] ?? (mod.default as Record<string, unknown> | undefined)?.[exportName];
  if (value === undefined) throw new Error(`WorkerPool: ${module} has no export ${JSON.stringify(exportName)}`);
  return value;
}

function makeOptimizer(spec: OptimizerSpec): tf.Optimizer {
  switch (spec.name) {
    case 'sgd':
      return tf.train.sgd(spec.learningRate);
    case 'momentum':
      return tf.train.momentum(spec.learningRate, spec.momentum ?? 0.9, spec.nesterov ?? false);
    case 'adam':
      return tf.train.adam(spec.learningRate, spec.beta1 ?? 0.9, spec.beta2 ?? 0.999, spec.epsilon ?? 1e-7);
  }
}

function toTensor(p: ArrayPayload): tf.Tensor {
  const dtype = p.dtype ?? (p.data instanceof Int32Array ? 'int32' : 'float32');
  return tf.tensor(p.data as Float32Array | Int32Array, p.shape, dtype);
}

function requireTraining(): TrainingSetup & { optimizer: tf.Optimizer; weightDecay: number } {
  if (training === undefined) throw new Error('DataParallelTrainer: the worker has not been set up');
  return training;
}

async function handle(req: Request): Promise<{ value: unknown; transfer?: ArrayBuffer[] }> {
  switch (req.kind) {
    case 'call': {
      const fn = await load(req.module, req.exportName);
      if (typeof fn !== 'function') throw new Error(`WorkerPool: export ${req.exportName} of ${req.module} is not a function`);
      return { value: await (fn as (a: unknown, i: number) => unknown)(req.arg, req.index) };
    }
    case 'setup': {
      await ready({ backend: req.backend });
      const task = (await load(req.module, req.exportName)) as TrainingTask;
      if (typeof task?.setup !== 'function') throw new Error(`DataParallelTrainer: export ${req.exportName} of ${req.module} has no setup(config) function`);
      const setup = await task.setup(req.config);
      training = { ...setup, optimizer: makeOptimizer(req.optimizer), weightDecay: req.weightDecay ?? 0 };
      return { value: setup.variables.map((v) => v.shape) };
    }
    case 'grad': {
      const t = requireTraining();
      const tensors: Record<string, tf.Tensor> = {};
      for (const [k, v] of Object.entries(req.batch as Batch)) tensors[k] = toTensor(v);
      try {
        const { value, grads } = tf.variableGrads(() => t.loss(tensors), t.variables);
        // Each shard's gradient is weighted by its share of the batch, so the sum over workers
        // equals the full-batch mean gradient whatever the split.
        const out = t.variables.map((v) => {
          const g = grads[v.name];
          if (g === undefined) return new Float32Array(v.size);
          // L2 decay on kernels (rank >= 2, as the Trainer decays them): every replica holds the same
          // weights, so each adds its share and the sum over workers is exactly decay * w.
          const weighted = tf.tidy(() =>
            t.weightDecay > 0 && v.rank >= 2 ? tf.add(tf.mul(g, req.weight), tf.mul(v, t.weightDecay * req.weight)) : tf.mul(g, req.weight),
          );
          // A copy we own, so its buffer can be transferred to the main thread.
          const arr = (weighted.dataSync() as Float32Array).slice();
          weighted.dispose();
          return arr;
        });
        const loss = (await value.data())[0] as number;
        value.dispose();
        for (const g of Object.values(grads)) g.dispose();
        return { value: { loss, grads: out }, transfer: out.map((a) => a.buffer as ArrayBuffer) };
      } finally {
        for (const x of Object.values(tensors)) x.dispose();
      }
    }
    case 'apply': {
      const t = requireTraining();
      const named: tf.NamedTensorMap = {};
      t.variables.forEach((v, i) => {
        named[v.name] = tf.tensor(req.grads[i] as Float32Array, v.shape, 'float32');
      });
      t.optimizer.applyGradients(named);
      for (const g of Object.values(named)) g.dispose();
      return { value: null };
    }
    case 'getWeights': {
      const t = requireTraining();
      const out = t.variables.map((v) => (v.dataSync() as Float32Array).slice());
      return { value: out, transfer: out.map((a) => a.buffer as ArrayBuffer) };
    }
    case 'setWeights': {
      const t = requireTraining();
      t.variables.forEach((v, i) => {
        const value = tf.tensor(req.weights[i] as Float32Array, v.shape, 'float32');
        v.assign(value);
        value.dispose();
      });
      return { value: null };
    }
    case 'getState': {
      const out = (requireTraining().state ?? []).map((v) => (v.dataSync() as Float32Array).slice());
      return { value: out, transfer: out.map((a) => a.buffer as ArrayBuffer) };
    }
    case 'setState': {
      const state = requireTraining().state ?? [];
      if (req.values.length !== state.length)
        throw new Error(`DataParallelTrainer: setState got ${req.values.length} arrays for ${state.length} state variables`);
      state.forEach((v, i) => {
        const value = tf.tensor(req.values[i] as Float32Array, v.shape, 'float32');
        v.assign(value);
        value.dispose();
      });
      return { value: null };
    }
    case 'getOptimizerWeights': {
      const optimizer = requireTraining().optimizer;
      const named = await optimizer.getWeights();
      // As float32 (the iteration count is int32): one array type across the thread boundary.
      const out: NamedArray[] = named.map((w) => ({ name: w.name, data: Float32Array.from(w.tensor.dataSync()), shape: w.tensor.shape }));
      out.push(...adamPowerArrays(optimizer));
      return { value: out, transfer: out.map((a) => a.data.buffer as ArrayBuffer) };
    }
    case 'setOptimizerWeights': {
      const t = requireTraining();
      // Float32 copies of the slots; int32 iteration counts come back as float and are cast here.
      const slots = req.weights.filter((w) => !w.name.startsWith(POWER_PREFIX));
      const named = slots.map((w) => ({ name: w.name, tensor: tf.tensor(w.data, w.shape, 'float32') }));
      await t.optimizer.setWeights(named);
      restoreAdamPowers(t.optimizer, req.weights);
      return { value: null };
    }
    case 'memory': {
      const m = tf.memory();
      return { value: { numTensors: m.numTensors, numBytes: m.numBytes } };
    }
    case 'setLearningRate': {
      const t = requireTraining();
      setLearningRate(t.optimizer, req.learningRate);
      return { value: null };
    }
  }
}

function fail(id: number, err: Error): void {
  port.postMessage({ id, ok: false, error: { name: err?.name ?? 'Error', message: err?.message ?? String(err), stack: err?.stack } } satisfies Response);
}

port.on('message', (req: Request) => {
  handle(req).then(
    ({ value, transfer }) => {
      // A result that cannot be cloned (a function, a class instance with one) must fail this
      // request, not throw out of the handler and take the whole worker down.
      try {
        port.postMessage({ id: req.id, ok: true, value } satisfies Response, transfer ?? []);
      } catch (err) {
        fail(
          req.id,
          new TypeError(
            `WorkerPool: the task's result cannot be sent back to the main thread (${(err as Error).message}); return plain data, typed arrays or ArrayBuffers`,
          ),
        );
      }
    },
    (err: Error) => fail(req.id, err),
  );
});
