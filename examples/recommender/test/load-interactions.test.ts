import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { normalizeName } from '../src/interactions.js';
import { loadInteractions } from '../src/load-interactions.js';
import { syntheticInteractions } from '../src/synthetic.js';
import { lastfm360kFile, movieLensCsvFolder } from './fixtures.js';

const triples = (d: Awaited<ReturnType<typeof loadInteractions>>) => Array.from(d.rows, (r, k) => [d.users[r], d.items[d.cols[k] as number], d.values[k]]);

describe('loadInteractions', () => {
  it('reads MovieLens 100k and Last.fm HetRec layouts with names', async () => {
    const ml = mkdtempSync(join(tmpdir(), 'ml-'));
    writeFileSync(join(ml, 'u.data'), '1\t10\t5\t0\n2\t10\t3\t0\n');
    writeFileSync(join(ml, 'u.item'), Buffer.from('10|Caf\xe9 (1995)|x\n', 'latin1'));
    const a = await loadInteractions(ml);
    expect(a.kind).toBe('ratings');
    expect(triples(a)).toEqual([
      ['1', '10', 5],
      ['2', '10', 3],
    ]);
    expect(a.names.get('10')).toBe('Café (1995)');
    const fm = mkdtempSync(join(tmpdir(), 'fm-'));
    writeFileSync(join(fm, 'user_artists.dat'), 'userID\tartistID\tweight\n2\t51\t13883\n2\t52\t1\n');
    writeFileSync(join(fm, 'artists.dat'), 'id\tname\turl\tpictureURL\n51\tColdplay\tu\tp\n');
    const b = await loadInteractions(fm);
    expect(b.kind).toBe('plays');
    expect(Array.from(b.values)).toEqual([13883, 1]);
    expect(b.names.get('51')).toBe('Coldplay');
  });

  it('reads the MovieLens CSV layout (ml-latest-small, ml-25m, ml-32m) with quoted titles, from the folder or a file in it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mlcsv-'));
    writeFileSync(join(dir, 'ratings.csv'), 'userId,movieId,rating,timestamp\n1,1,4.0,964982703\n1,3,4.5,964981247\n7,1,0.5,1106635946\n');
    writeFileSync(
      join(dir, 'movies.csv'),
      'movieId,title,genres\n1,Toy Story (1995),Adventure|Animation\n3,"American President, The (1995)",Comedy|Drama|Romance\n',
    );
    for (const path of [dir, join(dir, 'ratings.csv'), join(dir, 'movies.csv')]) {
      const d = await loadInteractions(path);
      expect(d.kind).toBe('ratings');
      expect(triples(d)).toEqual([
        ['1', '1', 4],
        ['1', '3', 4.5],
        ['7', '1', 0.5],
      ]);
      expect(d.names.get('3')).toBe('American President, The (1995)');
    }
    writeFileSync(join(dir, 'ratings.csv'), 'user,movie,stars\n1,1,4\n');
    await expect(loadInteractions(dir)).rejects.toThrow(/ratings.csv line 1: expected the header userId,movieId,rating,timestamp/);
    writeFileSync(join(dir, 'ratings.csv'), 'userId,movieId,rating,timestamp\n1,1,four,0\n');
    await expect(loadInteractions(dir)).rejects.toThrow(/ratings.csv line 2: rating "four" is not a non-negative number/);
  });

  it('streams Last.fm-360K, keys artists by normalised name and reports every dirty row by reason', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fm360-'));
    const file = join(dir, 'usersha1-artmbid-artname-plays.tsv');
    const u = '00000c289a1829a808ac09c00daf10bc3c4e223b';
    writeFileSync(
      file,
      [
        `${u}\t3bd73256-3905-4f3a-97e2-8b341527f805\tbetty blowtorch\t2137`,
        `${u}\t\tColdplay\t100`,
        `${u}\tcc197bad-dc9c-440d-a5b5-d52ba2e14234\tcoldplay \t20`,
        `${u}\t\t\t12`,
        `${u}\tx\tmuse\tmany`,
        `${u}\tx\tmuse\t0`,
        'sep 20, 2008\tonly two',
        `${u}\tx\tmuse\t-3`,
      ].join('\n'),
    );
    for (const path of [file, dir]) {
      const d = await loadInteractions(path);
      expect(d.kind).toBe('plays');
      expect(triples(d)).toEqual([
        [u, 'betty blowtorch', 2137],
        [u, 'coldplay', 100],
        [u, 'coldplay', 20],
      ]);
      expect(d.names.get('coldplay')).toBe('Coldplay');
      expect(d.skipped).toEqual([
        { reason: 'no artist name', count: 1, lines: [4] },
        { reason: 'play count not a non-negative integer', count: 2, lines: [5, 8] },
        { reason: 'zero plays', count: 1, lines: [6] },
        { reason: '2 tab-separated fields instead of 4', count: 1, lines: [7] },
      ]);
    }
    writeFileSync(file, 'nothing\tuseful\n');
    await expect(loadInteractions(file)).rejects.toThrow(/no usable rows/);
  });

  it('rejects malformed lines and unknown folders, naming the line', async () => {
    const fm = mkdtempSync(join(tmpdir(), 'fm-'));
    writeFileSync(join(fm, 'user_artists.dat'), 'userID\tartistID\tweight\n2\t51\n');
    await expect(loadInteractions(fm)).rejects.toThrow(/user_artists.dat line 2: expected at least 3 fields/);
    writeFileSync(join(fm, 'user_artists.dat'), 'userID\tartistID\tweight\n2\t51\t-4\n');
    await expect(loadInteractions(fm)).rejects.toThrow(/line 2: play count "-4" is not a non-negative number/);
    await expect(loadInteractions(mkdtempSync(join(tmpdir(), 'empty-')))).rejects.toThrow(/expected a MovieLens folder/);
    await expect(loadInteractions('/no/such/place')).rejects.toThrow(/does not exist/);
  });

  it('the fixtures of the other tests load as their formats', async () => {
    const csv = await loadInteractions(movieLensCsvFolder());
    expect(csv.kind).toBe('ratings');
    const fm = await loadInteractions(dirname(lastfm360kFile()));
    expect(fm.skipped.map((s) => s.count)).toEqual([1, 1, 1, 1]);
  });

  it('normalises names and builds the synthetic set', () => {
    expect(normalizeName('  The   BEATLES ')).toBe('the beatles');
    expect(normalizeName('ｃｏｌｄｐｌａｙ')).toBe('coldplay');
    const s = syntheticInteractions();
    expect(s.users.length).toBe(2000);
    expect(s.rows.length).toBe(s.values.length);
  });
});
