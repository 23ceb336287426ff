import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/** Component tests for the dashboard: `npx vitest run --config renderer/vitest.config.ts`. */
export default defineConfig({
  root: repoRoot,
  plugins: [react()],
  test: {
    include: ['test/renderer/**/*.test.tsx'],
    environment: 'jsdom',
    testTimeout: 15_000,
  },
});
