import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadInteractions, normalizeName, syntheticInteractions } from '../src/load-interactions.js';

describe('loadInteractions', () => {
  it('reads MovieLens 100k and Last.fm layouts with names', () => {
    const ml = mkdtempSync(join(tmpdir(), 'ml-'));
    writeFileSync(join(ml, 'u.data'), '1\t10\t5\t0\n2\t10\t3\t0\n');
    writeFileSync(join(ml, 'u.item'), Buffer.from('10|Caf\xe9 (1995)|x\n', 'latin1'));
    const a = loadInteractions(ml);
    expect(a.kind).toBe('ratings');
    expect(a.values).toEqual([5, 3]);
    expect(a.names.get('10')).toBe('Café (1995)');
    const fm = mkdtempSync(join(tmpdir(), 'fm-'));
    writeFileSync(join(fm, 'user_artists.dat'), 'userID\tartistID\tweight\n2\t51\t13883\n2\t52\t1\n');
    writeFileSync(join(fm, 'artists.dat'), 'id\tname\turl\tpictureURL\n51\tColdplay\tu\tp\n');
    const b = loadInteractions(fm);
    expect(b.kind).toBe('plays');
    expect(b.values).toEqual([13883, 1]);
    expect(b.names.get('51')).toBe('Coldplay');
  });

  it('rejects malformed lines and unknown folders, naming the line', () => {
    const fm = mkdtempSync(join(tmpdir(), 'fm-'));
    writeFileSync(join(fm, 'user_artists.dat'), 'userID\tartistID\tweight\n2\t51\n');
    expect(() => loadInteractions(fm)).toThrow(/user_artists.dat line 2: expected at least 3 fields/);
    writeFileSync(join(fm, 'user_artists.dat'), 'userID\tartistID\tweight\n2\t51\t-4\n');
    expect(() => loadInteractions(fm)).toThrow(/line 2: play count "-4" is not a non-negative number/);
    expect(() => loadInteractions(mkdtempSync(join(tmpdir(), 'empty-')))).toThrow(/expected a MovieLens folder/);
    expect(() => loadInteractions('/no/such/place')).toThrow(/does not exist/);
  });

  it('normalises names and builds the synthetic set', () => {
    expect(normalizeName('  The   BEATLES ')).toBe('the beatles');
    expect(normalizeName('ｃｏｌｄｐｌａｙ')).toBe('coldplay');
    const s = syntheticInteractions();
    expect(new Set(s.users).size).toBe(2000);
    expect(s.users.length).toBe(s.values.length);
  });
});
