import { suiteConfig } from '../../vitest.shared.js';

// One file at a time: a test starts worker threads that each load the face networks.
export default suiteConfig({ fileParallelism: false });
