#!/usr/bin/env bash
# `npm run demo`: set up (system packages, node modules) and play the whole exam on the local chat.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-system.sh
bash scripts/npm-deps.sh
exec npx tsx scripts/demo/main.ts "$@"
