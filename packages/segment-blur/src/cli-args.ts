import { parseArgs } from 'node:util';
import { rangeError } from '@aiffel/runtime';
import type { BlurKind } from './filters/blur.js';
import type { PortraitEffect, PortraitOptions } from './portrait.js';
import type { BuiltinModel } from './segmenter/builtin-models.js';

export const USAGE = `Usage: aiffel-portrait <images or globs...> [options]

Blurs (or replaces) the background behind people in photos, without halos.

Options:
  -o, --output <path>     output file (one input) or folder (several); default: <name>.portrait.<ext> beside each input
      --effect <name>     blur (default) | replace | desaturate | cutout
      --mode <name>       gaussian (default) | box | bokeh (lens-like disc)
      --blur <px>         blur radius in pixels (default: 1.5% of the longer side)
      --strength <f>      blur radius as a fraction of the longer side (default 0.015)
      --background <c>    colour (#rrggbb) or image path, for --effect replace
      --model <name>      selfie (default, 256x256) | landscape (144x256, faster)
      --refine <name>     none (default) | guided (snap edges to the photo)
      --format <f>        jpeg | png | webp | avif | tiff (default: the input's)
      --quality <q>       1..100 for lossy formats (default 90)
      --mask              also write the mask as <output>.mask.png
  -h, --help              this text
`;

export interface CliArgs {
  inputs: string[];
  output: string | undefined;
  writeMask: boolean;
  help: boolean;
  options: PortraitOptions;
}

function num(name: string, v: string | undefined, integer: boolean): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || (integer && !Number.isInteger(n))) throw rangeError(`--${name}`, integer ? 'an integer' : 'a number', v);
  return n;
}

/** Parses argv (without node and the script) into portrait options; throws on unknown flags or bad values. */
export function parseCliArgs(argv: string[]): CliArgs {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      output: { type: 'string', short: 'o' },
      effect: { type: 'string' },
      mode: { type: 'string' },
      blur: { type: 'string' },
      strength: { type: 'string' },
      background: { type: 'string' },
      model: { type: 'string' },
      refine: { type: 'string' },
      format: { type: 'string' },
      quality: { type: 'string' },
      mask: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const options: PortraitOptions = {};
  if (values.effect !== undefined) options.effect = values.effect as PortraitEffect;
  if (values.mode !== undefined) {
    if (!['gaussian', 'box', 'bokeh', 'disc'].includes(values.mode)) throw rangeError('--mode', 'gaussian, box or bokeh', values.mode);
    options.mode = (values.mode === 'bokeh' ? 'disc' : values.mode) as BlurKind;
  }
  const radius = num('blur', values.blur, true);
  if (radius !== undefined) options.radius = radius;
  const strength = num('strength', values.strength, false);
  if (strength !== undefined) options.strength = strength;
  if (values.background !== undefined) options.background = values.background;
  if (values.model !== undefined) options.model = values.model as BuiltinModel;
  if (values.refine !== undefined) {
    if (values.refine !== 'none' && values.refine !== 'guided') throw rangeError('--refine', 'none or guided', values.refine);
    options.refine = { edges: values.refine };
  }
  if (values.format !== undefined) options.format = values.format as PortraitOptions['format'] & string;
  const quality = num('quality', values.quality, true);
  if (quality !== undefined) options.quality = quality;
  return { inputs: positionals, output: values.output, writeMask: values.mask ?? false, help: values.help ?? false, options };
}
