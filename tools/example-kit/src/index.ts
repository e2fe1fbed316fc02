export { escapeXml, groupedBarsPng, histogramsPng, type Series, svgDocument, svgToPng } from './figures.js';
export { type ExampleRun, runExample, runExampleJson } from './run-example.js';

import { type ParseArgsConfig, parseArgs } from 'node:util';

export interface CliSpec<O extends NonNullable<ParseArgsConfig['options']>> {
  /** The example's name, the prefix of every message. */
  name: string;
  /** The usage line printed with --help and after a bad flag. */
  usage: string;
  /** node:util parseArgs options; `help` is added. */
  options: O;
  /** Default process.argv.slice(2). */
  argv?: string[];
}

type Values<O extends NonNullable<ParseArgsConfig['options']>> = ReturnType<typeof parseArgs<{ options: O; strict: true }>>['values'];

export interface Cli<O extends NonNullable<ParseArgsConfig['options']>> {
  values: Values<O>;
  /** Prints "<name>: <message>" and the usage, exits 2 (a usage error). */
  fail(message: string): never;
  /** An integer flag in [min, max], or `fallback` when absent; anything else fails naming the flag and the value. */
  int(flag: keyof O & string, min: number, max: number, fallback: number): number;
  /** A finite number flag in [min, max] (decimals and exponents allowed), or `fallback` when absent. */
  number(flag: keyof O & string, min: number, max: number, fallback: number): number;
  /** One of `choices`, or `fallback` when absent. */
  choice<C extends string>(flag: keyof O & string, choices: readonly C[], fallback: C): C;
  /** Prints "<name>: <error message>" on one line (no stack) and exits 1: missing or malformed data. */
  dataError(error: unknown): never;
  /** `load()`'s value, or its error reported as dataError (one line, exit 1). */
  attempt<T>(load: () => T): T;
  /** The same for an async load: an empty or malformed folder is one line, not a stack trace. */
  attemptAsync<T>(load: () => Promise<T>): Promise<T>;
}

/**
 * One strict command line for every example: an unknown flag or a flag without its value exits 2
 * naming it, --help prints the usage and exits 0, and data errors are one line, exit 1.
 */
export function parseCli<O extends NonNullable<ParseArgsConfig['options']>>(spec: CliSpec<O>): Cli<O> {
  const fail = (message: string): never => {
    console.error(`${spec.name}: ${message}\n${spec.usage}`);
    process.exit(2);
  };
  let values: Values<O> & { help?: boolean };
  try {
    ({ values } = parseArgs({ args: spec.argv ?? process.argv.slice(2), strict: true, options: { ...spec.options, help: { type: 'boolean' } } }) as {
      values: Values<O> & { help?: boolean };
    });
  } catch (e) {
    return fail((e as Error).message);
  }
  if (values.help) {
    console.log(spec.usage);
    process.exit(0);
  }
  const dataError = (error: unknown): never => {
    console.error(`${spec.name}: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  };
  return {
    values,
    fail,
    int(flag, min, max, fallback) {
      const v = (values as Record<string, unknown>)[flag];
      if (v === undefined) return fallback;
      const n = Number(v);
      if (typeof v !== 'string' || v.trim() === '' || !Number.isInteger(n) || n < min || n > max)
        fail(`--${flag} must be an integer in [${min}, ${max}], got ${JSON.stringify(v)}`);
      return n;
    },
    number(flag, min, max, fallback) {
      const v = (values as Record<string, unknown>)[flag];
      if (v === undefined) return fallback;
      const n = Number(v);
      if (typeof v !== 'string' || v.trim() === '' || !Number.isFinite(n) || n < min || n > max)
        fail(`--${flag} must be a number in [${min}, ${max}], got ${JSON.stringify(v)}`);
      return n;
    },
    choice(flag, choices, fallback) {
      const v = (values as Record<string, unknown>)[flag];
      if (v === undefined) return fallback;
      if (typeof v !== 'string' || !(choices as readonly string[]).includes(v))
        fail(`--${flag} must be one of ${choices.join(', ')}, got ${JSON.stringify(v)}`);
      return v as (typeof choices)[number];
    },
    dataError,
    attempt(load) {
      try {
        return load();
      } catch (e) {
        return dataError(e);
      }
    },
    async attemptAsync(load) {
      try {
        return await load();
      } catch (e) {
        return dataError(e);
      }
    },
  };
}
