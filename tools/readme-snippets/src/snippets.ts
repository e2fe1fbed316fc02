import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A code block of a README, with the hidden setup lines that precede it. */
export interface Snippet {
  readme: string;
  /** 1-based index among the README's runnable blocks. */
  index: number;
  /** Line of the opening fence. */
  line: number;
  lang: 'js' | 'ts';
  code: string;
  /** Code from `<!-- snippet-setup ... -->` comments before the block, run first and not shown. */
  setup: string;
  /** Why the block is not run (`<!-- snippet-skip: reason -->`), if it is not. */
  skip?: string;
}

const LANGS: Record<string, 'js' | 'ts'> = { js: 'js', javascript: 'js', ts: 'ts', typescript: 'ts' };

/**
 * Every ```js / ```ts block of a Markdown file. The conventions, documented in the README of this
 * tool: an HTML comment `<!-- snippet-setup` ... `-->` holds lines run before the next block
 * (fixtures: a photo, a table), hidden from readers; `<!-- snippet-skip: reason -->` leaves the
 * next block out with its reason (an API excerpt that is not a program).
 */
export function readSnippets(readme: string): Snippet[] {
  const lines = readFileSync(readme, 'utf8').split('\n');
  const out: Snippet[] = [];
  let setup: string[] = [];
  let skip: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const s = /^<!--\s*snippet-setup\s*$/.exec(line);
    if (s) {
      const end = lines.findIndex((l, k) => k > i && l.trim() === '-->');
      if (end < 0) throw new Error(`${readme}:${i + 1}: snippet-setup comment is not closed by a line with -->`);
      setup.push(...lines.slice(i + 1, end));
      i = end;
      continue;
    }
    const k = /^<!--\s*snippet-skip:\s*(.+?)\s*-->\s*$/.exec(line);
    if (k) {
      skip = k[1];
      continue;
    }
    const fence = /^```(\w+)\s*$/.exec(line);
    if (fence) {
      const end = lines.findIndex((l, j) => j > i && l.startsWith('```'));
      if (end < 0) throw new Error(`${readme}:${i + 1}: code block is not closed`);
      const lang = LANGS[fence[1] as string];
      if (lang) {
        out.push({
          readme,
          index: out.length + 1,
          line: i + 1,
          lang,
          code: lines.slice(i + 1, end).join('\n'),
          setup: setup.join('\n'),
          ...(skip !== undefined && { skip }),
        });
        setup = [];
        skip = undefined;
      }
      i = end;
    }
  }
  return out;
}

/** The README's quick start: its first block that runs (packed.test.ts runs it from the npm tarball). */
export function quickStart(snippets: Snippet[]): Snippet | undefined {
  return snippets.find((s) => s.skip === undefined);
}

/**
 * Writes the snippet (setup first) as `<dir>/<name>.mjs` or `.mts` and runs it with Node (TypeScript
 * through the tsx loader at `tsxLoader`) in an empty temporary folder of its own, so files it
 * writes (model.bin) go there; `@aiffel/*` imports resolve from `dir`.
 */
export function runSnippet(s: Snippet, dir: string, name: string, tsxLoader: string): SpawnSyncReturns<string> {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.${s.lang === 'ts' ? 'mts' : 'mjs'}`);
  writeFileSync(file, `${s.setup}\n${s.code}\n`);
  const cwd = mkdtempSync(join(tmpdir(), `snippet-${name}-`));
  try {
    const args = s.lang === 'ts' ? ['--import', tsxLoader, file] : [file];
    return spawnSync(process.execPath, args, { cwd, encoding: 'utf8', timeout: 280_000, env: { ...process.env, CI: 'true' } });
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
}
