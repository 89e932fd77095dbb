import { defineConfig } from 'vitest/config';

// Tests run from source: the "source" export condition points workspace
// packages at their src/index.ts, so no build is needed before testing.
export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    pool: 'forks',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
