"""Whether two full-page screenshots (PNG) differ in a way a person would see. No Django.

Both pictures are shrunk to COLUMNS columns of square cells, each cell the mean colour of the
pixels it covers (a 1280-pixel-wide screenshot: cells of 10×10 pixels). What differs between
two renderings of the same page (antialiasing, text placed a fraction of a pixel elsewhere,
hinting) moves a cell's mean by a few levels only; a changed paragraph, picture or box
moves many cells a lot. A cell counts as changed when one of its colours (red, green, blue:
a hue changed at the same brightness is seen too) differs by more than CELL_THRESHOLD of 255
levels. Pages of different heights are compared over the shorter one, and the rows of cells
only the taller one has count as changed, HEIGHT_SLACK rows aside: a page a few pixels
longer by rounding is the same page, a page grown by a screen changed by a screen's share.

`ratio` is the share of changed cells in the taller picture (0 the same, 1 all of it);
`changed` is ratio > CHANGED_SHARE. What it cannot tell: a rotating advertisement or a
carousel that shows another picture is a visible change, as an edited picture is; one word
replaced in a paragraph is usually below the threshold (the text comparison, history.textdiff,
says so). Figures: README, bench/screenshot_diff.py.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image, ImageChops

COLUMNS = 128
CELL_THRESHOLD = 24  # levels of 255, in any of the three colours
CHANGED_SHARE = 0.002  # of the cells
HEIGHT_SLACK = 1  # rows of cells a page may grow or shrink by and stay the same
# Full-page screenshots are cut at 16000 pixels (capture.browser.page); twice Pillow's own
# limit refuses what no capture wrote (a decompression bomb stored by other means).
MAX_PIXELS = 2 * 89_478_485


class UnreadableScreenshot(ValueError):
    """A stored screenshot that is not a picture Pillow can read."""


@dataclass(frozen=True)
class ScreenshotDiff:
    changed: bool
    ratio: float

    def as_dict(self) -> dict:
        return {"changed": self.changed, "ratio": self.ratio}


def compare_screenshots(before: bytes, after: bytes) -> ScreenshotDiff:
    """Compare two PNG (or other Pillow-readable) screenshots; see the module's docstring."""
    a, b = shrunk(before), shrunk(after)
    height = max(a.height, b.height)
    if height == 0:
        return ScreenshotDiff(False, 0.0)
    overlap = min(a.height, b.height)
    changed = _changed_cells(a.crop((0, 0, COLUMNS, overlap)), b.crop((0, 0, COLUMNS, overlap)))
    changed += max(0, height - overlap - HEIGHT_SLACK) * COLUMNS
    ratio = round(changed / (height * COLUMNS), 4)
    return ScreenshotDiff(ratio > CHANGED_SHARE, ratio)


def shrunk(data: bytes) -> Image.Image:
    """The picture COLUMNS cells wide, each cell the mean of the square of pixels it covers
    (a last strip shorter than a cell is left out)."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > MAX_PIXELS:
                raise UnreadableScreenshot(f"{image.width}×{image.height} pixels is too large")
            image.load()
            # Shrunk as decoded (a screenshot is RGB or RGBA): no full-size copy is made.
            full = image if image.mode in ("RGB", "RGBA") else image.convert("RGB")
            # The same square in both pictures, whatever their heights: cells of slightly
            # different heights would drift apart down a long page.
            side = full.width / COLUMNS
            rows = int(full.height / side)
            if rows == 0:
                return Image.new("RGB", (COLUMNS, 0))
            box = (0, 0, full.width, rows * side)
            small = full.resize((COLUMNS, rows), Image.Resampling.BOX, box=box)
    except (OSError, SyntaxError, Image.DecompressionBombError) as exc:
        raise UnreadableScreenshot(str(exc)) from exc
    return small.convert("RGB")


def _changed_cells(a: Image.Image, b: Image.Image) -> int:
    if a.height == 0:
        return 0
    red, green, blue = ImageChops.difference(a, b).split()
    most = ImageChops.lighter(red, ImageChops.lighter(green, blue))
    return sum(most.histogram()[CELL_THRESHOLD + 1 :])
