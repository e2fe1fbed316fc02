import { rangeError, typeError } from '@aiffel/core';
import type { DenseMatrix } from './matrix-source.js';

export interface FeatureSpec {
  name: string;
  type: 'numeric' | 'categorical';
}

export interface SchemaJSON {
  features: FeatureSpec[];
  /** Per categorical feature: the values in code order (code i is values[i]). */
  dictionaries: Record<string, (string | number)[]>;
}

const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Turns records (`{ sqft: 1180, zipcode: '98178' }`) into a numeric matrix. Categorical values
 * (strings or numbers) get integer codes in order of first appearance while the schema learns
 * (fit); afterwards an unseen value becomes NaN, i.e. "missing", instead of a wrong code.
 * Missing numeric values are `null`, `undefined` or NaN.
 */
export class Schema {
  readonly features: FeatureSpec[];
  private readonly dictionaries = new Map<string, Map<string | number, number>>();

  constructor(features: FeatureSpec[]) {
    if (!Array.isArray(features) || features.length === 0) throw rangeError('schema features', 'a non-empty array of { name, type }', features);
    const seen = new Set<string>();
    this.features = features.map((f, i) => {
      if (f === null || typeof f !== 'object' || typeof f.name !== 'string' || f.name === '')
        throw typeError(`schema features[${i}].name`, 'a non-empty string', f?.name);
      if (FORBIDDEN.has(f.name)) throw rangeError(`schema features[${i}].name`, 'not a prototype key', f.name);
      if (f.type !== 'numeric' && f.type !== 'categorical') throw rangeError(`schema features[${i}].type`, "'numeric' or 'categorical'", f.type);
      if (seen.has(f.name)) throw rangeError(`schema features[${i}].name`, 'unique', f.name);
      seen.add(f.name);
      return { name: f.name, type: f.type };
    });
    for (const f of this.features) if (f.type === 'categorical') this.dictionaries.set(f.name, new Map());
  }

  get names(): string[] {
    return this.features.map((f) => f.name);
  }

  get categoricalIndices(): number[] {
    return this.features.flatMap((f, i) => (f.type === 'categorical' ? [i] : []));
  }

  /** Records to a row-major float64 matrix; `learn` adds unseen categories to the dictionaries. */
  toMatrix(records: readonly Record<string, unknown>[], learn: boolean, name = 'records'): DenseMatrix {
    if (!Array.isArray(records) || records.length === 0) throw rangeError(name, 'a non-empty array of records', records);
    const cols = this.features.length;
    const data = new Float64Array(records.length * cols);
    for (let r = 0; r < records.length; r++) {
      const rec = records[r];
      if (rec === null || typeof rec !== 'object' || Array.isArray(rec)) throw typeError(`${name}[${r}]`, 'an object', rec);
      for (let f = 0; f < cols; f++) {
        const spec = this.features[f] as FeatureSpec;
        const v = Object.hasOwn(rec, spec.name) ? rec[spec.name] : undefined;
        let x: number;
        if (v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v))) x = Number.NaN;
        else if (spec.type === 'numeric') {
          if (typeof v !== 'number' || !Number.isFinite(v)) throw typeError(`${name}[${r}].${spec.name}`, 'a finite number, null or NaN', v);
          x = v;
        } else {
          if (typeof v !== 'string' && typeof v !== 'number') throw typeError(`${name}[${r}].${spec.name}`, 'a string or number category', v);
          const dict = this.dictionaries.get(spec.name) as Map<string | number, number>;
          let code = dict.get(v);
          if (code === undefined && learn) {
            code = dict.size;
            dict.set(v, code);
          }
          x = code ?? Number.NaN;
        }
        data[r * cols + f] = x;
      }
    }
    return { data, rows: records.length, cols };
  }

  toJSON(): SchemaJSON {
    const dictionaries: Record<string, (string | number)[]> = {};
    for (const [k, m] of this.dictionaries) dictionaries[k] = [...m.keys()];
    return { features: this.features.map((f) => ({ ...f })), dictionaries };
  }

  static fromJSON(json: SchemaJSON): Schema {
    if (json === null || typeof json !== 'object' || !Array.isArray(json.features)) throw typeError('schema', 'a schema JSON object', json);
    const s = new Schema(json.features);
    for (const [name, dict] of s.dictionaries) {
      const values = json.dictionaries?.[name] ?? [];
      if (!Array.isArray(values)) throw typeError(`schema dictionaries.${name}`, 'an array', values);
      values.forEach((v, i) => {
        dict.set(v, i);
      });
    }
    return s;
  }
}

/** True when `x` looks like an array of records rather than rows. */
export function isRecords(x: unknown): x is Record<string, unknown>[] {
  return Array.isArray(x) && x.length > 0 && x[0] !== null && typeof x[0] === 'object' && !Array.isArray(x[0]) && !ArrayBuffer.isView(x[0]);
}
