import { rangeError } from '../errors.js';
import { computeMetric } from '../training/metrics.js';
import { toMatrix } from '../training/training-data.js';
import { MLPBase, savedOptions } from './mlp-base.js';
import { type MLPOptions, resolveMLPOptions } from './mlp-options.js';

export interface MLPRegressorOptions extends MLPOptions {
  /** Default 'mse'. */
  loss?: 'mse' | 'mae' | 'huber';
}

/** A multilayer perceptron for regression: a linear output and MSE (or MAE / Huber), as the course notes pair them. */
export class MLPRegressor extends MLPBase {
  readonly loss: 'mse' | 'mae' | 'huber';
  private outputs = 1;

  constructor(options: MLPRegressorOptions = {}) {
    super(resolveMLPOptions('MLPRegressor options', options, ['loss']));
    this.loss = options.loss ?? 'mse';
    if (!['mse', 'mae', 'huber'].includes(this.loss)) throw rangeError('options.loss', "'mse', 'mae' or 'huber'", this.loss);
  }

  /** `X` rows, `y` one target per row (or rows of targets for several outputs). */
  async fit(X: unknown, y: unknown): Promise<this> {
    const x = toMatrix('X', X);
    const t = toMatrix('y', y);
    if (t.rows !== x.rows) throw rangeError('y length', `${x.rows} (one per row of X)`, t.rows);
    this.outputs = t.cols;
    await this.train(x, t, t.cols, this.loss, false);
    return this;
  }

  /** One prediction per row (rows x outputs, row-major, for several outputs). */
  predict(X: unknown): Float64Array {
    return Float64Array.from(this.raw(X).data);
  }

  /** R² of the predictions. */
  score(X: unknown, y: unknown): number {
    const p = this.raw(X);
    return computeMetric('r2', p.data, p.outputs, toMatrix('y', y).data);
  }

  async save(path: string): Promise<void> {
    await this.saveAs(path, 'regressor', { loss: this.loss, outputs: this.outputs });
  }

  static async load(path: string): Promise<MLPRegressor> {
    const { header, mean, std, weights } = await MLPBase.readFile(path, 'regressor');
    const m = new MLPRegressor({ ...savedOptions(header), loss: header.loss as 'mse' });
    const outputs = header.outputs;
    if (!Number.isInteger(outputs) || (outputs as number) < 1) throw rangeError(`${path} outputs`, 'a positive integer', outputs);
    m.outputs = outputs as number;
    m.restoreNetwork(header.inputs as number, m.outputs, mean, std, weights, path);
    return m;
  }
}
