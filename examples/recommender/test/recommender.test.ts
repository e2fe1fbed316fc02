import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lastfm360kFile, movieLensCsvFolder } from './fixtures.js';

const here = new URL('..', import.meta.url).pathname;
const run = (args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', join(here, 'src/main.ts'), ...args], { cwd: here, encoding: 'utf8', timeout: 300_000 });
const json = (r: ReturnType<typeof run>) => {
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout.trim().split('\n').at(-1) as string);
};
const lastfm = join(here, '../../../shared/data/lastfm');

describe('recommender example', () => {
  it('on a Last.fm-360K file: reports the dirty rows, beats popularity, and recommends to --me with explanations', () => {
    const r = run(['--quick', '--data', lastfm360kFile(), '--me', 'jazz artist 1:40,jazz artist 2:20,JAZZ ARTIST 3:10']);
    const out = json(r);
    expect(out.skipped_rows).toBe(4);
    expect(r.stdout).toMatch(/left out 1 row: no artist name \(line 6\)/);
    expect(out.precision_at_10).toBeGreaterThan(out.popularity_precision_at_10);
    expect(out.me).toHaveLength(10);
    for (const rec of out.me) {
      // Folded in from three jazz artists: recommendations are other jazz artists, never the ones given.
      expect(rec.item).toMatch(/^jazz artist \d+$/);
      expect(['jazz artist 1', 'jazz artist 2', 'jazz artist 3']).not.toContain(rec.item);
      expect(rec.because.length).toBeGreaterThan(0);
      for (const b of rec.because) expect(['jazz artist 1', 'jazz artist 2', 'jazz artist 3']).toContain(b.item);
    }
    expect(out.recommend_ms.meanMs).toBeGreaterThan(0);
    expect(out.statistics.itemsPerUser.median).toBeGreaterThan(0);
  });

  it('on a MovieLens CSV folder, with the search and the flags given', () => {
    const out = json(run(['--quick', '--data', movieLensCsvFolder(), '--ratings', 'all', '--regularization', '0.1', '--iterations', '4']));
    expect(out.regularization).toBe(0.1);
    expect(out.iterations).toBe(4);
    expect(out.search.map((t: { regularization: number }) => t.regularization)).toEqual([0.1, 0.1]);
    expect(out.signal).toMatch(/every rating/);
    expect(out.precision_at_10).toBeGreaterThan(out.popularity_precision_at_10);
    expect(out.similar_to).toBeNull();
  });

  it("keeps given settings fixed and skips the search with --search off (the exercise's regularization)", () => {
    const out = json(run(['--quick', '--search', 'off', '--alpha', '2', '--factors', '8', '--seed', '0']));
    expect(out).toMatchObject({ factors: 8, alpha: 2, regularization: 0.01, search: null });
    expect(out.precision_at_10).toBeGreaterThan(out.popularity_precision_at_10);
  });

  it('prints the usage for a bad flag (exit 2) and one line for bad data or an unknown --me item (exit 1)', () => {
    for (const bad of [['--bogus'], ['--factors', '0'], ['--alpha=-1'], ['--ratings', 'some'], ['--search', 'maybe']]) {
      const r = run(bad);
      expect(r.status, bad.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/^recommender: /);
      expect(r.stderr).toContain('usage: npm run example -- recommender');
    }
    const missing = run(['--data', '/nonexistent-data']);
    expect(missing.status).toBe(1);
    expect(missing.stderr.trim()).toBe('recommender: --data /nonexistent-data does not exist');
    const me = run(['--quick', '--me', 'jazz artist 999:3']);
    expect(me.status).toBe(1);
    expect(me.stderr).toMatch(/^recommender: --me: no item named "jazz artist 999" in this data; did you mean "jazz artist/);
    expect(me.stderr).not.toMatch(/\n\s+at /);
  });

  it.skipIf(!existsSync(lastfm))('on HetRec Last.fm the tuned model beats popularity, and --me gets explained recommendations', () => {
    const out = json(run(['--quick', '--data', lastfm, '--me', 'coldplay:120,radiohead:50,the killers:40']));
    expect(out.precision_at_10).toBeGreaterThan(1.1 * out.popularity_precision_at_10);
    expect(out.similar).toHaveLength(10);
    expect(out.me.map((r: { item: string }) => r.item)).not.toContain('Coldplay');
  });
});
