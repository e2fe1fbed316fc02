import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsrMatrix, fromRecords, IdMap } from '../src/index.js';

const triplets = fc.record({ rows: fc.integer({ min: 1, max: 8 }), cols: fc.integer({ min: 1, max: 8 }) }).chain(({ rows, cols }) =>
  fc.record({
    rows: fc.constant(rows),
    cols: fc.constant(cols),
    entries: fc.array(fc.tuple(fc.integer({ min: 0, max: rows - 1 }), fc.integer({ min: 0, max: cols - 1 }), fc.integer({ min: -5, max: 9 })), {
      maxLength: 40,
    }),
  }),
);

function dense(rows: number, cols: number, entries: [number, number, number][]): number[][] {
  const d = Array.from({ length: rows }, () => new Array<number>(cols).fill(0));
  for (const [r, c, v] of entries) (d[r] as number[])[c] = ((d[r] as number[])[c] as number) + v;
  return d;
}

function toDense(m: CsrMatrix): number[][] {
  return Array.from({ length: m.rows }, (_, r) => Array.from({ length: m.cols }, (_, c) => m.get(r, c)));
}

describe('CsrMatrix', () => {
  it('fromCoo sums duplicates and sorts columns; get, transpose and multiply match dense arithmetic', () => {
    fc.assert(
      fc.property(triplets, ({ rows, cols, entries }) => {
        const m = CsrMatrix.fromCoo(
          rows,
          cols,
          entries.map((e) => e[0]),
          entries.map((e) => e[1]),
          entries.map((e) => e[2]),
        );
        const d = dense(rows, cols, entries);
        expect(toDense(m)).toEqual(d);
        for (let r = 0; r < rows; r++) {
          const idx = Array.from(m.row(r).indices);
          expect(idx).toEqual([...new Set(idx)].sort((a, b) => a - b));
        }
        const t = m.transpose();
        expect(toDense(t)).toEqual(d[0]?.map((_, c) => d.map((row) => row[c] as number)));
        const k = 3;
        const w = Array.from({ length: cols * k }, (_, i) => (i % 5) - 2);
        const prod = m.multiply(w, k);
        for (let r = 0; r < rows; r++)
          for (let j = 0; j < k; j++)
            expect(prod[r * k + j]).toBeCloseTo(
              (d[r] as number[]).reduce((s, v, c) => s + v * (w[c * k + j] as number), 0),
              9,
            );
        return true;
      }),
    );
  });

  it('slices and selects rows, reports stats and drops stored zeros', () => {
    const m = CsrMatrix.fromCoo(4, 3, [0, 0, 2, 3, 3], [0, 2, 1, 0, 1], [1, 2, 3, 0, 5]);
    expect(toDense(m.sliceRows(2, 4))).toEqual([
      [0, 3, 0],
      [0, 5, 0],
    ]);
    expect(toDense(m.selectRows([3, 0]))).toEqual([
      [0, 5, 0],
      [1, 0, 2],
    ]);
    expect(m.stats()).toMatchObject({ rows: 4, cols: 3, nnz: 5, emptyRows: 1, emptyCols: 0, maxRowNnz: 2 });
    expect(m.eliminateZeros().nnz).toBe(4);
    expect(Array.from(m.rowCounts())).toEqual([2, 0, 1, 2]);
  });

  it('converts to and from ml-sparse-matrix shaped objects', () => {
    class FakeSparse {
      cells = new Map<string, number>();
      constructor(
        public rows: number,
        public columns: number,
      ) {}
      set(i: number, j: number, v: number) {
        this.cells.set(`${i},${j}`, v);
        return this;
      }
      forEachNonZero(cb: (i: number, j: number, v: number) => number) {
        for (const [k, v] of this.cells) {
          const [i, j] = k.split(',').map(Number) as [number, number];
          cb(i, j, v);
        }
      }
    }
    const m = CsrMatrix.fromCoo(3, 4, [0, 2, 2], [3, 0, 1], [1.5, 2, 3]);
    const back = CsrMatrix.fromMlSparse(m.toMlSparse(FakeSparse));
    expect(toDense(back)).toEqual(toDense(m));
  });

  it('rejects out-of-range indices, NaN values and inconsistent arrays', () => {
    expect(() => CsrMatrix.fromCoo(2, 2, [0, 2], [0, 0], [1, 1])).toThrow(/rowIdx\[1\] must be an integer in \[0, 1\], got 2/);
    expect(() => CsrMatrix.fromCoo(2, 2, [0], [0.5], [1])).toThrow(/colIdx\[0\] must be an integer/);
    expect(() => CsrMatrix.fromCoo(2, 2, [0], [0], [Number.NaN])).toThrow(/values\[0\] must be a finite number, got NaN/);
    expect(() => CsrMatrix.fromCoo(2, 2, [0, 1], [0], [1])).toThrow(/colIdx.length must be rowIdx.length = 2/);
    expect(() => new CsrMatrix(2, 2, Int32Array.of(0, 1), Int32Array.of(0), Float32Array.of(1))).toThrow(/indptr.length must be rows \+ 1 = 3/);
    expect(() => CsrMatrix.fromCoo(2, 2, [], [], []).get(2, 0)).toThrow(/i must be an integer in \[0, 1\], got 2/);
  });
});

describe('IdMap and fromRecords', () => {
  it('shapes the matrix by distinct ids, not by the largest id (gaps are fine)', () => {
    const records = [
      { user: 'u1', item: 1000, plays: 3 },
      { user: 'u2', item: 7, plays: 1 },
      { user: 'u1', item: 1000, plays: 2 },
    ];
    const { matrix, users, items } = fromRecords(records, { user: 'user', item: 'item', value: 'plays' });
    expect([matrix.rows, matrix.cols]).toEqual([2, 2]);
    expect(matrix.get(users.get('u1'), items.get(1000))).toBe(5);
    expect(items.id(1)).toBe(7);
    expect(() => users.get('nobody')).toThrow(/id "nobody" is unknown/);
    expect(IdMap.fromJSON(users.toJSON()).get('u2')).toBe(1);
    expect(() => IdMap.fromJSON(['a', 'a'])).toThrow(/duplicate ids/);
    expect(() => new IdMap(['']).size).toThrow(/id must be a non-empty string or a finite number/);
  });

  it('with fixed maps, unknown ids throw or are reported, never silently dropped', () => {
    const users = new IdMap(['a']);
    const items = new IdMap([1, 2]);
    const recs = [
      { u: 'a', i: 1 },
      { u: 'b', i: 2 },
      { u: 'a', i: 3 },
    ];
    expect(() => fromRecords(recs, { user: 'u', item: 'i', users, items })).toThrow(/records\[1\] has an unknown user "b"/);
    const r = fromRecords(recs, { user: 'u', item: 'i', users, items, unknown: 'report' });
    expect(r.matrix.nnz).toBe(1);
    expect(r.unknown).toEqual([
      { record: 1, user: 'b' },
      { record: 2, item: 3 },
    ]);
    expect(() => fromRecords([{ u: 'a', i: 1, v: 'x' }], { user: 'u', item: 'i', value: 'v' })).toThrow(/records\[0\] value must be a finite number/);
    // Text is not coerced ('' would become 0, true 1): the caller converts, as the message says.
    expect(() => fromRecords([{ u: 'a', i: 1, v: '3' }], { user: 'u', item: 'i', value: 'v' })).toThrow(
      /records\[0\] value must be a finite number \(text such as '3' is not converted: pass value: \(r\) => Number\(r.x\)\), got "3"/,
    );
    expect(() => fromRecords([{ u: 'a', i: 1, v: true }], { user: 'u', item: 'i', value: 'v' })).toThrow(/value must be a finite number, got true/);
    expect(fromRecords([{ u: 'a', i: 1, v: '3' }], { user: 'u', item: 'i', value: (r) => Number(r.v) }).matrix.get(0, 0)).toBe(3);
  });
});

describe('CsrMatrix constructor', () => {
  it('checks every invariant and names the array and position that break it', () => {
    // A decreasing row pointer used to pass and fail later with "Invalid typed array length: -4".
    expect(() => new CsrMatrix(3, 3, new Int32Array([0, 5, 1, 1]), new Int32Array(1), new Float32Array(1))).toThrow(
      /indptr\[1\] must be in \[indptr\[0\] = 0, nnz = 1\] \(row pointers never decrease\), got 5/,
    );
    expect(() => new CsrMatrix(2, 3, Int32Array.of(0, 1, 0), Int32Array.of(0), Float32Array.of(1))).toThrow(/indptr must start at 0 and end at nnz/);
    expect(() => new CsrMatrix(3, 3, Int32Array.of(0, 1, 0, 1), Int32Array.of(0), Float32Array.of(1))).toThrow(/indptr\[2\] must be in \[indptr\[1\] = 1/);
    expect(() => new CsrMatrix(1, 3, new Int32Array([0, 1]), Int32Array.of(3), Float32Array.of(1))).toThrow(/indices\[0\] must be a column in \[0, 2\]/);
    expect(() => new CsrMatrix(1, 3, new Int32Array([0, 2]), Int32Array.of(2, 1), Float32Array.of(1, 1))).toThrow(
      /indices\[1\] must be a column .* above the previous one/,
    );
    expect(() => new CsrMatrix(1, 3, new Int32Array([0, 1]), Int32Array.of(0), Float32Array.of(Number.NaN))).toThrow(
      /data\[0\] must be a finite value \(row 0, column 0\), got NaN/,
    );
    expect(() => new CsrMatrix(1, 3, [0, 1] as never, Int32Array.of(0), Float32Array.of(1))).toThrow(/indptr must be an Int32Array/);
    expect(new CsrMatrix(2, 3, Int32Array.of(0, 1, 1), Int32Array.of(2), Float32Array.of(4)).get(0, 2)).toBe(4);
  });
});
