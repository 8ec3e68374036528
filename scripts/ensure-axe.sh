#!/usr/bin/env bash
# Make sure axe-core (the accessibility rules engine, from the npm registry) is in .axe/: the
# end-to-end accessibility audit (tests/e2e/test_accessibility_audit.py) reads
# .axe/node_modules/axe-core/axe.min.js and injects it into Chromium. An exact version, so
# every run audits with the same rules. Cheap when it is already there.
set -euo pipefail

AXE_VERSION=4.14.1
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DEST="$ROOT/.axe"
SCRIPT="$DEST/node_modules/axe-core/axe.min.js"

installed_version() {
  [ -f "$DEST/node_modules/axe-core/package.json" ] || return 0
  sed -n 's/^  "version": "\(.*\)",$/\1/p' "$DEST/node_modules/axe-core/package.json"
}

if [ -f "$SCRIPT" ] && [ "$(installed_version)" = "$AXE_VERSION" ]; then
  exit 0
fi
command -v npm >/dev/null || { echo "ensure-axe: npm is missing (install Node.js 20 and npm)" >&2; exit 1; }
echo "ensure-axe: installing axe-core@$AXE_VERSION into .axe/"
mkdir -p "$DEST"
npm install --prefix "$DEST" --no-save --no-audit --no-fund --silent "axe-core@$AXE_VERSION"
[ -f "$SCRIPT" ] || { echo "ensure-axe: $SCRIPT is still missing" >&2; exit 1; }
