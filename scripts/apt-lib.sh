# Shared by the ensure-*.sh scripts (sourced, not run): installing Debian packages as root,
# and whether a Chinese font is there. The sourcing script sets ENSURE (its name, for
# messages) and ENSURE_HINT (the packages to name when it cannot install them itself).

has_cjk_font() { command -v fc-list >/dev/null && [ -n "$(fc-list :lang=zh family)" ]; }

# apt needs root: use sudo when we are not root, and say plainly what is missing otherwise.
as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null; then
    sudo "$@"
  else
    echo "$ENSURE: need root (or sudo) to run: $*" >&2
    echo "$ENSURE: install them yourself: apt-get install $ENSURE_HINT" >&2
    exit 1
  fi
}

# Install without refreshing the package lists first (slow); refresh only when apt fails for
# lack of them, as on a fresh container whose lists were cleaned.
apt_install() {
  local install=(env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@")
  if ! as_root "${install[@]}"; then
    echo "$ENSURE: install failed; refreshing the package lists and retrying" >&2
    as_root apt-get update -qq
    as_root "${install[@]}"
  fi
}
