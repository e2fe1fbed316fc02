import { rangeError } from '@aiffel/core';

export type Id = string | number;

/**
 * Arbitrary ids (strings or numbers) to dense indices 0..size-1 and back, in first-seen order.
 * A matrix built through it has exactly `size` rows or columns, never max(id) + 1 (the classic
 * `csr_matrix((data, (row, col)))` bug when ids have gaps). Unknown ids throw; they are never
 * silently mapped or dropped.
 */
export class IdMap {
  private readonly index = new Map<Id, number>();
  private readonly list: Id[] = [];

  constructor(ids?: Iterable<Id>) {
    if (ids) for (const id of ids) this.add(id);
  }

  get size(): number {
    return this.list.length;
  }

  /** The index of `id`, adding it when new. */
  add(id: Id): number {
    const known = this.index.get(id);
    if (known !== undefined) return known;
    if (!((typeof id === 'string' && id.length > 0) || (typeof id === 'number' && Number.isFinite(id))))
      throw rangeError('id', 'a non-empty string or a finite number', id);
    this.index.set(id, this.list.length);
    this.list.push(id);
    return this.list.length - 1;
  }

  has(id: Id): boolean {
    return this.index.has(id);
  }

  /** The index of a known id; throws for an unknown one. */
  get(id: Id, name = 'id'): number {
    const i = this.index.get(id);
    if (i === undefined) throw new RangeError(`${name} ${JSON.stringify(id)} is unknown (not in the data the model was built from)`);
    return i;
  }

  /** The index of `id`, or -1. */
  find(id: Id): number {
    return this.index.get(id) ?? -1;
  }

  /** The id at a dense index. */
  id(index: number): Id {
    const v = this.list[index];
    if (v === undefined) throw rangeError('index', `an integer in [0, ${this.list.length - 1}]`, index);
    return v;
  }

  ids(): readonly Id[] {
    return this.list;
  }

  toJSON(): Id[] {
    return this.list.slice();
  }

  static fromJSON(json: unknown): IdMap {
    if (!Array.isArray(json)) throw rangeError('json', 'an array of ids', json);
    const m = new IdMap(json as Id[]);
    if (m.size !== json.length) throw new RangeError('json must not contain duplicate ids');
    return m;
  }
}
