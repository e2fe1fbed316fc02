import type { Label } from './classification-report.js';

/**
 * What the hierarchy needs of a classifier: our gbm-ensemble forests and boosters, runtime's MLP,
 * face-embed's FaceClassifier and seq2seq-attn's SequenceClassifier all fit it. `fit` may be sync
 * or async; `predictProba` returns rows x classes, flat or one array per row, in `classes` order.
 */
export interface ProbabilisticClassifier<X = unknown, L extends Label = Label> {
  readonly classes: readonly L[];
  fit(x: X, y: L[]): unknown;
  predictProba(x: X): ArrayLike<number> | ArrayLike<number>[];
}

export interface HierarchicalOptions<X, L extends Label> {
  /** Group name -> the labels it holds (e.g. { static: [4, 5, 6], dynamic: [1, 2, 3] }). Every training label in exactly one group. */
  groups: Record<string, readonly L[]>;
  /** A fresh (unfitted) gate classifier over the group names. */
  gate: () => ProbabilisticClassifier<X, string>;
  /** A fresh classifier for one group's labels. */
  expert: (group: string) => ProbabilisticClassifier<X, L>;
  /** The rows of `x` at `rows`: needed unless x is an array of rows or a { data, rows, cols } matrix. */
  take?: (x: X, rows: Int32Array) => X;
  /**
   * 'soft' (default): P(label) = P(group) P(label | group), summed over groups, so a gate that is
   * unsure does not commit; 'hard': the gate's argmax group alone decides.
   */
  mode?: 'soft' | 'hard';
}

export interface HierarchicalPrediction<L extends Label> {
  group: string;
  groupProbability: number;
  label: L;
  /** P(label) under the mode: the product for 'hard', the mixture for 'soft'. */
  probability: number;
}

function rowsOf(p: ArrayLike<number> | ArrayLike<number>[], rows: number, k: number, who: string): (i: number, c: number) => number {
  if (Array.isArray(p) && (p.length === 0 || typeof p[0] === 'object')) {
    if (p.length !== rows) throw new RangeError(`${who}.predictProba must return ${rows} rows, got ${p.length}`);
    return (i, c) => (p[i] as ArrayLike<number>)[c] as number;
  }
  const flat = p as ArrayLike<number>;
  if (flat.length !== rows * k) throw new RangeError(`${who}.predictProba must return ${rows} x ${k} probabilities, got ${flat.length}`);
  return (i, c) => flat[i * k + c] as number;
}

function defaultTake<X>(x: X, idx: Int32Array): X {
  if (Array.isArray(x)) return Array.from(idx, (i) => x[i]) as X;
  const m = x as unknown as { data: ArrayLike<number> & { subarray?: unknown; constructor: new (n: number) => Float64Array }; rows: number; cols: number };
  if (m !== null && typeof m === 'object' && ArrayBuffer.isView(m.data) && Number.isInteger(m.rows) && Number.isInteger(m.cols)) {
    const out = new m.data.constructor(idx.length * m.cols);
    for (let r = 0; r < idx.length; r++) for (let c = 0; c < m.cols; c++) out[r * m.cols + c] = m.data[(idx[r] as number) * m.cols + c] as number;
    return { ...m, data: out, rows: idx.length } as unknown as X;
  }
  throw new TypeError('options.take is needed: x is neither an array of rows nor a { data, rows, cols } matrix');
}

const sizeOf = (x: unknown): number =>
  Array.isArray(x) ? x.length : typeof (x as { rows?: unknown })?.rows === 'number' ? ((x as { rows: number }).rows as number) : Number.NaN;

/**
 * A gate and one expert per group (the activity exercise's static / dynamic split; face scoring's
 * gender gate before the per-group score): the gate learns which group a row belongs to, each
 * expert learns the labels of its group from that group's rows only.
 */
export class HierarchicalClassifier<X = unknown, L extends Label = Label> {
  readonly groups: Record<string, readonly L[]>;
  readonly mode: 'soft' | 'hard';
  gate: ProbabilisticClassifier<X, string> | undefined;
  experts: Record<string, ProbabilisticClassifier<X, L>> = Object.create(null);
  /** Every label, sorted; predictProba's columns. */
  classes: L[] = [];
  private readonly groupOf = new Map<L, string>();

  constructor(private readonly options: HierarchicalOptions<X, L>) {
    if (options === null || typeof options !== 'object') throw new TypeError(`options must be an object, got ${String(options)}`);
    const known = ['groups', 'gate', 'expert', 'take', 'mode'];
    for (const k of Object.keys(options)) if (!known.includes(k)) throw new RangeError(`unknown option "${k}" (expected one of ${known.join(', ')})`);
    const { groups } = options;
    if (groups === null || typeof groups !== 'object' || Object.keys(groups).length < 2)
      throw new RangeError(`options.groups must be at least two { group: labels[] } entries, got ${JSON.stringify(groups)}`);
    for (const [g, labels] of Object.entries(groups)) {
      if (!Array.isArray(labels) || labels.length === 0)
        throw new RangeError(`options.groups.${g} must be a non-empty array of labels, got ${JSON.stringify(labels)}`);
      for (const l of labels) {
        const other = this.groupOf.get(l);
        if (other !== undefined) throw new RangeError(`options.groups: label ${String(l)} must be in one group, got ${other} and ${g}`);
        this.groupOf.set(l, g);
      }
    }
    if (typeof options.gate !== 'function') throw new TypeError('options.gate must be a function () => classifier');
    if (typeof options.expert !== 'function') throw new TypeError('options.expert must be a function (group) => classifier');
    this.mode = options.mode ?? 'soft';
    if (this.mode !== 'soft' && this.mode !== 'hard') throw new RangeError(`options.mode must be 'soft' or 'hard', got ${String(this.mode)}`);
    this.groups = groups;
  }

  /**
   * A hierarchy from classifiers fitted elsewhere (face scoring's gender gate and per-group score
   * heads): one expert per gate class. Groups here need not partition the labels (both genders
   * share the five score levels); `classes` is the union of the experts' labels.
   */
  static fromFitted<X, L extends Label>(
    gate: ProbabilisticClassifier<X, string>,
    experts: Record<string, ProbabilisticClassifier<X, L>>,
    mode: 'soft' | 'hard' = 'hard',
  ): HierarchicalClassifier<X, L> {
    if (gate === null || typeof gate !== 'object' || typeof gate.predictProba !== 'function')
      throw new TypeError('gate must be a fitted classifier with predictProba');
    if (gate.classes.length < 2) throw new RangeError(`gate must have at least 2 classes (fit it first), got ${gate.classes.length}`);
    const out: Record<string, ProbabilisticClassifier<X, L>> = Object.create(null);
    for (const g of gate.classes) {
      const e = experts?.[g];
      if (e === null || typeof e !== 'object' || typeof e.predictProba !== 'function')
        throw new RangeError(`experts.${g} must be a fitted classifier for every gate class, got ${String(e)}`);
      out[g] = e;
    }
    const groups = Object.fromEntries(gate.classes.map((g, i) => [g, [`\u0000${i}` as unknown as L]]));
    const h = new HierarchicalClassifier<X, L>({ groups, gate: () => gate, expert: (g) => out[g] as ProbabilisticClassifier<X, L>, mode });
    h.gate = gate;
    h.experts = out;
    const all = new Set<L>();
    for (const e of Object.values(out)) for (const c of e.classes) all.add(c);
    h.classes = [...all].sort((a, b) => (typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b))));
    return h;
  }

  /** Fits the gate on every row's group, then each expert on its group's rows (awaiting async fits). */
  async fit(x: X, y: readonly L[]): Promise<this> {
    if (!Array.isArray(y) || y.length === 0) throw new TypeError('y must be a non-empty array of labels');
    const n = sizeOf(x);
    if (Number.isFinite(n) && n !== y.length) throw new RangeError(`y must be ${n} labels (one per row of x), got ${y.length}`);
    const rowsByGroup = new Map<string, number[]>();
    const gateLabels = y.map((l, i) => {
      const g = this.groupOf.get(l);
      if (g === undefined) throw new RangeError(`y[${i}] must be a label of one of the groups (${[...this.groupOf.keys()].join(', ')}), got ${String(l)}`);
      const rows = rowsByGroup.get(g) ?? [];
      rowsByGroup.set(g, rows);
      rows.push(i);
      return g;
    });
    for (const g of Object.keys(this.groups)) if (!rowsByGroup.has(g)) throw new RangeError(`y must hold at least one row of group ${g}, got none`);
    const gate = this.options.gate();
    await gate.fit(x, gateLabels);
    const experts: Record<string, ProbabilisticClassifier<X, L>> = Object.create(null);
    const take = this.options.take ?? defaultTake;
    for (const [g, rows] of rowsByGroup) {
      const idx = Int32Array.from(rows);
      const labels = rows.map((i) => y[i] as L);
      const expert = this.options.expert(g);
      // A group with one label needs no expert model: it always answers that label.
      if (new Set(labels).size === 1) experts[g] = constant(labels[0] as L);
      else {
        await expert.fit(take(x, idx), labels);
        experts[g] = expert;
      }
    }
    this.gate = gate;
    this.experts = experts;
    this.classes = [...new Set(y)].sort((a, b) => (typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b))));
    return this;
  }

  private fitted(): ProbabilisticClassifier<X, string> {
    if (this.gate === undefined) throw new Error('HierarchicalClassifier: call fit() before predicting');
    return this.gate;
  }

  /** One pass of the gate and every expert: the gate's and experts' probabilities and their mixture. */
  private run(x: X) {
    const gate = this.fitted();
    const gp = gate.predictProba(x);
    const n = sizeOf(x);
    const rows = Number.isFinite(n) ? n : Array.isArray(gp) && typeof gp[0] === 'object' ? gp.length : gp.length / gate.classes.length;
    const g = rowsOf(gp, rows, gate.classes.length, 'gate');
    const at = new Map<L, number>(this.classes.map((c, i) => [c, i]));
    const K = this.classes.length;
    const mix = new Float64Array(rows * K);
    const expertP = new Map<string, (i: number, c: number) => number>();
    gate.classes.forEach((group, gi) => {
      const e = this.experts[group] as ProbabilisticClassifier<X, L>;
      const p = rowsOf(e.predictProba(x), rows, e.classes.length, `experts.${group}`);
      expertP.set(group, p);
      for (let i = 0; i < rows; i++) {
        for (const [c, label] of e.classes.entries()) {
          const j = i * K + (at.get(label) as number);
          mix[j] = (mix[j] as number) + g(i, gi) * p(i, c);
        }
      }
    });
    return { gate, rows, g, expertP, mix };
  }

  /** Per row: the gate's group and probability, the label and its probability. */
  predictDetailed(x: X): HierarchicalPrediction<L>[] {
    const { gate, rows, g, expertP, mix } = this.run(x);
    const K = this.classes.length;
    return Array.from({ length: rows }, (_, i) => {
      let gi = 0;
      for (let k = 1; k < gate.classes.length; k++) if (g(i, k) > g(i, gi)) gi = k;
      const group = gate.classes[gi] as string;
      if (this.mode === 'hard') {
        const e = this.experts[group] as ProbabilisticClassifier<X, L>;
        const p = expertP.get(group) as (i: number, c: number) => number;
        let li = 0;
        for (let c = 1; c < e.classes.length; c++) if (p(i, c) > p(i, li)) li = c;
        return { group, groupProbability: g(i, gi), label: e.classes[li] as L, probability: g(i, gi) * p(i, li) };
      }
      let best = 0;
      for (let c = 1; c < K; c++) if ((mix[i * K + c] as number) > (mix[i * K + best] as number)) best = c;
      return { group, groupProbability: g(i, gi), label: this.classes[best] as L, probability: mix[i * K + best] as number };
    });
  }

  /** Rows x classes probabilities (flat, row-major) in `classes` order: the gate-weighted mixture of the experts. */
  predictProba(x: X): Float64Array {
    return this.run(x).mix;
  }

  predict(x: X): L[] {
    return this.predictDetailed(x).map((p) => p.label);
  }
}

/** The expert of a one-label group. */
function constant<X, L extends Label>(label: L): ProbabilisticClassifier<X, L> {
  return {
    classes: [label],
    fit: () => undefined,
    predictProba: (x: X) => new Float64Array(sizeOf(x)).fill(1),
  };
}
