#!/usr/bin/env bash
# One command: set up everything and run the whole test suite (lint, types, unit, integration, trainer).
# Uses REDIS_URL / 127.0.0.1:6379 when a Redis answers there, else starts its own redis-server.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-system.sh
bash scripts/npm-deps.sh
echo "== typecheck"; npx tsc --noEmit
echo "== lint";      npm run --silent lint
echo "== compose";   docker-compose -f docker-compose.yml --profile cpu --profile gpu config -q && echo "docker-compose.yml valid (cpu and gpu profiles)"
docker-compose -f docker-compose.yml --profile scale config -q && echo "docker-compose.yml profile scale valid"
echo "== trainer (python)"
if compgen -G "workers/trainer/tests/test_*.py" >/dev/null; then
  # Quiet when green; the whole output when a test fails.
  out=$(cd workers/trainer && /usr/bin/python3 -m unittest discover -s tests 2>&1) || { echo "$out"; exit 1; }
  echo "$out" | tail -n 3
  if /usr/bin/python3 -m flake8 --version >/dev/null 2>&1; then
    (cd workers/trainer && /usr/bin/python3 -m flake8) && echo "flake8 clean"
  else
    echo "flake8 not installed (Debian: python3-flake8): trainer lint skipped"
  fi
else
  echo "no trainer tests in this checkout"
fi
echo "== unit + integration"
# The store tests start a PostgreSQL of their own when none answers on 127.0.0.1:5432
# (test/postgres.ts, shared by the test files): stop it when the suite ends.
stop_test_postgres() {
  local data="${TMPDIR:-/tmp}/copilot-pg-test-$(id -u)/data"
  [ -f "$data/postmaster.pid" ] || return 0
  local ctl; ctl=$(ls -d /usr/lib/postgresql/*/bin/pg_ctl 2>/dev/null | sort -V | tail -n 1)
  [ -n "$ctl" ] || return 0
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$ctl" -D "$data" -m fast stop >/dev/null || true
  else "$ctl" -D "$data" -m fast stop >/dev/null || true; fi
}
trap stop_test_postgres EXIT
npx vitest run "$@"
