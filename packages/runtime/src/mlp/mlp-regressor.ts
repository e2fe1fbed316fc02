import { rangeError } from '../errors.js';
import { computeMetric } from '../training/metrics.js';
import { columnStats, toMatrix } from '../training/training-data.js';
import { MLPBase, savedOptions } from './mlp-base.js';
import { type MLPOptions, resolveMLPOptions } from './mlp-options.js';

export interface MLPRegressorOptions extends MLPOptions {
  /** Default 'mse'. */
  loss?: 'mse' | 'mae' | 'huber';
  /**
   * Train on targets scaled to mean 0 and std 1 and scale predictions back. Default true: a
   * target such as log(price) around 13 would otherwise take thousands of steps just to move the
   * output bias there, and early stopping would stop long before.
   */
  standardizeTarget?: boolean;
}

/** A multilayer perceptron for regression: a linear output and MSE (or MAE / Huber), as the course notes pair them. */
export class MLPRegressor extends MLPBase {
  readonly loss: 'mse' | 'mae' | 'huber';
  readonly standardizeTarget: boolean;
  private outputs = 1;
  private yMean: Float32Array = new Float32Array([0]);
  private yStd: Float32Array = new Float32Array([1]);

  constructor(options: MLPRegressorOptions = {}) {
    super(resolveMLPOptions('MLPRegressor options', options, ['loss', 'standardizeTarget']));
    this.loss = options.loss ?? 'mse';
    if (!['mse', 'mae', 'huber'].includes(this.loss)) throw rangeError('options.loss', "'mse', 'mae' or 'huber'", this.loss);
    this.standardizeTarget = options.standardizeTarget ?? true;
    if (typeof this.standardizeTarget !== 'boolean') throw rangeError('options.standardizeTarget', 'a boolean', this.standardizeTarget);
  }

  /** `X` rows, `y` one target per row (or rows of targets for several outputs). */
  async fit(X: unknown, y: unknown): Promise<this> {
    const x = toMatrix('X', X);
    const t = toMatrix('y', y);
    if (t.rows !== x.rows) throw rangeError('y length', `${x.rows} (one per row of X)`, t.rows);
    this.outputs = t.cols;
    ({ mean: this.yMean, std: this.yStd } = this.standardizeTarget
      ? columnStats(t)
      : { mean: new Float32Array(t.cols), std: new Float32Array(t.cols).fill(1) });
    const scaled = new Float32Array(t.data.length);
    for (let i = 0; i < t.data.length; i++) scaled[i] = ((t.data[i] as number) - (this.yMean[i % t.cols] as number)) / (this.yStd[i % t.cols] as number);
    await this.train(x, { ...t, data: scaled }, t.cols, this.loss, false);
    return this;
  }

  /** One prediction per row (rows x outputs, row-major, for several outputs). */
  predict(X: unknown): Float64Array {
    const r = this.raw(X);
    return Float64Array.from(r.data, (v, i) => v * (this.yStd[i % r.outputs] as number) + (this.yMean[i % r.outputs] as number));
  }

  /** R² of the predictions. */
  score(X: unknown, y: unknown): number {
    return computeMetric('r2', Float32Array.from(this.predict(X)), this.outputs, toMatrix('y', y).data);
  }

  async save(path: string): Promise<void> {
    await this.saveAs(path, 'regressor', {
      loss: this.loss,
      outputs: this.outputs,
      standardizeTarget: this.standardizeTarget,
      yMean: Array.from(this.yMean),
      yStd: Array.from(this.yStd),
    });
  }

  static async load(path: string): Promise<MLPRegressor> {
    const { header, mean, std, weights } = await MLPBase.readFile(path, 'regressor');
    const m = new MLPRegressor({ ...savedOptions(header), loss: header.loss as 'mse', standardizeTarget: header.standardizeTarget as boolean });
    const outputs = header.outputs;
    if (!Number.isInteger(outputs) || (outputs as number) < 1) throw rangeError(`${path} outputs`, 'a positive integer', outputs);
    m.outputs = outputs as number;
    const vec = (name: string, v: unknown, positive: boolean) => {
      if (!Array.isArray(v) || v.length !== outputs || !v.every((x) => typeof x === 'number' && Number.isFinite(x) && (!positive || x > 0)))
        throw rangeError(`${path} ${name}`, `${outputs} finite${positive ? ' positive' : ''} numbers`, v);
      return Float32Array.from(v);
    };
    m.yMean = vec('yMean', header.yMean, false);
    m.yStd = vec('yStd', header.yStd, true);
    m.restoreNetwork(header.inputs as number, m.outputs, mean, std, weights, path);
    return m;
  }
}
