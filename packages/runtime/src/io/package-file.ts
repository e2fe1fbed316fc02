import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * A file a package ships in its dist/ folder (a .wasm kernel, a worker bundle), found from the
 * calling module's `import.meta.url`: beside it when the caller runs from dist/, or in ../../dist/
 * when it runs from src/<folder>/ (tests on the sources). Undefined when neither exists, i.e. the
 * package has not been built.
 */
export function packageFile(callerUrl: string | URL, name: string): string | undefined {
  for (const rel of [`./${name}`, `../../dist/${name}`]) {
    const path = fileURLToPath(new URL(rel, callerUrl));
    if (existsSync(path)) return path;
  }
  return undefined;
}

/**
 * `packageFile`, for files a call cannot go on without (a worker bundle): the path, or an error
 * naming `owner`, the missing file and the command that makes it.
 */
export function requirePackageFile(callerUrl: string | URL, name: string, owner: string): string {
  const path = packageFile(callerUrl, name);
  if (path === undefined) throw new Error(`${owner}: dist/${name} is missing (build the package with \`npm run build\`)`);
  return path;
}
