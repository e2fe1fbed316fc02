import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { InteractionData } from './interactions.js';
import { isLastfm360k, LASTFM_360K, loadHetRec, loadLastfm360k } from './lastfm.js';
import { isMovieLens, loadMovieLens } from './movielens.js';
import { syntheticInteractions } from './synthetic.js';

export const FORMATS =
  'a MovieLens folder (ratings.csv + movies.csv of ml-latest-small / ml-25m / ml-32m, u.data of ml-100k, ratings.dat of ml-1m), a Last.fm HetRec folder (user_artists.dat) or the Last.fm-360K file (usersha1-artmbid-artname-plays.tsv, or its folder)';

/** Reads the interactions of whichever supported layout `path` (a folder or a file in it) holds. */
export async function loadInteractions(path: string | undefined): Promise<InteractionData> {
  if (path === undefined) return syntheticInteractions();
  if (!existsSync(path)) throw new RangeError(`--data ${path} does not exist`);
  const isDir = statSync(path).isDirectory();
  if (!isDir && isLastfm360k(path)) return loadLastfm360k(path);
  const dir = isDir ? path : dirname(path);
  if (isDir && existsSync(join(dir, LASTFM_360K))) return loadLastfm360k(join(dir, LASTFM_360K));
  if (existsSync(join(dir, 'user_artists.dat'))) return loadHetRec(dir);
  if (isMovieLens(dir)) return loadMovieLens(dir);
  throw new RangeError(`--data ${path}: expected ${FORMATS}; found no such file${isDir ? '' : ` beside ${basename(path)}`}`);
}
