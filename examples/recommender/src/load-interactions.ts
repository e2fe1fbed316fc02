import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Interactions with their item names, whatever the source format. */
export interface InteractionData {
  source: string;
  /** 'plays' (Last.fm counts, used as is) or 'ratings' (MovieLens; 4 and 5 count as liked). */
  kind: 'plays' | 'ratings' | 'synthetic';
  users: string[];
  items: string[];
  values: number[];
  /** item id -> display name */
  names: Map<string, string>;
}

/** Lower-case, Unicode-normalised (NFKC), single-spaced: "  CØLDPLAY " and "coldplay" do not match, "Coldplay" and "coldplay " do. */
export function normalizeName(s: string): string {
  return s.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

function lines(path: string, encoding: BufferEncoding = 'utf8'): string[] {
  return readFileSync(path, encoding)
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '');
}

/** Splits a line into at least `min` fields, naming the file and line when it has fewer. */
function fields(line: string, sep: string, min: number, where: string): string[] {
  const f = line.split(sep);
  if (f.length < min) throw new RangeError(`${where}: expected at least ${min} fields separated by ${JSON.stringify(sep)}, got ${f.length}`);
  return f;
}

function movielens(dir: string): InteractionData {
  const is100k = existsSync(join(dir, 'u.data'));
  const ratingsFile = is100k ? join(dir, 'u.data') : existsSync(join(dir, 'ratings.dat')) ? join(dir, 'ratings.dat') : join(dir, 'ratings_sample100k.dat');
  const sep = is100k ? '\t' : '::';
  const data: InteractionData = { source: dir, kind: 'ratings', users: [], items: [], values: [], names: new Map() };
  lines(ratingsFile).forEach((l, k) => {
    const [u, i, r] = fields(l, sep, 3, `${ratingsFile} line ${k + 1}`);
    const v = Number(r);
    if (!Number.isFinite(v)) throw new RangeError(`${ratingsFile} line ${k + 1}: rating ${JSON.stringify(r)} is not a number`);
    data.users.push(u as string);
    data.items.push(i as string);
    data.values.push(v);
  });
  // MovieLens titles are ISO-8859-1.
  const itemFile = is100k ? join(dir, 'u.item') : join(dir, 'movies.dat');
  if (existsSync(itemFile))
    for (const l of lines(itemFile, 'latin1')) {
      const f = l.split(is100k ? '|' : '::');
      if (f.length >= 2) data.names.set(f[0] as string, f[1] as string);
    }
  return data;
}

function lastfm(dir: string): InteractionData {
  const file = join(dir, 'user_artists.dat');
  const data: InteractionData = { source: dir, kind: 'plays', users: [], items: [], values: [], names: new Map() };
  lines(file)
    .slice(1)
    .forEach((l, k) => {
      const [u, a, w] = fields(l, '\t', 3, `${file} line ${k + 2}`);
      const v = Number(w);
      if (!Number.isFinite(v) || v < 0) throw new RangeError(`${file} line ${k + 2}: play count ${JSON.stringify(w)} is not a non-negative number`);
      data.users.push(u as string);
      data.items.push(a as string);
      data.values.push(v);
    });
  const artists = join(dir, 'artists.dat');
  if (existsSync(artists))
    for (const l of lines(artists).slice(1)) {
      const f = l.split('\t');
      if (f.length >= 2) data.names.set(f[0] as string, f[1] as string);
    }
  return data;
}

/** 2,000 users and 300 items in 6 taste groups, with play counts: runs anywhere, no files. */
export function syntheticInteractions(seed = 1): InteractionData {
  let s = seed >>> 0;
  const rand = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
  const data: InteractionData = { source: 'built-in synthetic', kind: 'synthetic', users: [], items: [], values: [], names: new Map() };
  const groups = ['jazz', 'metal', 'pop', 'classical', 'hip-hop', 'folk'];
  for (let i = 0; i < 300; i++) data.names.set(`a${i}`, `${groups[i % 6]} artist ${Math.floor(i / 6) + 1}`);
  for (let u = 0; u < 2000; u++) {
    const taste = u % 6;
    const n = 5 + Math.floor(rand() * 25);
    const seen = new Set<number>();
    for (let k = 0; k < n; k++) {
      // 85% of plays within the user's taste group, popular artists (low numbers) more often.
      const group = rand() < 0.85 ? taste : Math.floor(rand() * 6);
      const i = group + 6 * Math.floor(50 * rand() ** 2);
      if (seen.has(i)) continue;
      seen.add(i);
      data.users.push(`u${u}`);
      data.items.push(`a${i}`);
      data.values.push(1 + Math.floor(-Math.log(rand() || 1e-9) * 20));
    }
  }
  return data;
}

export function loadInteractions(path: string | undefined): InteractionData {
  if (path === undefined) return syntheticInteractions();
  if (!existsSync(path)) throw new RangeError(`--data ${path} does not exist`);
  const dir = statSync(path).isDirectory() ? path : join(path, '..');
  if (existsSync(join(dir, 'user_artists.dat'))) return lastfm(dir);
  if (existsSync(join(dir, 'u.data')) || existsSync(join(dir, 'ratings.dat')) || existsSync(join(dir, 'ratings_sample100k.dat'))) return movielens(dir);
  throw new RangeError(`--data ${path}: expected a MovieLens folder (u.data or ratings.dat) or a Last.fm HetRec folder (user_artists.dat)`);
}
