import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { decodeImage } from '@aiffel/runtime';

export const CLASS_NAMES = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'];

/** Images as interleaved RGB bytes, 32x32x3 each, and their class ids. */
export interface ImageSet {
  pixels: Uint8Array;
  labels: number[];
}

/**
 * CIFAR-10 from ../shared/data/cifar10/png-batches: each PNG strip is 1024 x 1000, row r one
 * 32x32 image (pixel p at y = p / 32, x = p % 32); labels.csv names file, row, label and split.
 */
export async function loadCifar(dir: string, limit = Number.POSITIVE_INFINITY): Promise<{ train: ImageSet; test: ImageSet }> {
  const csv = join(dir, 'labels.csv');
  if (!existsSync(csv)) throw new Error(`--data: ${dir} has no labels.csv (expected the cifar10/png-batches folder of ../shared/data)`);
  const lines = readFileSync(csv, 'utf8').trim().split('\n');
  const header = lines[0]?.split(',') ?? [];
  const col = (name: string): number => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`${join(dir, 'labels.csv')}: no column "${name}"`);
    return i;
  };
  const [fFile, fRow, fLabel, fSplit] = [col('file'), col('row'), col('label'), col('split')];
  const bySplit: Record<string, { file: string; row: number; label: number }[]> = { train: [], test: [] };
  lines.slice(1).forEach((line, i) => {
    const f = line.split(',');
    const label = Number(f[fLabel]);
    const row = Number(f[fRow]);
    if (!Number.isInteger(label) || label < 0 || label > 9 || !Number.isInteger(row)) throw new Error(`labels.csv line ${i + 2}: bad row or label`);
    bySplit[f[fSplit] as string]?.push({ file: f[fFile] as string, row, label });
  });
  const strips = new Map<string, Uint8Array>();
  const take = async (items: { file: string; row: number; label: number }[]): Promise<ImageSet> => {
    const chosen = items.slice(0, Math.min(items.length, limit));
    const pixels = new Uint8Array(chosen.length * 3072);
    for (const [i, it] of chosen.entries()) {
      let strip = strips.get(it.file);
      if (!strip) {
        // labels.csv names strips relative to the dataset folder (png-batches/...); they sit beside it.
        strip = (await decodeImage(join(dir, basename(it.file)), { channels: 3 })).data;
        strips.set(it.file, strip);
      }
      pixels.set(strip.subarray(it.row * 3072, (it.row + 1) * 3072), i * 3072);
    }
    return { pixels, labels: chosen.map((c) => c.label) };
  };
  return { train: await take(bySplit.train ?? []), test: await take(bySplit.test ?? []) };
}

/**
 * Built-in images (used without --data): ten classes of coloured shapes on noisy backgrounds,
 * each class a colour and a position, so a small network can learn them in a minute.
 */
export function syntheticCifar(n: number, seed = 1): ImageSet {
  let s = seed >>> 0;
  const rand = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
  const pixels = new Uint8Array(n * 3072);
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = Math.floor(rand() * 10);
    labels.push(c);
    const colour = [(c * 83) % 256, (c * 151) % 256, (c * 47 + 90) % 256];
    const cx = 8 + (c % 4) * 5 + Math.floor(rand() * 4);
    const cy = 8 + Math.floor(c / 4) * 6 + Math.floor(rand() * 4);
    for (let y = 0; y < 32; y++)
      for (let x = 0; x < 32; x++) {
        const inside = Math.abs(x - cx) < 6 && Math.abs(y - cy) < 6;
        for (let ch = 0; ch < 3; ch++) pixels[i * 3072 + (y * 32 + x) * 3 + ch] = inside ? (colour[ch] as number) : Math.floor(rand() * 120);
      }
  }
  return { pixels, labels };
}
