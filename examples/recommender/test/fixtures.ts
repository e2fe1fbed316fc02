import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { syntheticInteractions } from '../src/synthetic.js';

/** The built-in listeners written in a downloaded format, so a test runs the real loaders end to end. */
function rows() {
  const d = syntheticInteractions(3);
  return Array.from(d.rows, (r, k) => ({
    user: d.users[r] as string,
    item: d.items[d.cols[k] as number] as string,
    value: d.values[k] as number,
    name: d.names.get(d.items[d.cols[k] as number] as string) as string,
  }));
}

/** ml-latest-small's layout: ratings.csv (stars from the play counts) and movies.csv with quoted titles. */
export function movieLensCsvFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ml-csv-'));
  const all = rows();
  const ids = new Map<string, number>();
  for (const r of all) if (!ids.has(r.item)) ids.set(r.item, ids.size + 1);
  const stars = (v: number) => Math.min(5, 0.5 * Math.ceil(v / 4) + 2.5);
  writeFileSync(
    join(dir, 'ratings.csv'),
    `userId,movieId,rating,timestamp\n${all.map((r) => `${r.user.slice(1)},${ids.get(r.item)},${stars(r.value)},964982703`).join('\n')}\n`,
  );
  const names = [...ids].map(([item, id]) => `${id},"${all.find((r) => r.item === item)?.name}, The (1995)",Comedy|Drama`);
  writeFileSync(join(dir, 'movies.csv'), `movieId,title,genres\n${names.join('\n')}\n`);
  return dir;
}

/** Last.fm-360K's layout: sha1-like user ids, often-missing MusicBrainz ids, names, plays; no header; a few dirty rows. */
export function lastfm360kFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'fm360-'));
  const all = rows();
  const lines = all.map((r, k) => `${r.user.padStart(40, '0')}\t${k % 3 ? `mbid-${r.item}` : ''}\t${r.name}\t${r.value}`);
  lines.splice(5, 0, `${'0'.repeat(40)}\t\t\t12`, `${'0'.repeat(40)}\tx\tsomeone\tmany`, `${'0'.repeat(40)}\tx\tnobody\t0`, 'a broken line');
  const file = join(dir, 'usersha1-artmbid-artname-plays.tsv');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}
