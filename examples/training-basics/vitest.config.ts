import { suiteConfig } from '../../vitest.shared.js';

// The lesson trains 12 small networks per run: more time on a busy 2-core machine running other suites beside it.
export default suiteConfig({ timeoutMs: 900_000 });
