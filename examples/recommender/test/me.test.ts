import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bm25Weight, CsrMatrix } from '@aiffel/sparse-als';
import { describe, expect, it } from 'vitest';
import { parseMe, resolveMe, weightedRow } from '../src/me.js';
import { signalFor } from '../src/model-search.js';

describe('--me', () => {
  it('parses "name:count" lists, names holding commas, and files', () => {
    expect(parseMe('coldplay:120, Crosby, Stills, Nash & Young:30,muse:2.5')).toEqual([
      { name: 'coldplay', count: 120 },
      { name: 'Crosby, Stills, Nash & Young', count: 30 },
      { name: 'muse', count: 2.5 },
    ]);
    const file = join(mkdtempSync(join(tmpdir(), 'me-')), 'me.txt');
    writeFileSync(file, 'Radiohead\t50\n\nAC/DC: 7\n');
    expect(parseMe(file)).toEqual([
      { name: 'Radiohead', count: 50 },
      { name: 'AC/DC', count: 7 },
    ]);
    expect(() => parseMe('coldplay')).toThrow(/--me: expected "name:count" entries separated by commas, got "coldplay"/);
    expect(() => parseMe('coldplay:0')).toThrow(/the count of "coldplay" must be positive/);
    expect(() => parseMe(' , ')).toThrow(/no "name:count" entries/);
    writeFileSync(file, 'Radiohead\n');
    expect(() => parseMe(file)).toThrow(/expected "name:count" on each line, got "Radiohead"/);
  });

  it('matches by normalised name or id, merges repeats, and suggests names for an unknown one', () => {
    const names = new Map([
      ['1', 'Star Wars: Episode IV - A New Hope (1977)'],
      ['2', 'Star Wars: Episode V - The Empire Strikes Back (1980)'],
      ['3', 'Fargo (1996)'],
    ]);
    const name = (id: string) => names.get(id) ?? id;
    expect(resolveMe(parseMe('FARGO (1996):4,3:1'), ['1', '2', '3'], name)).toEqual({ ids: ['3'], counts: [5] });
    expect(() => resolveMe(parseMe('Star Wars (1977):5'), ['1', '2', '3'], name)).toThrow(
      /no item named "Star Wars \(1977\)" in this data; did you mean "Star Wars: Episode IV - A New Hope \(1977\)", "Star Wars: Episode V/,
    );
  });

  it('weights the new row as the training rows are: BM25 with the appended row, MovieLens stars below 4 dropped', () => {
    const train = CsrMatrix.fromCoo(3, 4, [0, 0, 1, 2, 2], [0, 1, 1, 2, 3], [5, 1, 30, 2, 2]);
    const row = weightedRow(train, signalFor('plays', 'liked'), [1, 3], [10, 4]);
    const all = bm25Weight(CsrMatrix.fromCoo(4, 4, [0, 0, 1, 2, 2, 3, 3], [0, 1, 1, 2, 3, 1, 3], [5, 1, 30, 2, 2, 10, 4])).row(3);
    expect(Array.from(row.indices)).toEqual([1, 3]);
    expect(Array.from(row.values)).toEqual(Array.from(all.values));
    const liked = weightedRow(train, signalFor('ratings', 'liked'), [0, 1, 2], [5, 3, 4]);
    expect(Array.from(liked.indices)).toEqual([0, 2]);
    expect(Array.from(liked.values)).toEqual([1, 1]);
  });
});
