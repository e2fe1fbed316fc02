import { rangeError } from '@aiffel/core';
import { CsrMatrix } from './csr-matrix.js';
import { type Id, IdMap } from './id-map.js';

export interface FromRecordsOptions<R> {
  /** The user id of a record (a key of the record, or a function). */
  user: keyof R | ((r: R) => Id);
  item: keyof R | ((r: R) => Id);
  /** The interaction strength (key or function); default 1 per record. Duplicates are summed. */
  value?: keyof R | ((r: R) => number);
  /** Existing maps to index into (for example the model's, to build a test matrix). */
  users?: IdMap;
  items?: IdMap;
  /**
   * With given maps, a record whose id is not in them: 'error' (default) throws naming it;
   * 'report' leaves the record out and lists it in `unknown`. Without maps every id is added.
   */
  unknown?: 'error' | 'report';
}

/**
 * A users x items matrix from records with arbitrary ids. The shape comes from the id maps (the
 * number of distinct ids), never from the largest id.
 */
export function fromRecords<R>(
  records: Iterable<R>,
  options: FromRecordsOptions<R>,
): { matrix: CsrMatrix; users: IdMap; items: IdMap; unknown: { record: number; user?: Id; item?: Id }[] } {
  const pick = <T>(spec: keyof R | ((r: R) => T) | undefined, r: R): T | undefined =>
    spec === undefined ? undefined : typeof spec === 'function' ? (spec as (r: R) => T)(r) : (r[spec] as T);
  const fixedUsers = options.users !== undefined;
  const fixedItems = options.items !== undefined;
  const users = options.users ?? new IdMap();
  const items = options.items ?? new IdMap();
  const policy = options.unknown ?? 'error';
  if (policy !== 'error' && policy !== 'report') throw rangeError('options.unknown', "'error' or 'report'", policy);
  const rows: number[] = [];
  const cols: number[] = [];
  const vals: number[] = [];
  const unknown: { record: number; user?: Id; item?: Id }[] = [];
  let k = 0;
  for (const r of records) {
    const u = pick<Id>(options.user, r);
    const i = pick<Id>(options.item, r);
    // No coercion: Number('') is 0 and Number(true) is 1, so a wrong column would load as data.
    // Text read from a CSV is converted by the caller: `value: (r) => Number(r.plays)`.
    const v = options.value === undefined ? 1 : pick<unknown>(options.value as never, r);
    if (typeof v !== 'number' || !Number.isFinite(v))
      throw rangeError(
        `records[${k}] value`,
        typeof v === 'string' ? "a finite number (text such as '3' is not converted: pass value: (r) => Number(r.x))" : 'a finite number',
        v,
      );
    const ui = fixedUsers ? users.find(u as Id) : users.add(u as Id);
    const ii = fixedItems ? items.find(i as Id) : items.add(i as Id);
    if (ui < 0 || ii < 0) {
      if (policy === 'error') throw new RangeError(`records[${k}] has an unknown ${ui < 0 ? `user ${JSON.stringify(u)}` : `item ${JSON.stringify(i)}`}`);
      unknown.push({ record: k, ...(ui < 0 ? { user: u } : {}), ...(ii < 0 ? { item: i } : {}) });
    } else {
      rows.push(ui);
      cols.push(ii);
      vals.push(v);
    }
    k++;
  }
  return { matrix: CsrMatrix.fromCoo(users.size, items.size, rows, cols, vals), users, items, unknown };
}
