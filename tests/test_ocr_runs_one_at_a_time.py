"""A worker process runs at most LINKHOME_OCR_CONCURRENCY Tesseracts at once (1 by default):
capture threads that reach OCR together wait for their turn (linkhome.lib.ocr)."""

import threading

import pytest

from linkhome.lib import ocr
from linkhome.testing.ocr_quality import cjk_font, render, skip_without_tesseract

pytestmark = pytest.mark.skipif(skip_without_tesseract(), reason="run scripts/ensure-ocr.sh")


def test_threads_take_turns_at_tesseract(monkeypatch):
    running, most = 0, 0
    lock = threading.Lock()
    real = ocr._tesseract

    def counted(*args, **kwargs):  # the real Tesseract, with a count of how many run at once
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        try:
            return real(*args, **kwargs)
        finally:
            with lock:
                running -= 1

    monkeypatch.setattr(ocr, "_tesseract", counted)
    image = render("The harbour master counted the boats at dawn.", 24, cjk_font())
    texts: list[str] = []
    threads = [
        threading.Thread(target=lambda: texts.append(ocr.ocr_image(image, ocr.OcrLimits()).text))
        for _ in range(3)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert most == 1
    assert len(texts) == 3 and all("harbour master" in text for text in texts)
