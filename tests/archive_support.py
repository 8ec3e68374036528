"""A small site for the standard-format tests: a page with a stylesheet, an image (large
enough to be deduplicated by revisit records) and links, served from 127.0.0.1."""

import io
import subprocess
import sys
from pathlib import Path

from linkhome.testing.http import LocalHTTPServer
from linkhome.testing.images import png

PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title>
<link rel="stylesheet" href="/site.css"></head><body>
<h1>{title}</h1><p>档案馆保存网页的原样。 The archive keeps the page as it was.</p>
<img src="/photo.png" alt="photo"><a href="/other.html#top">other page</a>
<a href="https://example.org/elsewhere">elsewhere</a><a href="mailto:x@example.org">mail</a>
</body></html>"""
CSS = b"body { color: #333; background: url(bg.png) }"


def image() -> bytes:
    # Over capture's 2 KiB dedupe threshold, so a second capture records it as a revisit.
    return png(64, 64)


def serve_site(server: LocalHTTPServer, *, path: str = "/page.html", title: str = "Page") -> str:
    html = PAGE.format(title=title).encode("utf-8")
    server.route(path, body=html, headers=[("Content-Type", "text/html; charset=utf-8")])
    server.route("/site.css", body=CSS, headers=[("Content-Type", "text/css")])
    server.route("/photo.png", body=image(), headers=[("Content-Type", "image/png")])
    server.route("/bg.png", body=png(8, 8, seed=3), headers=[("Content-Type", "image/png")])
    return server.url(path)


def warcio_check(path: Path) -> subprocess.CompletedProcess:
    """`warcio check -v`: every record's block and payload digest recomputed and compared."""
    command = [str(Path(sys.executable).with_name("warcio")), "check", "-v", str(path)]
    return subprocess.run(command, capture_output=True, text=True, timeout=60)


def records_of(data: bytes) -> list:
    """(type, headers, content) of each record; content-decoded HTTP payloads."""
    from warcio.archiveiterator import ArchiveIterator

    return [
        (r.rec_type, r.rec_headers, r.content_stream().read())
        for r in ArchiveIterator(io.BytesIO(data))
    ]
