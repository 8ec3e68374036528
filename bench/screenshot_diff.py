"""Precision and recall of "the screenshot changed visibly" (linkhome.lib.screenshot_diff).

Pages are drawn by Pillow, not Chromium: a 1280-pixel-wide page with a header, a title,
paragraphs of English and Chinese text (DejaVu Sans, Noto Sans CJK), a picture and an
ad-sized box (300×250) beside the text. Each page is drawn twice and compared:

- same: the same page drawn again the way two browser renderings differ: everything moved
  by a random fraction of a pixel (drawn at 4× and shrunk, so glyph edges antialias
  differently), up to 3 pixels more or less page height, and about ±1 level of noise in
  each colour;
- paragraph: one paragraph rewritten (as many sentences, other words: its length, and so
  the place of everything below it, may change);
- word: one word of one paragraph replaced (a harder case than the brief's);
- image: the picture replaced by another;
- ad: the ad-sized box shows another advertisement (another colour and slogan).

Every case but "same" is visibly changed. The ad box is a visible change as well, but not
one a reader cares about: the figures are given both ways (`with_ads_as_change` and
`with_ads_as_noise`). The thresholds of lib.screenshot_diff were chosen on pages of seeds
0 to 11; the default seed (100 on) measures other pages. Prints one JSON object; asserts
nothing.
Usage: python bench/screenshot_diff.py [--pages 40] [--seed 100]
"""

import argparse
import io
import json
import random
import sys
import time
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from linkhome.lib.screenshot_diff import compare_screenshots  # noqa: E402

WIDTH = 1280
SCALE = 4
LATIN_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
CJK_FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
WORDS = [
    "archive",
    "page",
    "link",
    "snapshot",
    "change",
    "river",
    "mountain",
    "window",
    "paper",
    "letter",
    "garden",
    "morning",
    "history",
    "market",
    "station",
    "teacher",
    "library",
    "answer",
    "question",
    "people",
    "country",
    "evening",
]
HAN = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可也你"
CASES = ("same", "paragraph", "word", "image", "ad")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=40)
    parser.add_argument("--seed", type=int, default=100)
    args = parser.parse_args()
    rows = []
    seconds = []
    for n in range(args.pages):
        rng = random.Random(args.seed + n)
        page = make_page(rng)
        before = render(page, rng)
        for case in CASES:
            after = render(edit(page, case, rng), rng)
            start = time.perf_counter()
            found = compare_screenshots(before, after)
            seconds.append(time.perf_counter() - start)
            rows.append({"case": case, "changed": found.changed, "ratio": found.ratio})
    by_case = {}
    for case in CASES:
        mine = [r for r in rows if r["case"] == case]
        ratios = sorted(r["ratio"] for r in mine)
        by_case[case] = {
            "pairs": len(mine),
            "said_changed": sum(r["changed"] for r in mine),
            "ratio_min": ratios[0],
            "ratio_median": ratios[len(ratios) // 2],
            "ratio_max": ratios[-1],
        }
    result = {
        "pages": args.pages,
        "seed": args.seed,
        "page_size": f"{WIDTH}×~{page['height']}",
        "cases": by_case,
        "with_ads_as_change": scores(rows, positive=set(CASES) - {"same"}),
        "with_ads_as_noise": scores(rows, positive=set(CASES) - {"same", "ad"}),
        "seconds_per_comparison_median": round(sorted(seconds)[len(seconds) // 2], 4),
    }
    print(json.dumps(result, indent=2, ensure_ascii=False))


def scores(rows: list[dict], positive: set[str]) -> dict:
    tp = sum(r["changed"] and r["case"] in positive for r in rows)
    fp = sum(r["changed"] and r["case"] not in positive for r in rows)
    fn = sum(not r["changed"] and r["case"] in positive for r in rows)
    return {
        "precision": round(tp / (tp + fp), 3) if tp + fp else None,
        "recall": round(tp / (tp + fn), 3) if tp + fn else None,
        "true_positives": tp,
        "false_positives": fp,
        "false_negatives": fn,
    }


def sentence(rng: random.Random, chinese: bool) -> str:
    if chinese:
        return "".join(rng.choice(HAN) for _ in range(rng.randint(30, 60))) + "。"
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(12, 24))).capitalize() + "."


def make_page(rng: random.Random) -> dict:
    chinese = rng.random() < 0.5
    paragraphs = [
        [sentence(rng, chinese) for _ in range(rng.randint(2, 4))]
        for _ in range(rng.randint(6, 10))
    ]
    return {
        "chinese": chinese,
        "title": sentence(rng, chinese)[:30],
        "paragraphs": paragraphs,
        "picture": rng.randrange(1 << 30),
        "ad": rng.randrange(1 << 30),
        "height": 0,
    }


def edit(page: dict, case: str, rng: random.Random) -> dict:
    changed = {**page, "paragraphs": [list(p) for p in page["paragraphs"]]}
    if case == "paragraph":
        i = rng.randrange(len(changed["paragraphs"]))
        changed["paragraphs"][i] = [
            sentence(rng, page["chinese"]) for _ in changed["paragraphs"][i]
        ]
    elif case == "word":
        i = rng.randrange(len(changed["paragraphs"]))
        text = changed["paragraphs"][i][0]
        if page["chinese"]:
            at = rng.randrange(len(text) - 3)
            text = text[:at] + "".join(rng.choice(HAN) for _ in range(2)) + text[at + 2 :]
        else:
            words = text.split(" ")
            at = rng.randrange(len(words))
            words[at] = rng.choice([w for w in WORDS if w != words[at].lower()])
            text = " ".join(words)
        changed["paragraphs"][i][0] = text
    elif case == "image":
        changed["picture"] = page["picture"] + 1
    elif case == "ad":
        changed["ad"] = page["ad"] + 1
    return changed


def render(page: dict, rng: random.Random) -> bytes:
    """The page at SCALE× moved by a random fraction of a pixel, shrunk to WIDTH: a
    re-rendering whose glyph edges antialias differently."""
    dx, dy = rng.randrange(SCALE), rng.randrange(SCALE)
    font = ImageFont.truetype(CJK_FONT if page["chinese"] else LATIN_FONT, 17 * SCALE)
    big = ImageFont.truetype(CJK_FONT if page["chinese"] else LATIN_FONT, 30 * SCALE)
    lines = []
    for paragraph in page["paragraphs"]:
        lines.extend(wrap(" ".join(paragraph) if not page["chinese"] else "".join(paragraph), font))
        lines.append("")
    height = 200 + 26 * len(lines) + 420
    page["height"] = height
    height += rng.randint(-3, 3)
    image = Image.new("RGB", (WIDTH * SCALE, height * SCALE), "white")
    draw = ImageDraw.Draw(image)
    s = SCALE
    draw.rectangle((0, 0, WIDTH * s, 64 * s), fill=(36, 41, 47))
    draw.text((40 * s + dx, 16 * s + dy), "LinkHome News", fill="white", font=font)
    draw.text((40 * s + dx, 90 * s + dy), page["title"], fill="black", font=big)
    y = 160
    for line in lines:
        draw.text((40 * s + dx, y * s + dy), line, fill=(20, 20, 20), font=font)
        y += 26
    picture(draw, page["picture"], (40 * s + dx, (y + 20) * s + dy), (600 * s, 360 * s))
    advert(draw, page["ad"], font, (930 * s + dx, 160 * s + dy), (300 * s, 250 * s))
    small = image.resize((WIDTH, height), Image.Resampling.LANCZOS)
    noisy = [  # each channel about ± 1 level
        ImageChops.add(band, Image.effect_noise(small.size, 1.0), scale=1.0, offset=-128)
        for band in small.split()
    ]
    small = Image.merge("RGB", noisy)
    out = io.BytesIO()
    small.save(out, "PNG")
    return out.getvalue()


def wrap(text: str, font: ImageFont.FreeTypeFont) -> list[str]:
    limit = 840 * SCALE
    lines, line = [], ""
    pieces = text.split(" ") if " " in text else list(text)
    joiner = " " if " " in text else ""
    for piece in pieces:
        candidate = f"{line}{joiner}{piece}" if line else piece
        if font.getlength(candidate) > limit and line:
            lines.append(line)
            line = piece
        else:
            line = candidate
    if line:
        lines.append(line)
    return lines


def picture(draw: ImageDraw.ImageDraw, seed: int, at: tuple, size: tuple) -> None:
    rng = random.Random(seed)
    x, y = at
    w, h = size
    draw.rectangle((x, y, x + w, y + h), fill=tuple(rng.randrange(256) for _ in range(3)))
    for _ in range(12):
        cx, cy = x + rng.randrange(w), y + rng.randrange(h)
        r = rng.randrange(h // 10, h // 3)
        box = (max(x, cx - r), max(y, cy - r), min(x + w, cx + r), min(y + h, cy + r))
        draw.ellipse(box, fill=tuple(rng.randrange(256) for _ in range(3)))


def advert(draw: ImageDraw.ImageDraw, seed: int, font, at: tuple, size: tuple) -> None:  # noqa: ANN001
    rng = random.Random(seed)
    x, y = at
    w, h = size
    draw.rectangle((x, y, x + w, y + h), fill=tuple(rng.randrange(256) for _ in range(3)))
    slogan = " ".join(rng.choice(WORDS) for _ in range(3)).upper()
    draw.text((x + 20 * SCALE, y + 100 * SCALE), slogan, fill="white", font=font)


if __name__ == "__main__":
    main()
