import { defineConfig } from 'vitest/config';

// Two tiers run by `npm test`: pure unit tests beside the code, and integration tests against real
// databases (SQLite always, PostgreSQL when BALLOU_TEST_PG_URL is set; .ci/run sets it).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'web/src/**/*.test.ts'],
          environment: 'node',
          env: { TZ: 'UTC' },
        },
      },
      {
        // The domain never reads the host's zone: run its tests again under a zone with its own DST rules.
        test: {
          name: 'unit-sao-paulo',
          include: ['src/domain/**/*.test.ts'],
          environment: 'node',
          env: { TZ: 'America/Sao_Paulo' },
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        // Real server processes killed with SIGKILL (test/reliability/support/server-process.ts): slow.
        test: {
          name: 'reliability',
          include: ['test/reliability/**/*.test.ts'],
          environment: 'node',
          testTimeout: 240_000,
          hookTimeout: 120_000,
          // One file at a time: each spawns servers, and two cores are all CI has.
          fileParallelism: false,
        },
      },
      {
        // The web app in Debian's Chromium against the real server and a fresh production build of web/.
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/e2e/support/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
