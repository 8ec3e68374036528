"""OCR character accuracy on text rendered here, from known text (bench/ocr.py prints it, the
OCR quality gate in tests/ holds it to floors). No Django.

Known text: simplified Chinese from THUCNews (`topics-zh/thucnews.jsonl`), traditional
Chinese from the Big5 blogs of the chardet corpus (`chardet-encodings/Big5/*.xml`), English
from the BBC news set (`topics-en/bbc.jsonl`), all in ../shared/corpus. Each passage is drawn
by Pillow in Noto Sans CJK (Debian's fonts-noto-cjk; its Latin letters for English), black
on white, wrapped to a 1000-pixel line, at several pixel sizes, and read back by the same
function captures use (linkhome.lib.ocr). Accuracy is 1 − CER: the Levenshtein distance
(rapidfuzz) between what was drawn and what was read, over the length of what was drawn,
after NFKC (full-width punctuation is ASCII) with spaces dropped between Chinese characters
and runs of spaces made one.

Two samples that share no passage: `tune` (looked at while choosing the settings) and
`report` (the figures the README and the gate use).
"""

import html
import io
import json
import os
import re
import shutil
import subprocess
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from statistics import mean

from linkhome.lib.ocr import OcrLimits, ocr_image
from linkhome.testing.corpus import corpus_dir

SIZES = (12, 16, 24, 32)
LANGUAGES = ("zh-Hans", "zh-Hant", "en")
WIDTH = 1000  # pixels of text a line, plus margins
CJK_CHARS = 120  # characters a Chinese passage (about 5 lines at 24 px)
EN_CHARS = 400
PASSAGES = 3  # passages a language, size and split
# Which passages each sample takes: tune the even, report the odd ones.
SPLITS = {"tune": 0, "report": 1}


@dataclass
class Reading:
    language: str
    size: int
    source: str
    accuracy: float
    seconds: float
    truth: str
    read: str


def skip_without_tesseract() -> bool:
    """Whether the OCR tests skip: Tesseract is missing and this is not CI (where
    scripts/ensure-ocr.sh installed it, so a missing one fails the tests instead)."""
    return not shutil.which("tesseract") and os.environ.get("CI") != "true"


def cjk_font() -> str:
    """Noto Sans CJK from fontconfig (Debian's fonts-noto-cjk)."""
    out = subprocess.run(
        ["fc-match", "-f", "%{file}", "Noto Sans CJK SC:style=Regular"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    if "NotoSansCJK" not in out:
        raise RuntimeError(
            "Noto Sans CJK not found: install fonts-noto-cjk (scripts/ensure-ocr.sh)"
        )
    return out


def passages(language: str, split: str, count: int = PASSAGES) -> list[tuple[str, str]]:
    """(source, text) passages of one language for one sample."""
    pool = _pool(language)
    start = SPLITS[split]
    return pool[start::2][:count]


def _pool(language: str) -> list[tuple[str, str]]:
    corpus = corpus_dir()
    out: list[tuple[str, str]] = []
    if language == "zh-Hans":
        for line in (corpus / "topics-zh" / "thucnews.jsonl").open(encoding="utf-8"):
            doc = json.loads(line)
            # Every 50th article: topics spread out, no two passages alike.
            if int(doc["id"].rsplit("-", 1)[1]) % 50 == 1:
                out.append((doc["id"], _cut(_one_line(doc["text"]), CJK_CHARS)))
    elif language == "zh-Hant":
        for path in sorted((corpus / "chardet-encodings" / "Big5").glob("*.xml")):
            text = _big5_text(path)
            if len(text) >= CJK_CHARS:
                out.append((f"Big5/{path.name}", _cut(text, CJK_CHARS)))
    elif language == "en":
        lines = (corpus / "topics-en" / "bbc.jsonl").open(encoding="utf-8")
        for number, line in enumerate(lines):
            doc = json.loads(line)
            if number % 290 == 0:  # six articles spread over the five topics
                out.append((doc["id"], _cut(_one_line(doc["text"]), EN_CHARS)))
    else:
        raise ValueError(language)
    return out


def _big5_text(path: Path) -> str:
    """The Chinese prose of a Big5 feed: entries' markup and escapes removed, the longest
    runs of mostly-Han text kept."""
    raw = path.read_bytes().decode("big5hkscs", errors="replace")
    for _ in range(2):  # feeds escape their HTML once, sometimes twice
        raw = html.unescape(re.sub(r"<[^>]*>", " ", raw))
    lines = [_one_line(line) for line in re.split(r"[\n\r]+", raw)]
    han = [
        line
        for line in lines
        if len(line) >= 30
        and sum(_is_han(ch) for ch in line) / len(line) > 0.6
        and "\ufffd" not in line
    ]
    return "".join(han)


def _is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def _one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _cut(text: str, chars: int) -> str:
    """About `chars` characters, ending at a word when the text has spaces."""
    if len(text) <= chars:
        return text
    cut = text[:chars]
    return cut.rsplit(" ", 1)[0] if " " in cut[chars // 2 :] else cut


def render(text: str, size: int, font_path: str) -> bytes:
    """The text drawn black on white, wrapped to WIDTH pixels, as a PNG."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(font_path, size)
    lines = _wrap(text, font, WIDTH)
    line_height = int(size * 1.6)
    margin = max(10, size)
    image = Image.new("L", (WIDTH + 2 * margin, len(lines) * line_height + 2 * margin), 255)
    draw = ImageDraw.Draw(image)
    for i, line in enumerate(lines):
        draw.text((margin, margin + i * line_height), line, font=font, fill=0)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def scanned_page_pdf(texts: list[tuple[str, str]], size: int = 42) -> bytes:
    """A PDF with no text layer: the passages drawn on an A4 page at 300 dpi (`size` pixels
    is 10 pt there), saved by Pillow as a one-image PDF, as a scanner makes them."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(cjk_font(), size)
    page = Image.new("L", (2480, 3508), 255)
    draw = ImageDraw.Draw(page)
    y = 240
    for _, text in texts:
        for line in _wrap(text, font, 2480 - 2 * 240):
            draw.text((240, y), line, font=font, fill=0)
            y += int(size * 1.6)
        y += size
    out = io.BytesIO()
    page.save(out, "PDF", resolution=300)
    return out.getvalue()


def _wrap(text: str, font: object, width: int) -> list[str]:
    from PIL import ImageFont

    assert isinstance(font, ImageFont.FreeTypeFont)
    # Chinese wraps at any character, English at spaces.
    chinese = sum(_is_han(ch) for ch in text) > len(text) * 0.3
    units = list(text) if chinese else text.split(" ")
    joiner = "" if chinese else " "
    lines: list[str] = []
    line = ""
    for unit in units:
        candidate = f"{line}{joiner}{unit}" if line else unit
        if font.getlength(candidate) > width and line:
            lines.append(line)
            line = unit
        else:
            line = candidate
    if line:
        lines.append(line)
    return lines


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"\s+", " ", text).strip()
    # A space between two non-Latin characters is layout, not text.
    return re.sub(r"(?<=[^\x00-\x7f]) | (?=[^\x00-\x7f])", "", text)


def accuracy(truth: str, read: str) -> float:
    """1 − CER, floored at 0."""
    from rapidfuzz.distance import Levenshtein

    truth, read = normalise(truth), normalise(read)
    return max(0.0, 1 - Levenshtein.distance(truth, read) / max(1, len(truth)))


def measure(
    split: str,
    limits: OcrLimits | None = None,
    sizes: tuple[int, ...] = SIZES,
    languages: tuple[str, ...] = LANGUAGES,
    count: int = PASSAGES,
) -> list[Reading]:
    limits = limits or OcrLimits()
    font = cjk_font()
    readings = []
    for language in languages:
        for source, text in passages(language, split, count):
            for size in sizes:
                image = render(text, size, font)
                started = time.monotonic()
                read = ocr_image(image, limits).text
                readings.append(
                    Reading(
                        language,
                        size,
                        source,
                        accuracy(text, read),
                        time.monotonic() - started,
                        text,
                        read,
                    )
                )
    return readings


def summary(readings: list[Reading]) -> dict[str, dict[str, float]]:
    """Mean accuracy by language and size ("all" over the sizes), and mean seconds."""
    out: dict[str, dict[str, float]] = {}
    for language in dict.fromkeys(r.language for r in readings):
        mine = [r for r in readings if r.language == language]
        row = {
            str(size): round(mean(r.accuracy for r in mine if r.size == size), 3)
            for size in dict.fromkeys(r.size for r in mine)
        }
        row["all"] = round(mean(r.accuracy for r in mine), 3)
        row["seconds_per_image"] = round(mean(r.seconds for r in mine), 2)
        out[language] = row
    return out
