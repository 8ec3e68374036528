#!/usr/bin/env bash
# Make sure Debian's Tesseract and its Chinese (simplified, traditional) and English data are
# installed: captures read the text of images and scanned PDFs with it (capture/steps/ocr.py),
# and the OCR tests and bench/ocr.py render Chinese text with a CJK font. Nothing is
# downloaded at run time: these Debian packages are all OCR needs. Cheap when all is there.
set -euo pipefail

TESSERACT=${LINKHOME_TESSERACT:-/usr/bin/tesseract}
LANGS=(chi_sim chi_tra eng)
PACKAGES=(tesseract-ocr tesseract-ocr-chi-sim tesseract-ocr-chi-tra tesseract-ocr-eng)

has_tesseract() { [ -x "$TESSERACT" ]; }
has_langs() {
  local have
  have=$("$TESSERACT" --list-langs 2>/dev/null) || return 1
  for lang in "${LANGS[@]}"; do
    grep -qx "$lang" <<<"$have" || return 1
  done
}

ENSURE=ensure-ocr
ENSURE_HINT="${PACKAGES[*]} fonts-noto-cjk"
# shellcheck source=scripts/apt-lib.sh
source "$(dirname "$0")/apt-lib.sh"

if ! has_tesseract || ! has_langs; then
  echo "ensure-ocr: installing ${PACKAGES[*]}"
  apt_install "${PACKAGES[@]}"
fi
if ! has_cjk_font; then
  echo "ensure-ocr: installing fonts-noto-cjk (no Chinese font found)"
  apt_install fonts-noto-cjk
fi

has_tesseract || { echo "ensure-ocr: $TESSERACT is still missing" >&2; exit 1; }
has_langs || { echo "ensure-ocr: Tesseract lacks one of ${LANGS[*]} after installing" >&2; exit 1; }
has_cjk_font || { echo "ensure-ocr: no Chinese font after installing fonts-noto-cjk" >&2; exit 1; }
