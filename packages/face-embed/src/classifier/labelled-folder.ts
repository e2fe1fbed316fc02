import { readdir, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { assertKnownOptions, typeError } from '@aiffel/runtime';
import type { AugmentOptions } from '../embed/augment.js';
import type { FaceBackbone, FaceEmbedder } from '../embed/face-embedder.js';
import { IMAGE_EXTENSIONS } from '../gallery/add-folder.js';

/** One photo of a labelled folder: its label, the plain descriptor and the augmented ones. */
export interface LabelledSample {
  file: string;
  label: string;
  descriptor: Float32Array;
  augmented: Float32Array[];
}

export interface LabelledFolder {
  samples: LabelledSample[];
  /** Photos left out, and why ('no face' or the decoding error). */
  skipped: { file: string; reason: string }[];
}

/**
 * Embeds a folder-per-class dataset (`dir/<label>/*.jpg`): the largest face of each photo, plus
 * `augment.copies` augmented versions when `augment` is given. Augmented copies stay attached to
 * their photo so a train / test split by photo never leaks them into the test set.
 */
export async function embedLabelledFolder(
  embedder: FaceEmbedder,
  dir: string,
  options: {
    augment?: AugmentOptions;
    /** Features to return: the 128-d descriptor (default) or the age / gender net's `appearance` (needs `ageGender: true`). */
    backbone?: FaceBackbone;
    /** Which sub-folders are classes. Default: all. */
    include?: (label: string) => boolean;
    onProgress?: (done: number, total: number, file: string) => void;
  } = {},
): Promise<LabelledFolder> {
  assertKnownOptions('embedLabelledFolder options', options, ['augment', 'backbone', 'include', 'onProgress']);
  if (options.include !== undefined && typeof options.include !== 'function')
    throw typeError('options.include', 'a function (label) => boolean', options.include);
  if (typeof dir !== 'string' || dir.length === 0) throw typeError('dir', 'a folder path', dir);
  const files: { file: string; label: string }[] = [];
  for (const label of (await readdir(dir)).sort()) {
    const sub = join(dir, label);
    if (!(await stat(sub)).isDirectory() || options.include?.(label) === false) continue;
    for (const f of (await readdir(sub)).sort()) if (IMAGE_EXTENSIONS.includes(extname(f).toLowerCase())) files.push({ file: join(label, f), label });
  }
  if (files.length === 0) throw new Error(`dir: ${dir} has no <label>/<image> files (expected one sub-folder per class)`);
  const out: LabelledFolder = { samples: [], skipped: [] };
  let done = 0;
  for (const { file, label } of files) {
    try {
      const r = await embedder.embedAugmented(join(dir, file), options.augment ?? { copies: 0 }, { backbone: options.backbone ?? 'descriptor' });
      const [plain, ...augmented] = r.descriptors;
      if (plain === undefined) out.skipped.push({ file, reason: 'no face' });
      else out.samples.push({ file, label, descriptor: plain, augmented });
    } catch (err) {
      out.skipped.push({ file, reason: (err as Error).message });
    }
    options.onProgress?.(++done, files.length, file);
  }
  return out;
}
