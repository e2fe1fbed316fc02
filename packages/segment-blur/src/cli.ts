#!/usr/bin/env node
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { encodeImage, ProgressBar } from '@aiffel/runtime';
import { glob } from 'tinyglobby';
import { parseCliArgs, USAGE } from './cli-args.js';
import { maskToUint8 } from './mask/mask.js';
import { applyEffect, defaultSegmenter, outputFormat } from './portrait.js';

const EXT: Record<string, string> = { jpeg: '.jpg', png: '.png', webp: '.webp', avif: '.avif', tiff: '.tiff' };

async function expand(patterns: string[]): Promise<string[]> {
  const files: string[] = [];
  for (const p of patterns) {
    const isFile = await stat(p).then(
      (s) => s.isFile(),
      () => false,
    );
    if (isFile) files.push(p);
    else {
      const found = await glob(p, { onlyFiles: true, expandDirectories: false });
      if (found.length === 0) throw new Error(`no file matches ${p}`);
      files.push(...found.sort());
    }
  }
  return files;
}

async function isDirectory(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );
}

async function main(): Promise<number> {
  const args = parseCliArgs(process.argv.slice(2));
  if (args.help || args.inputs.length === 0) {
    process.stdout.write(USAGE);
    return args.help ? 0 : 2;
  }
  const files = await expand(args.inputs);
  const many = files.length > 1;
  if (many && args.output && !(await isDirectory(args.output))) await mkdir(args.output, { recursive: true });
  const segmenter = await defaultSegmenter(args.options.model ?? 'selfie');
  const bar = new ProgressBar({ total: files.length, label: 'portrait' });
  let failed = 0;
  for (const file of files) {
    const ext = args.options.format ? (EXT[args.options.format] as string) : args.options.effect === 'cutout' ? '.png' : extname(file) || '.png';
    const stem = basename(file, extname(file));
    const out = many || !args.output ? join(args.output ?? dirname(file), `${stem}.portrait${ext}`) : args.output;
    try {
      const seg = await segmenter.segment(file, args.options.refine !== undefined ? { refine: args.options.refine } : {});
      const image = await applyEffect(seg, args.options);
      const format = await outputFormat(file, args.options);
      await writeFile(out, await encodeImage(image, { format, ...(args.options.quality !== undefined && { quality: args.options.quality }) }));
      if (args.writeMask) {
        const m = maskToUint8(seg.mask);
        await writeFile(`${out}.mask.png`, await encodeImage({ data: m, shape: [seg.mask.height, seg.mask.width, 1] }));
      }
    } catch (err) {
      failed++;
      process.stderr.write(`\n${file}: ${(err as Error).message}\n`);
    }
    bar.tick(1, basename(file));
  }
  segmenter.dispose();
  if (!bar.enabled) process.stderr.write(`${files.length - failed} of ${files.length} written\n`);
  return failed > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    process.stderr.write(`aiffel-portrait: ${err.message}\n${USAGE}`);
    process.exit(2);
  },
);
