import { suiteConfig } from '../../vitest.shared.js';

export default suiteConfig();
