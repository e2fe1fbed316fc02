import { suiteConfig } from '../../vitest.shared.js';

// The example trains forests, boosters and an LSTM: more time on a busy 2-core machine running other suites beside it.
export default suiteConfig({ timeoutMs: 900_000 });
