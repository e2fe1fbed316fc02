import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export interface Photo {
  id: string;
  image: string;
  /** Ground-truth mask (8-bit, 255 = person), when the data set has one. */
  mask?: string;
}

/**
 * The default photos: the sample pictures that ship inside the @vladmandic/face-api npm package
 * (demo/sample1.jpg ... sample6.jpg), so the example runs offline with no data folder.
 */
export function defaultPhotos(): Photo[] {
  const require = createRequire(import.meta.url);
  const dir = join(dirname(require.resolve('@vladmandic/face-api/package.json')), 'demo');
  return readdirSync(dir)
    .filter((f) => /^sample\d+\.jpg$/.test(f))
    .sort()
    .map((f) => ({ id: f.replace('.jpg', ''), image: join(dir, f) }));
}

/** A folder laid out like ../shared/data/portrait: manifest.csv (id, image, mask, ...), images/, masks/. */
export function datasetPhotos(dir: string): Photo[] {
  const manifest = join(dir, 'manifest.csv');
  if (!existsSync(manifest)) throw new Error(`--data: ${manifest} not found (expected manifest.csv with id,image,mask columns)`);
  const [header, ...rows] = readFileSync(manifest, 'utf8').trim().split(/\r?\n/);
  const cols = (header ?? '').split(',');
  const at = (name: string) => {
    const i = cols.indexOf(name);
    if (i < 0) throw new Error(`--data: manifest.csv has no ${name} column`);
    return i;
  };
  const [id, image, mask] = [at('id'), at('image'), at('mask')];
  return rows.map((line, n) => {
    const f = line.split(',');
    if (f.length < cols.length) throw new Error(`--data: manifest.csv row ${n + 2} has ${f.length} fields, expected ${cols.length}`);
    return { id: f[id] as string, image: join(dir, f[image] as string), mask: join(dir, f[mask] as string) };
  });
}
