"""OCR character accuracy stays above its floors: passages of known simplified Chinese,
traditional Chinese and English text (the `report` sample of linkhome.testing.ocr_quality,
none of which was looked at while the settings were chosen) drawn at 12, 16, 24 and 32
pixels and read by the function captures use. Floors are the figures measured on the first
two report passages (bench/ocr.py prints all three), less a margin for another machine's
Tesseract build; they are accuracy, never time.

Marked ``corpus``: the text comes from ../shared/corpus."""

import pytest

from linkhome.lib.ocr import OcrLimits
from linkhome.testing.corpus import corpus_dir
from linkhome.testing.ocr_quality import measure, skip_without_tesseract, summary

# 1 − CER over the two passages and four sizes: measured 0.958 / 0.977 / 0.995 (Debian's
# Tesseract 5.3.0 and its 4.1.0 language data); the floors are 0.025 to 0.035 lower.
FLOORS = {"zh-Hans": 0.93, "zh-Hant": 0.94, "en": 0.97}


@pytest.mark.corpus
@pytest.mark.skipif(skip_without_tesseract(), reason="run scripts/ensure-ocr.sh")
def test_ocr_reads_rendered_text_above_its_floors():
    if not (corpus_dir() / "topics-zh").is_dir():
        pytest.skip("the shared corpus is missing")
    readings = measure("report", OcrLimits(), count=2)
    figures = summary(readings)
    print(figures)
    for language, floor in FLOORS.items():
        assert figures[language]["all"] >= floor, (language, figures[language])
