#!/usr/bin/env bash
# Make sure Debian's Chromium and a Chinese font are installed: the end-to-end tests (and,
# later, browser-mode captures) drive /usr/bin/chromium, and without a CJK font every Chinese
# character in a screenshot is a box. Cheap when both are already there.
set -euo pipefail

CHROMIUM=/usr/bin/chromium

has_chromium() { [ -x "$CHROMIUM" ]; }
has_cjk_font() { command -v fc-list >/dev/null && [ -n "$(fc-list :lang=zh family)" ]; }

# apt needs root: use sudo when we are not root, and say plainly what is missing otherwise.
as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null; then
    sudo "$@"
  else
    echo "ensure-chromium: need root (or sudo) to run: $*" >&2
    echo "ensure-chromium: install them yourself: apt-get install chromium fonts-noto-cjk" >&2
    exit 1
  fi
}

# Install without refreshing the package lists first (slow); refresh only when apt fails for
# lack of them, as on a fresh container whose lists were cleaned.
apt_install() {
  local install=(env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@")
  if ! as_root "${install[@]}"; then
    echo "ensure-chromium: install failed; refreshing the package lists and retrying" >&2
    as_root apt-get update -qq
    as_root "${install[@]}"
  fi
}

if ! has_chromium; then
  echo "ensure-chromium: installing chromium and fonts-noto-cjk"
  apt_install chromium fonts-noto-cjk
elif ! has_cjk_font; then
  echo "ensure-chromium: installing fonts-noto-cjk (no Chinese font found)"
  apt_install fonts-noto-cjk
fi

has_chromium || { echo "ensure-chromium: $CHROMIUM is still missing" >&2; exit 1; }
has_cjk_font || { echo "ensure-chromium: no Chinese font after installing fonts-noto-cjk" >&2; exit 1; }
