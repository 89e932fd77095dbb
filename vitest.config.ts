import { defineConfig } from 'vitest/config';

// One test run over every package; each package's own config applies to its tests.
export default defineConfig({ test: { projects: ['packages/shared', 'packages/server', 'packages/client', 'packages/admin-ui'] } });
