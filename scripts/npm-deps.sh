#!/usr/bin/env bash
# Installs node_modules exactly from package-lock.json, unless they already match it.
set -euo pipefail
cd "$(dirname "$0")/.."
stamp=node_modules/.lock-sha
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ "${CI:-}" != "true" ]; then
  echo "npm-deps: node_modules match package-lock.json"
  exit 0
fi
npm ci --no-audit --no-fund
echo "$want" > "$stamp"
