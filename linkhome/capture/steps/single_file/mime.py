"""Work out the real media type of a fetched asset.

Servers often send a wrong or generic Content-Type (``application/octet-stream``, ``text/plain``)
for images and fonts. A data: URI carries its type into the page, and for SVG the type decides
whether the image renders at all, so magic bytes win over the header, and the header wins over
the file extension.
"""

import mimetypes
import re
from urllib.parse import urlsplit

OCTET_STREAM = "application/octet-stream"

# Types a server sends when it does not know better; they say nothing about the bytes.
_GENERIC = frozenset({"", OCTET_STREAM, "binary/octet-stream", "application/unknown", "text/plain"})

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"\x00\x00\x01\x00", "image/x-icon"),
    (b"wOF2", "font/woff2"),
    (b"wOFF", "font/woff"),
    (b"OTTO", "font/otf"),
    (b"\x00\x01\x00\x00", "font/ttf"),
    (b"true", "font/ttf"),
)

# mimetypes depends on the machine's tables; these are the web types that are often missing.
_EXTENSIONS = {
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".eot": "application/vnd.ms-fontobject",
    ".svg": "image/svg+xml",
    ".webp": "image/webp",
    ".avif": "image/avif",
    ".ico": "image/x-icon",
    ".css": "text/css",
}

_TOKEN_TYPE = re.compile(r"^[\w.+-]+/[\w.+-]+$")
_SVG_START = re.compile(
    rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*(?:<!doctype svg[^>]*>\s*)?<svg[\s>]", re.I | re.S
)


def essence(content_type: str) -> str:
    """``Text/CSS; charset=UTF-8`` -> ``text/css``."""
    return content_type.split(";", 1)[0].strip().lower()


def charset_param(content_type: str) -> str | None:
    """The ``charset`` parameter of a Content-Type, if any."""
    match = re.search(r";\s*charset\s*=\s*[\"']?([\w.:-]+)", content_type, re.I)
    return match.group(1) if match else None


def sniff(body: bytes) -> str | None:
    """The type that the first bytes prove, or None."""
    for magic, mime in _MAGIC:
        if body.startswith(magic):
            return mime
    if body[:4] == b"RIFF" and body[8:12] == b"WEBP":
        return "image/webp"
    if body[4:12] in (b"ftypavif", b"ftypavis"):
        return "image/avif"
    if _SVG_START.match(body[:2048]):
        return "image/svg+xml"
    return None


def from_extension(url: str) -> str | None:
    """The type that the URL's file extension suggests, or None."""
    path = urlsplit(url).path.lower()
    suffix = path[path.rfind(".") :] if "." in path.rsplit("/", 1)[-1] else ""
    return _EXTENSIONS.get(suffix) or (mimetypes.guess_type(path)[0] if suffix else None)


def guess_mime(url: str, declared: str, body: bytes) -> str:
    """The media type to put in a data: URI: bytes first, then header, then extension."""
    declared = essence(declared)
    if not _TOKEN_TYPE.match(declared):  # a comma or space would break the data: URI
        declared = ""
    if sniffed := sniff(body):
        return sniffed
    if declared not in _GENERIC:
        return declared
    return from_extension(url) or declared or OCTET_STREAM
