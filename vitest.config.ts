import { defineConfig } from 'vitest/config';

// Integration tests run the real OCR; on a 2-core machine they must not run side by side.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 180_000,
    pool: 'forks',
  },
});
