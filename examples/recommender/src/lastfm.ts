import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { InteractionBuilder, type InteractionData, normalizeName } from './interactions.js';
import { fields, forEachLine } from './lines.js';

/** The Last.fm-360K file the exercise uses: user sha1, artist MusicBrainz id, artist name, plays; no header. */
export const LASTFM_360K = 'usersha1-artmbid-artname-plays.tsv';

/** HetRec 2011 Last.fm 2k: `user_artists.dat` (userID, artistID, weight) and `artists.dat` (names). */
export async function loadHetRec(dir: string): Promise<InteractionData> {
  const file = join(dir, 'user_artists.dat');
  const data = new InteractionBuilder(dir, 'plays');
  await forEachLine(file, (line, n) => {
    if (n === 1) return; // header
    const where = `${file} line ${n}`;
    const [u, a, w] = fields(line, '\t', 3, where);
    const v = Number(w);
    if (w === '' || !Number.isFinite(v) || v < 0) throw new RangeError(`${where}: play count ${JSON.stringify(w)} is not a non-negative number`);
    data.add(u as string, a as string, v);
  });
  const artists = join(dir, 'artists.dat');
  if (existsSync(artists))
    for (const line of readFileSync(artists, 'utf8').split(/\r?\n/).slice(1)) {
      const f = line.split('\t');
      if (f.length >= 2) data.names.set(f[0] as string, f[1] as string);
    }
  return data.build();
}

/**
 * Last.fm-360K, streamed. Artists are keyed by their normalised name, as the exercise does: a
 * third of the rows have no MusicBrainz id, and one artist often has several. The file's known
 * dirty rows (missing artist names, zero or non-numeric play counts, short lines) are left out
 * and counted by reason in `skipped`; rows of one user and one artist are summed by the matrix.
 */
export async function loadLastfm360k(file: string): Promise<InteractionData> {
  const data = new InteractionBuilder(file, 'plays');
  await forEachLine(file, (line, n) => {
    const f = line.split('\t');
    if (f.length !== 4) return data.skip(`${f.length} tab-separated fields instead of 4`, n);
    const [user, , artist, plays] = f as [string, string, string, string];
    if (user.trim() === '') return data.skip('no user id', n);
    const key = normalizeName(artist);
    if (key === '') return data.skip('no artist name', n);
    const v = Number(plays);
    if (plays.trim() === '' || !Number.isInteger(v) || v < 0) return data.skip('play count not a non-negative integer', n);
    if (v === 0) return data.skip('zero plays', n);
    if (!data.names.has(key)) data.names.set(key, artist.trim());
    data.add(user, key, v);
  });
  if (data.size === 0) throw new RangeError(`${file}: no usable rows (expected ${LASTFM_360K}'s user, artist id, artist name, plays columns)`);
  return data.build();
}

export function isLastfm360k(path: string): boolean {
  return basename(path) === LASTFM_360K || path.endsWith('.tsv');
}
