#!/usr/bin/env bash
# Make sure Debian's Chromium and a Chinese font are installed: the end-to-end tests (and,
# later, browser-mode captures) drive /usr/bin/chromium, and without a CJK font every Chinese
# character in a screenshot is a box. Cheap when both are already there.
set -euo pipefail

CHROMIUM=/usr/bin/chromium

has_chromium() { [ -x "$CHROMIUM" ]; }

ENSURE=ensure-chromium
ENSURE_HINT="chromium fonts-noto-cjk"
# shellcheck source=scripts/apt-lib.sh
source "$(dirname "$0")/apt-lib.sh"

if ! has_chromium; then
  echo "ensure-chromium: installing chromium and fonts-noto-cjk"
  apt_install chromium fonts-noto-cjk
elif ! has_cjk_font; then
  echo "ensure-chromium: installing fonts-noto-cjk (no Chinese font found)"
  apt_install fonts-noto-cjk
fi

has_chromium || { echo "ensure-chromium: $CHROMIUM is still missing" >&2; exit 1; }
has_cjk_font || { echo "ensure-chromium: no Chinese font after installing fonts-noto-cjk" >&2; exit 1; }
