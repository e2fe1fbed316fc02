import { parseArgs } from 'node:util';
import { rangeError } from '@aiffel/runtime';
import type { BlurKind } from './filters/blur.js';
import { checkPortraitOptions, type PortraitEffect, type PortraitOptions } from './portrait.js';
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
      --semantic <path>   use a per-class tfjs model instead (folder or model.json, e.g. a DeepLab
                          v3 export with PASCAL VOC's 21 labels)
      --classes <list>    classes to keep sharp, comma-separated names or indices (default person)
      --labels <list>     the model's class names, comma-separated (default: PASCAL VOC's 21)
      --normalize <n>     semantic model input: none (0..255, default) | unit (0..1) | symmetric (-1..1)
      --input-size <HxW>  semantic model input size, when the model does not declare one
      --smooth <alpha>    treat the inputs as consecutive frames of one video (in the order given;
                          a glob expands in name order) and smooth the mask over time: alpha is
                          the newest frame's weight, 0 < alpha <= 1
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
  /** Set with --semantic: a per-class model and the classes to select. */
  semantic: SemanticCliArgs | undefined;
  /** --smooth: EMA weight of the newest frame's mask. */
  smooth: number | undefined;
}

export interface SemanticCliArgs {
  model: string;
  classes: (string | number)[];
  labels: string[] | undefined;
  normalize: 'none' | 'unit' | 'symmetric' | undefined;
  inputSize: [number, number] | undefined;
}

function list(v: string): string[] {
  return v
    .split(',')
    .map((x) => x.trim())
    .filter((x) => x !== '');
}

function num(name: string, v: string | undefined, integer: boolean): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || (integer && !Number.isInteger(n))) throw rangeError(`--${name}`, integer ? 'an integer' : 'a number', v);
  return n;
}

const FLAG_OF: Record<string, string> = {
  'options.radius': '--blur',
  'options.strength': '--strength',
  'options.quality': '--quality',
  'options.format': '--format',
  'options.effect': '--effect',
  'options.background': '--background',
  'options.model': '--model',
  'options.mode': '--mode',
};

/** A library message about `options.x` rewritten to name the command-line flag instead. */
export function flagMessage(message: string): string {
  return message.replace(/^options\.[a-z]+/, (name) => FLAG_OF[name] ?? name);
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
      semantic: { type: 'string' },
      classes: { type: 'string' },
      labels: { type: 'string' },
      normalize: { type: 'string' },
      'input-size': { type: 'string' },
      smooth: { type: 'string' },
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
  const smooth = num('smooth', values.smooth, false);
  if (smooth !== undefined && !(smooth > 0 && smooth <= 1)) throw rangeError('--smooth', 'a number in (0, 1]', values.smooth);
  // The library's own checks, reported under the flag the user typed (a usage error, exit 2).
  try {
    checkPortraitOptions(options);
  } catch (err) {
    throw err instanceof RangeError ? new RangeError(flagMessage(err.message)) : err;
  }
  return {
    inputs: positionals,
    output: values.output,
    writeMask: values.mask ?? false,
    help: values.help ?? false,
    options,
    semantic: semanticArgs(values),
    smooth,
  };
}

function semanticArgs(values: Record<string, string | boolean | undefined>): SemanticCliArgs | undefined {
  const model = values.semantic as string | undefined;
  for (const flag of ['classes', 'labels', 'normalize', 'input-size'])
    if (model === undefined && values[flag] !== undefined) throw rangeError(`--${flag}`, 'used together with --semantic', values[flag]);
  if (model === undefined) return undefined;
  if (values.model !== undefined) throw rangeError('--model', 'not used together with --semantic (which names the model)', values.model);
  const classes = list((values.classes as string | undefined) ?? 'person').map((c) => (/^\d+$/.test(c) ? Number(c) : c));
  if (classes.length === 0) throw rangeError('--classes', 'a comma-separated list of class names or indices', values.classes);
  const labels = values.labels === undefined ? undefined : list(values.labels as string);
  const normalize = values.normalize as SemanticCliArgs['normalize'];
  if (normalize !== undefined && !['none', 'unit', 'symmetric'].includes(normalize)) throw rangeError('--normalize', 'none, unit or symmetric', normalize);
  let inputSize: [number, number] | undefined;
  if (values['input-size'] !== undefined) {
    const m = /^(\d+)x(\d+)$/.exec(values['input-size'] as string);
    if (!m || Number(m[1]) === 0 || Number(m[2]) === 0) throw rangeError('--input-size', 'HEIGHTxWIDTH, e.g. 513x513', values['input-size']);
    inputSize = [Number(m[1]), Number(m[2])];
  }
  return { model, classes, labels, normalize, inputSize };
}
