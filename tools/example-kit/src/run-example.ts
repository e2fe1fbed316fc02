import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/** What a finished example run left: its exit status and both streams. */
export interface ExampleRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs an example as a user would (`src/main.ts` of the example folder `dir`, under tsx, with
 * `dir` as the working directory) and returns how it ended. For the examples' tests: one copy of
 * the spawn every example test used to write for itself. `timeoutMs` kills a run that outlives it
 * (status null); without it the test's own timeout bounds the run.
 */
export function runExample(dir: string, args: string[], options: { timeoutMs?: number } = {}): ExampleRun {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(dir, 'src/main.ts'), ...args], {
    cwd: dir,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 64 << 20,
    ...(options.timeoutMs === undefined ? {} : { timeout: options.timeoutMs }),
  });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

/**
 * runExample, then the closing JSON line every example prints last. A run that exits with an
 * error, or whose last line is not JSON, throws with the status and the end of its stderr.
 */
export function runExampleJson(dir: string, args: string[], options: { timeoutMs?: number } = {}): Record<string, unknown> {
  const r = runExample(dir, args, options);
  const last = r.stdout.trim().split('\n').at(-1) ?? '';
  if (r.status !== 0) throw new Error(`the example in ${dir} exited with status ${r.status}: ${r.stderr.slice(-2000)}`);
  try {
    return JSON.parse(last) as Record<string, unknown>;
  } catch {
    throw new Error(`the example in ${dir} did not end with a JSON line; its last line was ${JSON.stringify(last.slice(0, 200))}`);
  }
}
