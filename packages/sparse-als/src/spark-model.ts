import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { rangeError } from '@aiffel/core';

/**
 * Spark MLlib's ALSModel save directory (`model.write().save(path)`):
 *   metadata/part-00000        one JSON line: class, sparkVersion, uid, paramMap, rank
 *   userFactors/part-*.parquet id: int32, features: list<float> (one file per partition)
 *   itemFactors/part-*.parquet the same
 * Spark's reader needs only these; `interactions/`, `userIds/` and `itemIds/` are ours, written
 * by exportParquet for the way back (Spark ignores folders it does not know).
 */
export const SPARK_ALS_CLASS = 'org.apache.spark.ml.recommendation.ALSModel';
/** The largest rank accepted from a file (Spark's own limit is far above any real model). */
const MAX_RANK = 4096;

export interface SparkFactors {
  ids: number[];
  /** ids.length x rank, row-major. */
  data: Float32Array;
}

export interface SparkAlsFiles {
  rank: number;
  sparkVersion: string;
  uid: string;
  users: SparkFactors;
  items: SparkFactors;
  /** Original ids when the model was exported with non-integer ids (userIds/, itemIds/). */
  userNames?: Map<number, string>;
  itemNames?: Map<number, string>;
  interactions?: { users: Int32Array; items: Int32Array; values: Float32Array };
}

// hyparquet and hyparquet-writer are ES modules only: loaded on first use, so the CommonJS build
// of this package works on every Node 20 (require of an ES module needs 20.19+).
const reader = () => import('hyparquet');
const writer = () => import('hyparquet-writer');

async function partFiles(dir: string, what: string): Promise<string[]> {
  if (!existsSync(dir) || !(await stat(dir)).isDirectory()) throw new RangeError(`${what}: ${dir} is missing (not a Spark ALSModel save directory?)`);
  const files = (await readdir(dir)).filter((f) => /^part-.*\.parquet$/.test(f)).sort();
  if (files.length === 0) throw new RangeError(`${what}: no part-*.parquet file in ${dir}`);
  return files.map((f) => join(dir, f));
}

async function readRows(dir: string, what: string, columns: string[]): Promise<Record<string, unknown>[]> {
  const { asyncBufferFromFile, parquetReadObjects } = await reader();
  const rows: Record<string, unknown>[] = [];
  for (const file of await partFiles(dir, what)) {
    try {
      rows.push(...(await parquetReadObjects({ file: await asyncBufferFromFile(file), columns })));
    } catch (e) {
      throw new RangeError(`${what}: ${file} is not a readable Parquet file with columns ${columns.join(', ')} (${(e as Error).message})`);
    }
  }
  return rows;
}

async function readFactors(dir: string, what: string, rank: number): Promise<SparkFactors> {
  const rows = await readRows(dir, what, ['id', 'features']);
  rows.sort((a, b) => Number(a.id) - Number(b.id));
  const data = new Float32Array(rows.length * rank);
  const ids = rows.map((r, k) => {
    const id = typeof r.id === 'bigint' ? Number(r.id) : r.id;
    if (typeof id !== 'number' || !Number.isInteger(id)) throw rangeError(`${what} id`, 'an integer', r.id);
    if (k > 0 && id === Number(rows[k - 1]?.id)) throw new RangeError(`${what}: id ${id} appears twice`);
    const f = r.features;
    if (!Array.isArray(f) || f.length !== rank) throw rangeError(`${what} features of id ${id}`, `${rank} numbers (the metadata's rank)`, f);
    for (let j = 0; j < rank; j++) {
      const v = f[j];
      if (typeof v !== 'number' || !Number.isFinite(v)) throw rangeError(`${what} features of id ${id}[${j}]`, 'a finite number', v);
      data[k * rank + j] = v;
    }
    return id;
  });
  return { ids, data };
}

async function readNames(dir: string, what: string): Promise<Map<number, string> | undefined> {
  if (!existsSync(dir)) return undefined;
  return new Map((await readRows(dir, what, ['id', 'name'])).map((r) => [Number(r.id), String(r.name)]));
}

/** Reads and checks a Spark ALSModel directory (and our optional extra folders). */
export async function readSparkAls(dir: string): Promise<SparkAlsFiles> {
  const metaDir = join(dir, 'metadata');
  const metaFile = existsSync(metaDir) ? (await readdir(metaDir)).filter((f) => f.startsWith('part-')).sort()[0] : undefined;
  if (!metaFile) throw new RangeError(`${dir}: no metadata/part-* file (not a Spark ALSModel save directory?)`);
  const text = await readFile(join(metaDir, metaFile), 'utf8');
  if (text.length > 1_000_000) throw new RangeError(`${join(metaDir, metaFile)}: ${text.length} characters of metadata, expected one short JSON line`);
  let meta: { class?: unknown; rank?: unknown; sparkVersion?: unknown; uid?: unknown };
  try {
    meta = JSON.parse(text.split('\n')[0] as string);
  } catch (e) {
    throw new RangeError(`${join(metaDir, metaFile)}: not JSON (${(e as Error).message})`);
  }
  if (meta === null || typeof meta !== 'object') throw rangeError(`${join(metaDir, metaFile)}`, 'a JSON object', meta);
  if (meta.class !== SPARK_ALS_CLASS) throw rangeError(`${join(metaDir, metaFile)} class`, SPARK_ALS_CLASS, meta.class);
  const rank = meta.rank;
  if (typeof rank !== 'number' || !Number.isInteger(rank) || rank < 1 || rank > MAX_RANK)
    throw rangeError('metadata rank', `an integer in [1, ${MAX_RANK}]`, rank);
  const files: SparkAlsFiles = {
    rank,
    sparkVersion: String(meta.sparkVersion ?? ''),
    uid: String(meta.uid ?? ''),
    users: await readFactors(join(dir, 'userFactors'), 'userFactors', rank),
    items: await readFactors(join(dir, 'itemFactors'), 'itemFactors', rank),
    userNames: await readNames(join(dir, 'userIds'), 'userIds'),
    itemNames: await readNames(join(dir, 'itemIds'), 'itemIds'),
  };
  if (existsSync(join(dir, 'interactions'))) {
    const rows = await readRows(join(dir, 'interactions'), 'interactions', ['user', 'item', 'rating']);
    files.interactions = {
      users: Int32Array.from(rows, (r) => Number(r.user)),
      items: Int32Array.from(rows, (r) => Number(r.item)),
      values: Float32Array.from(rows, (r) => Number(r.rating)),
    };
  }
  return files;
}

// Spark's own Parquet schema for a DataFrame of (id: Int, features: Array[Float]): the id cannot
// be null, the array can (but not its elements), written as the standard three-level list.
const FACTOR_SCHEMA = [
  { name: 'spark_schema', num_children: 2 },
  { name: 'id', type: 'INT32', repetition_type: 'REQUIRED' },
  { name: 'features', repetition_type: 'OPTIONAL', converted_type: 'LIST', num_children: 1 },
  { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
  { name: 'element', type: 'FLOAT', repetition_type: 'REQUIRED' },
] as const;
const FACTOR_ROW_METADATA = JSON.stringify({
  type: 'struct',
  fields: [
    { name: 'id', type: 'integer', nullable: false, metadata: {} },
    { name: 'features', type: { type: 'array', elementType: 'float', containsNull: false }, nullable: true, metadata: {} },
  ],
});
/** The Spark version our metadata claims: its reader parses this to choose the params format. */
const WRITTEN_SPARK_VERSION = '3.5.0';

async function writePart(folder: string, build: (w: Awaited<ReturnType<typeof writer>>) => ArrayBuffer): Promise<void> {
  await mkdir(folder, { recursive: true });
  const w = await writer();
  await writeFile(join(folder, `part-00000-${randomBytes(16).toString('hex')}-c000.snappy.parquet`), new Uint8Array(build(w)));
  await writeFile(join(folder, '_SUCCESS'), '');
}

/**
 * Writes a Spark ALSModel directory Spark's `ALSModel.load` reads, plus `interactions/` (user,
 * item, rating) and, for non-integer ids, `userIds/` / `itemIds/` (id, name). It is built in a
 * temporary sibling folder and renamed into place, so a failure leaves no half-written model.
 */
export async function writeSparkAls(
  dir: string,
  model: {
    rank: number;
    users: SparkFactors;
    items: SparkFactors;
    userNames?: string[];
    itemNames?: string[];
    interactions: { users: Int32Array; items: Int32Array; values: Float32Array };
  },
  options: { overwrite?: boolean } = {},
): Promise<void> {
  if (existsSync(dir) && !options.overwrite) throw new RangeError(`${dir} already exists; pass { overwrite: true } to replace it`);
  const tmp = `${dir}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await mkdir(join(tmp, 'metadata'), { recursive: true });
    const uid = `ALS_${randomBytes(6).toString('hex')}`;
    const paramMap = { blockSize: 4096, coldStartStrategy: 'nan', itemCol: 'item', predictionCol: 'prediction', userCol: 'user' };
    await writeFile(
      join(tmp, 'metadata', 'part-00000'),
      `${JSON.stringify({ class: SPARK_ALS_CLASS, timestamp: Date.now(), sparkVersion: WRITTEN_SPARK_VERSION, uid, paramMap, defaultParamMap: paramMap, rank: model.rank })}\n`,
    );
    await writeFile(join(tmp, 'metadata', '_SUCCESS'), '');
    const kvMetadata = [
      { key: 'org.apache.spark.version', value: WRITTEN_SPARK_VERSION },
      { key: 'org.apache.spark.sql.parquet.row.metadata', value: FACTOR_ROW_METADATA },
    ];
    for (const [folder, f] of [
      ['userFactors', model.users],
      ['itemFactors', model.items],
    ] as const) {
      const rows = f.ids.map((_, k) => Array.from(f.data.subarray(k * model.rank, (k + 1) * model.rank)));
      await writePart(join(tmp, folder), (w) =>
        w.parquetWriteBuffer({
          columnData: [
            { name: 'id', data: Int32Array.from(f.ids) },
            { name: 'features', data: rows },
          ],
          schema: [...FACTOR_SCHEMA] as never,
          kvMetadata,
        }),
      );
    }
    for (const [folder, names] of [
      ['userIds', model.userNames],
      ['itemIds', model.itemNames],
    ] as const)
      if (names)
        await writePart(join(tmp, folder), (w) =>
          w.parquetWriteBuffer({
            columnData: [
              { name: 'id', data: Int32Array.from(names, (_, i) => i), type: 'INT32' },
              { name: 'name', data: names, type: 'STRING' },
            ],
          }),
        );
    const x = model.interactions;
    await writePart(join(tmp, 'interactions'), (w) =>
      w.parquetWriteBuffer({
        columnData: [
          { name: 'user', data: x.users, type: 'INT32' },
          { name: 'item', data: x.items, type: 'INT32' },
          { name: 'rating', data: x.values, type: 'FLOAT' },
        ],
      }),
    );
    if (existsSync(dir)) await rm(dir, { recursive: true });
    await rename(tmp, dir);
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
}
