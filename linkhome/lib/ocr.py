"""Text from pictures: Tesseract (Debian's package, run as a child process through
pytesseract) reads images and the pages of scanned PDFs (rendered by PDFium, which the
pypdfium2 wheel ships). No Django: the caller passes the limits.

The cost is bounded four ways: an image past `max_pixels` is scaled down to it (and one past
four times that is not read at all), a PDF is read on its first `max_pages` pages, each image
gets `timeout` seconds (the child is killed past it), and one document gets `deadline`
seconds in all (the pages after it are left out and said). One OCR runs at a time per
process (`concurrency`), each Tesseract on one core (OMP_THREAD_LIMIT=1), so a worker's
capture threads never stack several of them on the machine.
"""

import io
import os
import shutil
import threading
import time
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field

# Tesseract parallelises some steps with OpenMP; on a shared worker one core per OCR gives
# more pages per second in all and never starves the other capture threads. The children
# pytesseract starts inherit this.
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

PDF_DPI = 300  # Tesseract reads best near 300 dpi; a page past max_pixels is rendered smaller
PDF_TEXT_CHARS_PER_PAGE = 20  # a PDF page with fewer characters of text is taken as scanned
# A later reading (another script's model) replaces the first only when Tesseract is surer of
# it by this many points of mean word confidence: on the tune sample the right model led by
# 7 to 13 points, the wrong one by at most 0.3 (bench/ocr.py --split tune).
SWITCH_MARGIN = 3.0
# A reading Tesseract is less sure of than this (mean word confidence) is taken as no text:
# noise, patterns and photos read as a stray character or two at 0 to 21, text at 71 to 90.
MIN_CONFIDENCE = 40.0
REFUSE_FACTOR = 4  # an image past this many times max_pixels is not decoded at all


@dataclass(frozen=True)
class OcrLimits:
    # Readings to try, comma separated: the first always; the others only when the first read
    # Chinese characters, and one kept when Tesseract is surer of it (SWITCH_MARGIN).
    # One model per script reads far better than chi_sim+chi_tra together (bench/ocr.py).
    languages: str = "chi_sim+eng,chi_tra+eng"
    max_pages: int = 20
    max_pixels: int = 16_000_000
    timeout: float = 60.0
    deadline: float = 300.0
    tesseract: str = "tesseract"

    @property
    def readings(self) -> list[str]:
        return [r.strip() for r in self.languages.split(",") if r.strip()]


@dataclass
class OcrResult:
    text: str = ""
    pages: int = 0  # pages (or images) read
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)  # what was left out, and why
    text_by_page: dict[int, str] = field(default_factory=dict)  # PDF pages read (0-based)


class OcrUnavailable(Exception):
    """Tesseract, or one of the languages asked for, is not installed."""


class OcrFailed(Exception):
    """The picture could not be read (too large, Tesseract failed or timed out)."""


class NotAnImage(OcrFailed):
    """The bytes do not decode as an image Pillow knows (damaged, or another format)."""


_gate_lock = threading.Lock()
_gate: threading.BoundedSemaphore | None = None
_gate_size = 0


def _slot(concurrency: int) -> threading.BoundedSemaphore:
    """The process's OCR slots (one by default): a capture thread waits here for its turn."""
    global _gate, _gate_size
    with _gate_lock:
        if _gate is None or _gate_size != concurrency:
            _gate, _gate_size = threading.BoundedSemaphore(max(1, concurrency)), concurrency
        return _gate


def available(limits: OcrLimits) -> str:
    """Why OCR cannot run here ("" when it can): Tesseract and every language present."""
    import pytesseract

    if not shutil.which(limits.tesseract):
        return f"Tesseract ({limits.tesseract}) is not installed"
    pytesseract.pytesseract.tesseract_cmd = limits.tesseract
    try:
        have = set(pytesseract.get_languages(config=""))
    except Exception as exc:
        return f"Tesseract does not run: {exc}"
    wanted = dict.fromkeys(lang for r in limits.readings for lang in r.split("+"))
    missing = [lang for lang in wanted if lang not in have]
    return f"Tesseract lacks the language data {', '.join(missing)}" if missing else ""


def ocr_image(
    data: bytes, limits: OcrLimits, concurrency: int = 1, *, layout: bool = False
) -> OcrResult:
    """The text of one image file (PNG, JPEG, GIF, WebP, TIFF, BMP: its first frame). With
    `layout`, Tesseract finds blocks and columns itself (a page's screenshot); without, the
    picture is read as one block of text."""
    from PIL import Image, UnidentifiedImageError

    started = time.monotonic()
    try:
        image = Image.open(io.BytesIO(data))
        width, height = image.size
    except Image.DecompressionBombError as exc:  # past twice Pillow's own limit
        raise OcrFailed(f"image too large to read: {exc}") from exc
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise NotAnImage(f"not an image that can be decoded: {exc}") from exc
    if width * height > REFUSE_FACTOR * limits.max_pixels:
        raise OcrFailed(
            f"image too large to read ({width}×{height} pixels; at most"
            f" {REFUSE_FACTOR * limits.max_pixels:,})"
        )
    with _slot(concurrency):
        # One block of text (a screenshot, a photo of a page): read as such, not split into
        # columns, which broke short Chinese passages apart (bench/ocr.py).
        begun = time.monotonic()  # the time limit counts from our turn, not from the wait
        try:
            fitted = _fit(image, limits.max_pixels)  # decodes the pixels: a damaged file fails here
        except (OSError, ValueError, Image.DecompressionBombError) as exc:
            raise NotAnImage(f"not an image that can be decoded: {exc}") from exc
        text = _read(fitted, limits, begun, limits.timeout, psm=3 if layout else 6)
    return OcrResult(text=text, pages=1, seconds=time.monotonic() - started)


def scanned_pages(texts: list[str]) -> list[int]:
    """The pages of a PDF (0-based) whose text layer is (almost) empty, given each page's
    text as pypdf read it."""
    return [i for i, text in enumerate(texts) if len(_letters(text)) < PDF_TEXT_CHARS_PER_PAGE]


def ocr_pdf(data: bytes, pages: list[int], limits: OcrLimits, concurrency: int = 1) -> OcrResult:
    """The text of the given pages of a PDF, rendered by PDFium and read by Tesseract, in page
    order, at most `max_pages` of them and within `deadline` seconds."""
    result = OcrResult()
    chosen = pages[: limits.max_pages]
    if len(pages) > len(chosen):
        result.notes.append(f"pages past the first {limits.max_pages} scanned ones not read")
    texts: list[str] = []
    with _slot(concurrency):
        started = time.monotonic()  # the deadline counts from our turn, not from the wait
        for number, image in _render(data, chosen, limits.max_pixels):
            left = limits.deadline - (time.monotonic() - started)
            if left <= 1:
                result.notes.append(
                    f"OCR stopped at page {number + 1}: {limits.deadline:g} s spent"
                )
                break
            page_started = time.monotonic()
            try:
                text = _read(image, limits, page_started, min(limits.timeout, left), psm=3)
            except OcrFailed as exc:  # this page only: the others are still read
                result.notes.append(f"page {number + 1} not read: {exc}")
                continue
            result.text_by_page[number] = text
            texts.append(text)
            result.pages += 1
    result.text = "\n\n".join(t for t in texts if t)
    result.seconds = time.monotonic() - started
    return result


def _render(data: bytes, pages: list[int], max_pixels: int) -> Iterator[tuple[int, object]]:
    """Each page as a grey Pillow image at PDF_DPI, or smaller to fit max_pixels."""
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(data)
    except Exception as exc:
        raise OcrFailed(f"PDFium could not open the PDF: {exc}") from exc
    try:
        for number in pages:
            if number >= len(document):
                break
            page = document[number]
            try:
                width, height = page.get_size()  # in points, 72 a inch
                scale = PDF_DPI / 72
                if width <= 0 or height <= 0:
                    continue  # a page with no area has nothing to read
                if width * height * scale * scale > max_pixels:
                    scale = (max_pixels / (width * height)) ** 0.5
                bitmap = page.render(scale=scale, grayscale=True)
                image = bitmap.to_pil()
            finally:
                page.close()
            yield number, image
    finally:
        document.close()


def _fit(image: object, max_pixels: int) -> object:
    """The image as RGB or grey, scaled down to at most max_pixels."""
    from PIL import Image

    assert isinstance(image, Image.Image)
    width, height = image.size
    if width * height > max_pixels:
        ratio = (max_pixels / (width * height)) ** 0.5
        size = (max(1, int(width * ratio)), max(1, int(height * ratio)))
        if image.format == "JPEG":
            image.draft("RGB", size)  # decode at the reduced scale: less memory
        image = image.resize(size, Image.Resampling.LANCZOS) if image.size != size else image
    if image.mode not in ("RGB", "L"):
        # Transparent pixels over white, as a page shows them.
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        image = Image.alpha_composite(background, rgba).convert("RGB")
    return image


def _read(image: object, limits: OcrLimits, started: float, timeout: float, psm: int) -> str:
    """The best of the readings (languages) within `timeout` seconds from `started`."""
    best_text, best_confidence = "", -1.0
    for number, languages in enumerate(limits.readings):
        left = timeout - (time.monotonic() - started)
        if number and (left < 1 or not any(_is_han(ch) for ch in best_text)):
            break  # no Chinese read (nothing for another script model to do), or no time
        text, confidence = _tesseract(image, limits.tesseract, languages, psm, left, timeout)
        if confidence > best_confidence + (SWITCH_MARGIN if number else 0):
            best_text, best_confidence = text, confidence
    return best_text if best_confidence >= MIN_CONFIDENCE else ""


def _tesseract(
    image: object, command: str, languages: str, psm: int, timeout: float, limit: float
) -> tuple[str, float]:
    """Tesseract's text of the image, its lines kept, and its mean word confidence (0–100)."""
    import pytesseract

    pytesseract.pytesseract.tesseract_cmd = command
    try:
        data = pytesseract.image_to_data(
            image,
            lang=languages,
            config=f"--psm {psm}",
            timeout=max(0.01, timeout),
            output_type=pytesseract.Output.DICT,
        )
    except RuntimeError as exc:  # pytesseract's timeout
        raise OcrFailed(f"OCR took longer than {limit:g} s") from exc
    except pytesseract.TesseractNotFoundError as exc:
        raise OcrUnavailable(f"Tesseract ({command}) is not installed") from exc
    except pytesseract.TesseractError as exc:
        raise OcrFailed(f"Tesseract failed: {exc.message or exc.status}") from exc
    lines: dict[tuple[int, int, int], list[str]] = {}
    confidences = []
    for i, word in enumerate(data["text"]):
        word = word.strip()
        if not word:
            continue
        key = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
        lines.setdefault(key, []).append(word)
        confidences.append(float(data["conf"][i]))
    text, previous = [], None
    for key, words in lines.items():
        if previous is not None and key[:2] != previous:
            text.append("")  # a new paragraph
        text.append(" ".join(words))
        previous = key[:2]
    confidence = sum(confidences) / len(confidences) if confidences else 0.0
    return tidy("\n".join(text)), confidence


def _is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


def tidy(text: str) -> str:
    """Tesseract's text as people read it: Chinese characters it spaced apart joined again
    (it puts a space between every two ideographs), lines kept, empty runs dropped."""
    lines: list[str] = []
    for line in text.splitlines():
        words = line.split()
        if not words:
            if lines and lines[-1]:
                lines.append("")
            continue
        joined = words[0]
        for word in words[1:]:
            joined += word if _cjk(joined[-1]) and _cjk(word[0]) else " " + word
        lines.append(joined)
    return "\n".join(lines).strip()


def _cjk(char: str) -> bool:
    name = unicodedata.name(char, "")
    return name.startswith(("CJK ", "IDEOGRAPHIC", "FULLWIDTH")) or "\u3000" <= char <= "\u303f"


def _letters(text: str) -> str:
    return "".join(ch for ch in text if ch.isalnum())
