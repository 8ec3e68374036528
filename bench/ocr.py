"""OCR character accuracy (1 − CER) and seconds per image on text rendered from known text.

Simplified Chinese (THUCNews), traditional Chinese (the chardet corpus's Big5 blogs) and
English (BBC news) passages from ../shared/corpus, drawn by Pillow in Noto Sans CJK at
several pixel sizes and read back by linkhome.lib.ocr, the function captures use (see
linkhome/testing/ocr_quality.py for how the text is drawn and scored). Also the cost of one
scanned A4 page (a PDF made of a page image, rendered by PDFium and read). Prints one JSON
object; asserts nothing.
Usage: python bench/ocr.py [--split tune|report] [--languages chi_sim+chi_tra+eng]
       [--passages 3] [--sizes 12,16,24,32] [--show]
"""

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    from linkhome.lib.ocr import OcrLimits, ocr_pdf
    from linkhome.testing import ocr_quality

    parser = argparse.ArgumentParser()
    parser.add_argument("--split", choices=sorted(ocr_quality.SPLITS), default="report")
    parser.add_argument("--languages", default=OcrLimits().languages)
    parser.add_argument("--passages", type=int, default=ocr_quality.PASSAGES)
    parser.add_argument("--sizes", default=",".join(map(str, ocr_quality.SIZES)))
    parser.add_argument("--show", action="store_true", help="print what was read, per image")
    args = parser.parse_args()
    limits = OcrLimits(languages=args.languages)
    sizes = tuple(int(s) for s in args.sizes.split(","))
    readings = ocr_quality.measure(args.split, limits, sizes=sizes, count=args.passages)
    if args.show:
        for r in readings:
            print(json.dumps(r.__dict__, ensure_ascii=False), file=sys.stderr)
    # One scanned A4 page: three passages in 10 pt type drawn on a 300 dpi page, kept in a PDF
    # with no text layer, then rendered and read as a capture reads it.
    page = ocr_quality.scanned_page_pdf(ocr_quality.passages("zh-Hans", args.split, 3))
    started = time.monotonic()
    result = ocr_pdf(page, [0], limits)
    page_seconds = time.monotonic() - started
    print(
        json.dumps(
            {
                "split": args.split,
                "languages": args.languages,
                "passages": args.passages,
                "accuracy": ocr_quality.summary(readings),
                "scanned_a4_page": {
                    "seconds": round(page_seconds, 2),
                    "accuracy": round(
                        ocr_quality.accuracy(
                            "".join(t for _, t in ocr_quality.passages("zh-Hans", args.split, 3)),
                            result.text,
                        ),
                        3,
                    ),
                    "bytes": len(page),
                },
            },
            ensure_ascii=False,
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
