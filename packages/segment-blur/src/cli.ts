#!/usr/bin/env node
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { encodeImage, ProgressBar } from '@aiffel/runtime';
import { glob } from 'tinyglobby';
import { type CliArgs, flagMessage, parseCliArgs, USAGE } from './cli-args.js';
import { maskToUint8 } from './mask/mask.js';
import { MaskSmoother } from './mask/temporal.js';
import { applyEffect, defaultSegmenter, outputFormat } from './portrait.js';
import { refineMask } from './segmenter/refine.js';
import type { Segmentation } from './segmenter/segmenter.js';
import { SemanticSegmenter } from './segmenter/semantic-segmenter.js';

const EXT: Record<string, string> = { jpeg: '.jpg', png: '.png', webp: '.webp', avif: '.avif', tiff: '.tiff' };
const SAME_FORMAT: Record<string, string> = {
  '.jpeg': 'jpeg',
  '.jpg': 'jpeg',
  '.tif': 'tiff',
  '.tiff': 'tiff',
  '.png': 'png',
  '.webp': 'webp',
  '.avif': 'avif',
};

/** The output's extension: the input's when it names the output format (so .jpeg stays .jpeg), else the format's own. */
function extensionFor(file: string, format: string): string {
  const ext = extname(file);
  return SAME_FORMAT[ext.toLowerCase()] === format ? ext : (EXT[format] as string);
}

/** The person (or selected classes) segmenter the flags ask for: the built-in model or a --semantic one. */
async function segmenterFor(args: CliArgs): Promise<{ segment(file: string): Promise<Segmentation>; dispose(): void }> {
  const refine = args.options.refine;
  const sem = args.semantic;
  if (!sem) {
    const builtin = await defaultSegmenter(args.options.model ?? 'selfie');
    return { segment: (file) => builtin.segment(file, refine !== undefined ? { refine } : {}), dispose: () => builtin.dispose() };
  }
  const semantic = await SemanticSegmenter.load({
    model: sem.model,
    ...(sem.labels && { labels: sem.labels }),
    ...(sem.normalize && { normalize: sem.normalize }),
    ...(sem.inputSize && { inputSize: sem.inputSize }),
  });
  semantic.classIndices(sem.classes); // unknown classes fail once, before any file is read
  return {
    async segment(file) {
      const r = await semantic.segment(file, { classes: sem.classes });
      const mask = refine ? refineMask(r.mask, r.image, refine) : r.mask;
      return { image: r.image, mask, modelMask: r.mask };
    },
    dispose: () => {},
  };
}

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

async function main(): Promise<number> {
  const args = parseCliArgs(process.argv.slice(2));
  if (args.help || args.inputs.length === 0) {
    process.stdout.write(USAGE);
    return args.help ? 0 : 2;
  }
  const files = await expand(args.inputs);
  const many = files.length > 1;
  // Inputs are never modified: an output that is one of them is refused, here for -o and below
  // for names made from a folder.
  const inputs = new Set(files.map((f) => resolve(f)));
  if (!many && args.output && inputs.has(resolve(args.output)))
    throw new Error(
      `-o ${args.output} is the input; inputs are never overwritten (leave out -o to write ${basename(files[0] as string, extname(files[0] as string))}.portrait.<ext>)`,
    );
  if (many && args.output) {
    const existing = await stat(args.output).catch(() => undefined);
    if (existing && !existing.isDirectory()) throw new Error(`-o ${args.output} must be a folder when there are ${files.length} inputs, and it is a file`);
    if (!existing) await mkdir(args.output, { recursive: true });
  }
  const segmenter = await segmenterFor(args);
  const smoother = args.smooth === undefined ? undefined : new MaskSmoother(args.smooth);
  const bar = new ProgressBar({ total: files.length, label: 'portrait' });
  let failed = 0;
  for (const file of files) {
    try {
      const format = await outputFormat(file, args.options);
      const stem = basename(file, extname(file));
      const out = many || !args.output ? join(args.output ?? dirname(file), `${stem}.portrait${extensionFor(file, format)}`) : args.output;
      if (inputs.has(resolve(out)) || (args.writeMask && inputs.has(resolve(`${out}.mask.png`))))
        throw new Error(`the output ${out} is one of the inputs; inputs are never overwritten`);
      const seg = await segmenter.segment(file);
      if (smoother) seg.mask = smoother.update(seg.mask);
      const image = await applyEffect(seg, args.options);
      await writeFile(out, await encodeImage(image, { format, ...(args.options.quality !== undefined && { quality: args.options.quality }) }));
      if (args.writeMask) {
        const m = maskToUint8(seg.mask);
        await writeFile(`${out}.mask.png`, await encodeImage({ data: m, shape: [seg.mask.height, seg.mask.width, 1] }));
      }
    } catch (err) {
      failed++;
      process.stderr.write(`\n${file}: ${flagMessage((err as Error).message)}\n`);
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
