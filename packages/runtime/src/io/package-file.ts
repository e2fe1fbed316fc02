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
