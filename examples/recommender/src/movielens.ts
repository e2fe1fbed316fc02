import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { InteractionBuilder, type InteractionData } from './interactions.js';
import { fields, forEachLine } from './lines.js';

/** The MovieLens layouts, newest first: which ratings file, its separator, and where the titles are. */
const LAYOUTS = [
  // ml-latest-small, ml-latest, ml-20m, ml-25m, ml-32m: CSV with a header; titles quoted when they hold commas.
  { ratings: 'ratings.csv', sep: ',', header: true, movies: 'movies.csv' },
  { ratings: 'u.data', sep: '\t', header: false, movies: 'u.item' }, // ml-100k
  { ratings: 'ratings.dat', sep: '::', header: false, movies: 'movies.dat' }, // ml-1m, ml-10m
  { ratings: 'ratings_sample100k.dat', sep: '::', header: false, movies: 'movies.dat' }, // our ml-1m sample
] as const;

export function isMovieLens(dir: string): boolean {
  return LAYOUTS.some((l) => existsSync(join(dir, l.ratings)));
}

/** Raw star ratings (0.5-5, or 1-5) with their titles; main.ts decides how stars become confidence. */
export async function loadMovieLens(dir: string): Promise<InteractionData> {
  const layout = LAYOUTS.find((l) => existsSync(join(dir, l.ratings)));
  if (!layout) throw new RangeError(`${dir}: no MovieLens ratings file (${LAYOUTS.map((l) => l.ratings).join(', ')})`);
  const file = join(dir, layout.ratings);
  const data = new InteractionBuilder(dir, 'ratings');
  await forEachLine(file, (line, n) => {
    const where = `${file} line ${n}`;
    const [u, i, r] = fields(line, layout.sep, 3, where);
    if (layout.header && n === 1) {
      if (u !== 'userId' || i !== 'movieId' || r !== 'rating')
        throw new RangeError(`${where}: expected the header userId,movieId,rating,timestamp, got ${JSON.stringify(line)}`);
      return;
    }
    const v = Number(r);
    if (r === '' || !Number.isFinite(v) || v < 0) throw new RangeError(`${where}: rating ${JSON.stringify(r)} is not a non-negative number`);
    data.add(u as string, i as string, v);
  });
  const movies = join(dir, layout.movies);
  if (existsSync(movies)) {
    if (layout.header) {
      const rows = parse(readFileSync(movies, 'utf8'), { columns: true, skip_empty_lines: true, relax_column_count: true }) as Record<string, string>[];
      for (const row of rows) if (row.movieId !== undefined && row.title !== undefined) data.names.set(row.movieId, row.title);
    } else {
      // The old layouts' titles are ISO-8859-1.
      const sep = layout.movies === 'u.item' ? '|' : '::';
      for (const line of readFileSync(movies, 'latin1').split(/\r?\n/)) {
        const f = line.split(sep);
        if (f.length >= 2) data.names.set(f[0] as string, f[1] as string);
      }
    }
  }
  return data.build();
}
