import { readdir, stat } from 'node:fs/promises';
import { basename, extname, join, relative } from 'node:path';
import { assertKnownOptions, typeError } from '@aiffel/runtime';
import type { FaceEmbedder } from '../embed/face-embedder.js';
import type { FaceGallery } from './face-gallery.js';

export const IMAGE_EXTENSIONS = ['.jpg', '.jpeg', '.png', '.webp', '.avif', '.tif', '.tiff', '.gif'];

export interface AddFolderOptions {
  /** Called after each image with (done, total, file). */
  onProgress?: (done: number, total: number, file: string) => void;
  /** When a photo shows several faces: use the `'largest'` (default, reported) or `'skip'` it. */
  several?: 'largest' | 'skip';
}

export interface AddFolderReport {
  /** Entries added: file (relative to the folder), name and gallery id. */
  added: { file: string; name: string; id: number }[];
  /** Images not added and why ('no face', 'several faces', or the decoding error). */
  skipped: { file: string; reason: string }[];
  /** Images with several faces where the largest was used. */
  several: { file: string; faces: number }[];
}

/** Image files of a folder: `{ file, name }` with the name from the file stem or the sub-folder. */
export async function listFaceImages(dir: string): Promise<{ file: string; name: string }[]> {
  const out: { file: string; name: string }[] = [];
  const isImage = (f: string) => IMAGE_EXTENSIONS.includes(extname(f).toLowerCase());
  const top = (await readdir(dir)).sort();
  for (const entry of top) {
    const path = join(dir, entry);
    const s = await stat(path);
    if (s.isDirectory()) {
      for (const f of (await readdir(path)).sort()) if (isImage(f)) out.push({ file: join(path, f), name: entry });
    } else if (isImage(entry)) {
      out.push({ file: path, name: basename(entry, extname(entry)) });
    }
  }
  return out;
}

/**
 * Embeds every photo of `dir` into the gallery: top-level photos are named after their file stem,
 * photos in sub-folders after the folder (one identity per folder, any number of photos). Photos
 * without a face, unreadable files and (with `several: 'skip'`) group photos are reported, never
 * silently dropped.
 */
export async function addFolder(gallery: FaceGallery, embedder: FaceEmbedder, dir: string, options: AddFolderOptions = {}): Promise<AddFolderReport> {
  assertKnownOptions('addFolder options', options, ['onProgress', 'several']);
  if (typeof dir !== 'string' || dir.length === 0) throw typeError('dir', 'a folder path', dir);
  if (options.several !== undefined && options.several !== 'largest' && options.several !== 'skip')
    throw typeError('options.several', "'largest' or 'skip'", options.several);
  let files: { file: string; name: string }[];
  try {
    files = await listFaceImages(dir);
  } catch (err) {
    throw new Error(`dir: cannot list ${dir} (${(err as Error).message})`);
  }
  const report: AddFolderReport = { added: [], skipped: [], several: [] };
  let done = 0;
  for (const { file, name } of files) {
    const rel = relative(dir, file);
    try {
      const res = await embedder.embedLargest(file);
      if (res.face === undefined) report.skipped.push({ file: rel, reason: 'no face' });
      else if (res.status === 'several' && options.several === 'skip') report.skipped.push({ file: rel, reason: `several faces (${res.faces.length})` });
      else {
        if (res.status === 'several') report.several.push({ file: rel, faces: res.faces.length });
        const id = gallery.add(name, res.face.descriptor, { file: rel, box: res.face.box });
        report.added.push({ file: rel, name, id });
      }
    } catch (err) {
      report.skipped.push({ file: rel, reason: (err as Error).message });
    }
    options.onProgress?.(++done, files.length, rel);
  }
  return report;
}
