#!/usr/bin/env bash
# One command: set up everything (system packages, node modules) and run the product.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-system.sh
bash scripts/npm-deps.sh
exec npx tsx scripts/start.ts "$@"
