import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetMetadata } from 'hyparquet';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { describe, expect, it } from 'vitest';
import { fromRecords, ImplicitALS } from '../src/index.js';

const rank = 4;
const tmp = () => mkdtempSync(join(tmpdir(), 'spark-als-'));

/** Deterministic factors: row k of a table of small numbers. */
const factor = (k: number) => Array.from({ length: rank }, (_, j) => Math.fround(Math.sin(1 + k * 7 + j * 3) * 0.5));

/**
 * A model directory laid out exactly as Spark 3.5's ALSModel.save writes it: metadata JSON line
 * (class, timestamp, sparkVersion, uid, paramMap, defaultParamMap, rank), factor DataFrames as
 * snappy Parquet with Spark's schema (required int32 id, optional list<required float>) and row
 * metadata, one part file per partition, _SUCCESS markers and the .crc side files Hadoop adds.
 */
function sparkFixture(users: number[], items: number[], metadata: Record<string, unknown> = {}): string {
  const dir = tmp();
  mkdirSync(join(dir, 'metadata'));
  const paramMap = { blockSize: 4096, predictionCol: 'prediction', userCol: 'user', itemCol: 'item', coldStartStrategy: 'nan' };
  const meta = {
    class: 'org.apache.spark.ml.recommendation.ALSModel',
    timestamp: 1733140000000,
    sparkVersion: '3.5.1',
    uid: 'ALS_4f1e2b3c5d6a',
    paramMap,
    defaultParamMap: paramMap,
    rank,
    ...metadata,
  };
  writeFileSync(join(dir, 'metadata', 'part-00000'), `${JSON.stringify(meta)}\n`);
  writeFileSync(join(dir, 'metadata', '_SUCCESS'), '');
  writeFileSync(join(dir, 'metadata', '.part-00000.crc'), 'crc');
  const schema = [
    { name: 'spark_schema', num_children: 2 },
    { name: 'id', type: 'INT32', repetition_type: 'REQUIRED' },
    { name: 'features', repetition_type: 'OPTIONAL', converted_type: 'LIST', num_children: 1 },
    { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
    { name: 'element', type: 'FLOAT', repetition_type: 'REQUIRED' },
  ];
  const kvMetadata = [
    { key: 'org.apache.spark.version', value: '3.5.1' },
    {
      key: 'org.apache.spark.sql.parquet.row.metadata',
      value:
        '{"type":"struct","fields":[{"name":"id","type":"integer","nullable":false,"metadata":{}},{"name":"features","type":{"type":"array","elementType":"float","containsNull":false},"nullable":true,"metadata":{}}]}',
    },
  ];
  for (const [folder, ids, offset] of [
    ['userFactors', users, 0],
    ['itemFactors', items, 1000],
  ] as const) {
    mkdirSync(join(dir, folder));
    // Two partitions, ids not in order, as a cluster writes them.
    const half = Math.ceil(ids.length / 2);
    [ids.slice(half), ids.slice(0, half)].forEach((part, p) => {
      const name = `part-0000${p}-7d2c9a1e-5b1f-4c3e-9a0d-2f6e8b4c1a3d-c000.snappy.parquet`;
      const buf = parquetWriteBuffer({
        columnData: [
          { name: 'id', data: Int32Array.from(part) },
          { name: 'features', data: part.map((id) => factor(id + offset)) },
        ],
        schema: schema as never,
        kvMetadata,
      });
      writeFileSync(join(dir, folder, name), new Uint8Array(buf));
      writeFileSync(join(dir, folder, `.${name}.crc`), 'crc');
    });
    writeFileSync(join(dir, folder, '_SUCCESS'), '');
  }
  return dir;
}

const dot = (a: number[], b: number[]) => a.reduce((s, v, j) => s + v * (b[j] as number), 0);

describe('ImplicitALS.fromSparkModel', () => {
  const users = [12, 3, 40, 7, 25];
  const items = [101, 5, 77, 300, 8, 64, 9];

  it("reads Spark's ALSModel layout and recommends by the factors' dot products, ids ascending", async () => {
    const model = await ImplicitALS.fromSparkModel(sparkFixture(users, items));
    expect(model.users?.ids()).toEqual([3, 7, 12, 25, 40]);
    expect(model.items?.ids()).toEqual([5, 8, 9, 64, 77, 101, 300]);
    for (const u of users) {
      const expected = [...items].sort((a, b) => dot(factor(u), factor(b + 1000)) - dot(factor(u), factor(a + 1000))).slice(0, 3);
      const got = model.recommend(u, { n: 3 });
      expect(got.map((r) => r.id)).toEqual(expected);
      expect(got[0]?.score).toBeCloseTo(dot(factor(u), factor((expected[0] as number) + 1000)), 5);
    }
    expect(model.similarItems(77, { n: 2 })).toHaveLength(2);
  });

  it('takes the interactions (Spark ids) for filtering, explain and fold-in', async () => {
    const model = await ImplicitALS.fromSparkModel(sparkFixture(users, items), {
      interactions: { users: [3, 3, 7], items: [5, 77, 8], values: [2, 1, 4] },
      alpha: 2,
    });
    const recs = model.recommend(3, { n: 7 }).map((r) => r.id);
    expect(recs).toHaveLength(5);
    expect(recs).not.toContain(5);
    expect(recs).not.toContain(77);
    const e = model.explain(3, recs[0] as number);
    expect(e.contributions.map((c) => c.id).sort()).toEqual([5, 77]);
    expect(model.recommendFor({ items: [64, 9] }, { n: 2 })).toHaveLength(2);
    await expect(ImplicitALS.fromSparkModel(sparkFixture(users, items), { interactions: { users: [3], items: [999] } })).rejects.toThrow(
      /options.interactions.items\[0\] = 999 is not in the model's itemFactors/,
    );
  });

  it('round-trips exportParquet, restoring string ids, interactions and factors exactly', async () => {
    const records = [];
    for (let u = 0; u < 30; u++)
      for (let i = 0; i < 12; i++) if ((u * 7 + i * 3) % 5 < 2) records.push({ u: `user-${u}`, i: `artist-${i}`, v: 1 + ((u + i) % 9) });
    const { matrix, users: um, items: im } = fromRecords(records, { user: 'u', item: 'i', value: 'v' });
    const fitted = await new ImplicitALS({ factors: 6, iterations: 4, seed: 3 }).fit(matrix, { users: um, items: im });
    const dir = join(tmp(), 'model');
    await fitted.exportParquet(dir);
    expect(readdirSync(dir).sort()).toEqual(['interactions', 'itemFactors', 'itemIds', 'metadata', 'userFactors', 'userIds']);
    const back = await ImplicitALS.fromSparkModel(dir, { alpha: fitted.alpha, regularization: fitted.regularization });
    expect(back.users?.ids()).toEqual(um.ids());
    expect(back.items?.ids()).toEqual(im.ids());
    expect(Array.from(back.userFactors)).toEqual(Array.from(fitted.userFactors));
    expect(Array.from(back.itemFactors)).toEqual(Array.from(fitted.itemFactors));
    for (const u of ['user-0', 'user-17', 'user-29']) expect(back.recommend(u, { n: 5 })).toEqual(fitted.recommend(u, { n: 5 }));
    expect(back.explain('user-3', 'artist-4').score).toBeCloseTo(fitted.explain('user-3', 'artist-4').score, 10);
    await expect(fitted.exportParquet(dir)).rejects.toThrow(/already exists; pass \{ overwrite: true \}/);
    await fitted.exportParquet(dir, { overwrite: true });
    expect(readdirSync(join(dir, '..')).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it("writes Spark's own Parquet schema and metadata for integer ids (what ALSModel.load reads)", async () => {
    const model = await ImplicitALS.fromSparkModel(sparkFixture(users, items));
    const dir = join(tmp(), 'out');
    await model.exportParquet(dir);
    expect(existsSync(join(dir, 'userIds'))).toBe(false);
    const meta = JSON.parse(readFileSync(join(dir, 'metadata', 'part-00000'), 'utf8'));
    expect(meta).toMatchObject({ class: 'org.apache.spark.ml.recommendation.ALSModel', rank, paramMap: { userCol: 'user', itemCol: 'item' } });
    // ALSModel's own params only: Spark's reader refuses params the model does not have (rank, alpha and regParam belong to the estimator).
    expect(Object.keys(meta.paramMap).sort()).toEqual(['blockSize', 'coldStartStrategy', 'itemCol', 'predictionCol', 'userCol']);
    const part = readdirSync(join(dir, 'userFactors')).find((f) => f.endsWith('.snappy.parquet')) as string;
    const md = parquetMetadata(new Uint8Array(readFileSync(join(dir, 'userFactors', part))).buffer);
    expect(md.schema.map((s) => [s.name, s.type, s.repetition_type, s.converted_type])).toEqual([
      ['spark_schema', undefined, undefined, undefined],
      ['id', 'INT32', 'REQUIRED', undefined],
      ['features', undefined, 'OPTIONAL', 'LIST'],
      ['list', undefined, 'REPEATED', undefined],
      ['element', 'FLOAT', 'REQUIRED', undefined],
    ]);
    expect(md.key_value_metadata?.map((kv) => kv.key)).toContain('org.apache.spark.sql.parquet.row.metadata');
    const again = await ImplicitALS.fromSparkModel(dir);
    expect(again.recommend(12, { n: 7 })).toEqual(model.recommend(12, { n: 7 }));
  });

  it('refuses what is not a Spark ALSModel, naming the file and the field', async () => {
    await expect(ImplicitALS.fromSparkModel(tmp())).rejects.toThrow(/no metadata\/part-\* file/);
    await expect(
      ImplicitALS.fromSparkModel(sparkFixture(users, items, { class: 'org.apache.spark.ml.classification.LogisticRegressionModel' })),
    ).rejects.toThrow(/class must be org.apache.spark.ml.recommendation.ALSModel, got "org.apache.spark.ml.classification.Logis/);
    await expect(ImplicitALS.fromSparkModel(sparkFixture(users, items, { rank: 5 }))).rejects.toThrow(
      /userFactors features of id \d+ must be 5 numbers \(the metadata's rank\)/,
    );
    await expect(ImplicitALS.fromSparkModel(sparkFixture(users, items, { rank: 1e9 }))).rejects.toThrow(/metadata rank must be an integer in \[1, 4096\]/);
    const dup = sparkFixture([3, 3, 5], items);
    await expect(ImplicitALS.fromSparkModel(dup)).rejects.toThrow(/userFactors: id 3 appears twice/);
    const broken = sparkFixture(users, items);
    const part = readdirSync(join(broken, 'itemFactors')).find((f) => f.startsWith('part-')) as string;
    writeFileSync(join(broken, 'itemFactors', part), 'not parquet at all');
    await expect(ImplicitALS.fromSparkModel(broken)).rejects.toThrow(/itemFactors: .* is not a readable Parquet file/);
    const notJson = sparkFixture(users, items);
    writeFileSync(join(notJson, 'metadata', 'part-00000'), '{"class": ');
    await expect(ImplicitALS.fromSparkModel(notJson)).rejects.toThrow(/metadata\/part-00000: not JSON/);
    await expect(ImplicitALS.fromSparkModel(sparkFixture(users, items), { interactions: { users: [3], items: [5, 8] } })).rejects.toThrow(
      /options.interactions must be users, items/,
    );
    await expect(ImplicitALS.fromSparkModel(sparkFixture(users, items), { seed: 1 } as never)).rejects.toThrow(/unknown option "seed"/);
  });
});
