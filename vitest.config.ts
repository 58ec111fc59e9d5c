import { defineConfig } from 'vitest/config';

// Two tiers run by `npm test`: pure unit tests beside the code, and integration tests against real
// databases (SQLite always, PostgreSQL when BALLOU_TEST_PG_URL is set; .ci/run sets it).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts'],
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
        },
      },
    ],
  },
});
