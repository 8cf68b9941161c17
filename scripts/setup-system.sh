#!/usr/bin/env bash
# Installs the Debian packages the product and its tests need, only those missing.
# Idempotent: a second run installs nothing and takes about a second.
set -euo pipefail

PACKAGES=(
  redis-server          # BullMQ's Redis, started by the launcher / tests when none is configured
  python3-torch         # the trainer (torch 1.13 on Debian 12)
  python3-torchvision
  python3-pil
  python3-onnx          # the trainer's test checks the exported model's graph contract
  libopenblas0-pthread  # without it Debian's torch is ~50x slower
  fonts-noto-cjk        # Chinese text in previews and PDF reports
  fonts-noto-color-emoji # the bot's emoji in the chat page and its screenshots
  poppler-utils         # pdftotext / pdftoppm: the report tests read and render the PDFs
  python3-flake8        # lints the Python trainer (npm run lint)
  chromium              # box-editor and chat-page browser tests (playwright-core drives it)
  docker-compose        # validates docker-compose.yml in CI (no engine needed)
  postgresql            # the store's tests also run on PostgreSQL (they start their own server when none runs)
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "setup-system: all ${#PACKAGES[@]} system packages present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "setup-system: run as root or install sudo; missing: ${missing[*]}" >&2; exit 1; }
  SUDO="sudo"
fi
echo "setup-system: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
