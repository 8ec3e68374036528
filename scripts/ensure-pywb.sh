#!/usr/bin/env bash
# Make sure pywb is installed in its own virtualenv, .venv-pywb: the replay test
# (tests/test_it_replays_in_pywb.py) runs its `wayback` and `wb-manager`. pywb pins
# redis==2.10.6, which conflicts with rq in the project's environment, so it cannot live
# in .venv. Installed from requirements-pywb.lock; cheap (a stamp check) when up to date.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=.venv-pywb
LOCK=requirements-pywb.lock
UV=.venv/bin/uv  # installed by `make setup`
STAMP="$VENV/.installed-$(sha256sum "$LOCK" | cut -c1-12)"

if [ -e "$STAMP" ] && [ -x "$VENV/bin/wayback" ]; then
  exit 0
fi
[ -x "$UV" ] || { echo "ensure-pywb: $UV is missing: run make setup first" >&2; exit 1; }

echo "ensure-pywb: installing pywb into $VENV"
[ -x "$VENV/bin/python" ] || "${PYTHON:-python3}" -m venv "$VENV"
"$UV" pip install --quiet --compile-bytecode --python "$VENV/bin/python" -r "$LOCK"
"$VENV/bin/wayback" --help >/dev/null  # fails loudly if the install is broken
rm -f "$VENV"/.installed-*
touch "$STAMP"
