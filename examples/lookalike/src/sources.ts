import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The sample photos inside the @vladmandic/face-api npm package (six group photos). */
export function samplePhotos(): string[] {
  const require = createRequire(import.meta.url);
  const dir = join(dirname(require.resolve('@vladmandic/face-api/package.json')), 'demo');
  return [1, 2, 3, 4, 5, 6].map((i) => join(dir, `sample${i}.jpg`));
}

export interface ManifestRow {
  file: string;
  identity: string;
  identities: string[];
  faces: 'single' | 'multiple';
}

/** ../shared/data/faces/manifest.csv: file, identity, identities_in_image, faces, ... */
export function readManifest(dir: string): ManifestRow[] {
  const path = join(dir, 'manifest.csv');
  if (!existsSync(path)) throw new Error(`--data: ${path} not found (expected manifest.csv with file,identity,identities_in_image,faces columns)`);
  const [header, ...lines] = readFileSync(path, 'utf8').trim().split(/\r?\n/);
  const cols = (header ?? '').split(',');
  const at = (name: string) => {
    const i = cols.indexOf(name);
    if (i < 0) throw new Error(`--data: ${path} has no ${name} column`);
    return i;
  };
  const [f, id, ids, faces] = [at('file'), at('identity'), at('identities_in_image'), at('faces')];
  return lines
    .map((l) => l.split(','))
    .map((c) => ({
      file: c[f] ?? '',
      identity: c[id] ?? '',
      identities: (c[ids] ?? '').split(';').filter(Boolean),
      faces: c[faces] === '1' ? ('single' as const) : ('multiple' as const),
    }))
    .filter((r) => r.file && existsSync(join(dir, r.file)));
}
