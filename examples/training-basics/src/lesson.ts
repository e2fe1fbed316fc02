import { f1Score, GradientBoostingClassifier, GradientBoostingRegressor, rocAuc } from '@aiffel/gbm-ensemble';
import {
  cosineAnnealing,
  cosineAnnealingWarmRestarts,
  type LrSchedule,
  MLPClassifier,
  MLPRegressor,
  stepDecay,
  type TrainingLog,
  type TrainingProgress,
} from '@aiffel/runtime';
import { imputeMedians, type Split, splitTable } from './split.js';
import type { Table } from './tables.js';

export interface LessonSettings {
  epochs: number;
  learningRate: number;
  batchSize: number;
  hidden: number[];
  patience: number;
  seed: number;
  onProgress?: (p: TrainingProgress, schedule: string) => void;
}

export interface ScheduleRun {
  schedule: string;
  log: TrainingLog;
  test: Record<string, number>;
  seconds: number;
}

export interface LessonResult {
  table: Table;
  split: Split;
  imputed: number;
  head: string;
  runs: ScheduleRun[];
  gbm: { test: Record<string, number>; seconds: number };
}

/** The four schedules of the course notes, for `epochs` epochs from `lr`. */
export function schedules(lr: number, epochs: number): [string, LrSchedule | undefined][] {
  return [
    ['constant', undefined],
    [`StepLR (x0.1 every ${Math.max(1, Math.round(epochs / 3))})`, stepDecay(lr, Math.max(1, Math.round(epochs / 3)), 0.1)],
    [`cosine annealing (${epochs})`, cosineAnnealing(lr, epochs, lr / 100)],
    [`warm restarts (T0 ${Math.max(1, Math.round(epochs / 7))}, x2)`, cosineAnnealingWarmRestarts(lr, Math.max(1, Math.round(epochs / 7)), 2, lr / 100)],
  ];
}

const HEADS = {
  regression: 'linear output + MSE',
  binary: 'one sigmoid output + binary cross-entropy',
  multiclass: 'softmax outputs + cross-entropy',
};

function scores(t: Table, truth: number[], pred: number[], proba?: Float64Array): Record<string, number> {
  if (t.kind === 'regression') {
    let se = 0;
    let tot = 0;
    const mean = truth.reduce((a, b) => a + b, 0) / truth.length;
    truth.forEach((v, i) => {
      se += (v - (pred[i] as number)) ** 2;
      tot += (v - mean) ** 2;
    });
    return { rmse: Math.sqrt(se / truth.length), r2: 1 - se / tot };
  }
  const accuracy = truth.filter((v, i) => v === pred[i]).length / truth.length;
  if (t.kind === 'binary')
    return {
      accuracy,
      auc: rocAuc(
        truth,
        Float64Array.from({ length: truth.length }, (_, i) => proba?.[2 * i + 1] as number),
      ),
    };
  return { accuracy, macro_f1: f1Score(truth, pred, { average: 'macro' }) };
}

/**
 * One task of the lesson: the head and loss the task needs, the same MLP trained under each
 * schedule with early stopping on a validation hold-out of the training rows, and gradient
 * boosting on the same split, all scored on the same held-out rows.
 */
export async function runLesson(table: Table, s: LessonSettings): Promise<LessonResult> {
  const split = splitTable(table, s.seed);
  const { X, filled } = imputeMedians(table.X, split.train);
  const Xtr = split.train.map((i) => X[i] as number[]);
  const Xte = split.test.map((i) => X[i] as number[]);
  const ytr = split.train.map((i) => table.y[i] as number);
  const yte = split.test.map((i) => table.y[i] as number);
  const runs: ScheduleRun[] = [];
  for (const [name, schedule] of schedules(s.learningRate, s.epochs)) {
    const t0 = performance.now();
    const options = {
      hiddenLayerSizes: s.hidden,
      batchNorm: true,
      learningRate: s.learningRate,
      epochs: s.epochs,
      batchSize: s.batchSize,
      validationFraction: 0.15,
      patience: s.patience,
      seed: s.seed,
      ...(schedule && { schedule }),
      ...(s.onProgress && { onProgress: (p: TrainingProgress) => s.onProgress?.(p, name) }),
    };
    let test: Record<string, number>;
    let log: TrainingLog;
    if (table.kind === 'regression') {
      const m = await new MLPRegressor(options).fit(Xtr, ytr);
      test = scores(table, yte, Array.from(m.predict(Xte)));
      log = m.log as TrainingLog;
      m.dispose();
    } else {
      const m = await new MLPClassifier<number>(options).fit(Xtr, ytr);
      test = scores(table, yte, m.predict(Xte), m.predictProba(Xte));
      log = m.log as TrainingLog;
      m.dispose();
    }
    runs.push({ schedule: name, log, test, seconds: (performance.now() - t0) / 1000 });
  }
  const t0 = performance.now();
  const gbmOptions = { nEstimators: 300, learningRate: 0.05, numLeaves: 31, seed: s.seed };
  let gbmTest: Record<string, number>;
  if (table.kind === 'regression') {
    const g = new GradientBoostingRegressor(gbmOptions);
    g.fit(Xtr, ytr);
    gbmTest = scores(table, yte, Array.from(g.predict(Xte)));
  } else {
    const g = new GradientBoostingClassifier<number>(gbmOptions);
    g.fit(Xtr, ytr);
    gbmTest = scores(table, yte, Array.from(g.predict(Xte)), g.predictProba(Xte));
  }
  return { table, split, imputed: filled, head: HEADS[table.kind], runs, gbm: { test: gbmTest, seconds: (performance.now() - t0) / 1000 } };
}
