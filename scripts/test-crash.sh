#!/usr/bin/env bash
# `npm run test:crash`: the kill -9 crash test (test/reliability/crash-recovery.test.ts) at full size, on
# SQLite and on PostgreSQL: more seeds and more kills per seed than the short run inside `npm test`.
# Uses BALLOU_TEST_PG_URL when it is set; otherwise starts a throwaway cluster of its own
# (scripts/pg-throwaway.sh) and stops it afterwards. Extra arguments go to vitest.
#   BALLOU_CRASH_SEEDS (default 6) seeds from BALLOU_CRASH_SEED_FROM (default 1), BALLOU_CRASH_KILLS
#   (default 4) kills each; BALLOU_CRASH_SEED=k replays one seed.
set -euo pipefail
cd "$(dirname "$0")/.."
export BALLOU_CRASH_SEEDS="${BALLOU_CRASH_SEEDS:-6}"
export BALLOU_CRASH_KILLS="${BALLOU_CRASH_KILLS:-4}"
if [ -z "${BALLOU_TEST_PG_URL:-}" ]; then
  # Its own state file, so that it never stops a cluster somebody else started.
  PG_STATE_FILE=$(mktemp -u /tmp/ballou-crash-pg.XXXXXX)
  export PG_STATE_FILE
  BALLOU_TEST_PG_URL=$(scripts/pg-throwaway.sh start)
  export BALLOU_TEST_PG_URL
  trap 'scripts/pg-throwaway.sh stop' EXIT
fi
export BALLOU_TEST_REQUIRE_PG=1
unset BALLOU_TEST_DIALECTS
npx vitest run --project reliability test/reliability/crash-recovery.test.ts "$@"
