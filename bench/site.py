"""A local site for benchmarks: real corpus pages plus shared CSS, images and a font.

Run as a separate process (so its threads do not share a GIL with what is measured):
    python bench/site.py PAGES  → prints "PORT" then serves until killed.
"""

import gzip
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from linkhome.testing.corpus import corpus_dir
from linkhome.testing.http import LocalHTTPServer
from linkhome.testing.images import png

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
SHARED_TAGS = (
    '<link rel="stylesheet" href="/static/site.css"><link rel="icon" href="/static/icon.png">'
)
BODY_TAGS = '<img src="/static/logo.png" alt="logo"><img data-src="/static/banner.png" alt="">'


def css() -> bytes:
    font = "@font-face{font-family:Site;src:url(fonts/site.ttf)}" if FONT.exists() else ""
    return (
        font + "body{font-family:Site,sans-serif;background:url(bg.png)}@import url(extra.css);"
    ).encode()


def corpus_pages(limit: int) -> list[bytes]:
    root = corpus_dir()
    files = sorted((root / "magic-html-bench" / "article" / "htmls").glob("*.html.gz"))
    files += sorted((root / "scrapinghub-aeb" / "html").glob("*.html.gz"))
    return [gzip.decompress(f.read_bytes()) for f in files[:limit]]


# Corpus pages point at their original hosts; here nothing outside 127.0.0.1 exists. Two
# versions of each page: /p/ points those references at this site (where they answer 404
# at once: every asset the page had is still fetched and recorded), /q/ turns them into
# inert "data:," so only the site's shared assets are fetched.
EXTERNAL = re.compile(rb"(?<=[\"'(=])(?:https?:)?//[A-Za-z0-9.-]+(?=[/\"'])")
EXTERNAL_WHOLE = re.compile(rb"(?<=[\"'(=])(?:https?:)?//[A-Za-z0-9.-]+[^\"'\s)>]*")


def with_shared_assets(page: bytes, keep_references: bool = True) -> bytes:
    page = EXTERNAL.sub(b"/ext", page) if keep_references else EXTERNAL_WHOLE.sub(b"data:,", page)
    page = page.replace(b"</head>", SHARED_TAGS.encode() + b"</head>", 1)
    return page.replace(b"</body>", BODY_TAGS.encode() + b"</body>", 1)


def build(server: LocalHTTPServer, limit: int) -> int:
    static = {
        "/static/site.css": ("text/css", css()),
        "/static/extra.css": ("text/css", b"p{margin:0}"),
        "/static/bg.png": ("image/png", png(64, 64, 3)),
        "/static/logo.png": ("image/png", png(120, 40, 5)),
        "/static/banner.png": ("image/png", png(300, 60, 11)),
        "/static/icon.png": ("image/png", png(16, 16, 13)),
    }
    if FONT.exists():
        static["/static/fonts/site.ttf"] = ("font/ttf", FONT.read_bytes())
    for path, (mime, body) in static.items():
        server.route(path, body=body, headers=[("Content-Type", mime)])
    pages = corpus_pages(limit)
    for number, page in enumerate(pages):
        for prefix, keep in (("p", True), ("q", False)):
            body = with_shared_assets(page, keep)
            server.route(
                f"/{prefix}/{number}.html", body=body, headers=[("Content-Type", "text/html")]
            )
    return len(pages)


if __name__ == "__main__":
    site = LocalHTTPServer()
    count = build(site, int(sys.argv[1]) if len(sys.argv) > 1 else 220)
    print(site.port, count, flush=True)
    while True:
        time.sleep(3600)
