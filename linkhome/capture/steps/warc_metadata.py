"""The `metadata` record a snapshot's WARC keeps about its page (WARC 1.1, section 6.7).

Its fields are application/warc-fields, in the form Heritrix writes and replay and analysis
tools read: `via` (the address that redirected here), and one `outlink` per address the page
names, with its hop type (L: a link to follow, E: an embed the page needs) and where in the
markup it was found. They say what the page pointed at when it was kept, which the page's
bytes alone say only after parsing them again.
"""

from urllib.parse import urldefrag

import lxml.html

from linkhome.lib.html_depth import DEFAULT_LIMIT_REACHED, flatten_deep, reaches_depth

# A page of links (a sitemap, an index) must not turn the record into a second copy of it.
MAX_OUTLINKS = 2000
NAVIGATION_TAGS = {"a", "area", "form"}
HTML_TYPES = {"text/html", "application/xhtml+xml"}


def metadata_fields(url: str, body: bytes, content_type: str, via: str = "") -> bytes:
    """The warc-fields block for the page at `url` (its content-decoded `body`)."""
    lines = [f"via: {via}"] if via else []
    if content_type in HTML_TYPES:
        lines += [f"outlink: {link} {hop} {where}" for link, hop, where in outlinks(body, url)]
    return "".join(f"{line}\r\n" for line in lines).encode("utf-8")


def outlinks(body: bytes, base_url: str) -> list[tuple[str, str, str]]:
    """(absolute URL, hop type, context) for each distinct http(s) address in the page."""
    try:
        doc = lxml.html.document_fromstring(body, base_url=base_url)
        if reaches_depth(doc, DEFAULT_LIMIT_REACHED):  # cut by libxml2's depth limit
            flat = flatten_deep(body.decode("latin-1")).encode("latin-1")  # bytes kept as-is
            doc = lxml.html.document_fromstring(flat, base_url=base_url)
        doc.make_links_absolute(base_url, resolve_base_href=True, handle_failures="discard")
    except Exception:  # broken or empty markup has no outlinks worth failing a capture for
        return []
    found: dict[str, tuple[str, str, str]] = {}
    for element, attribute, link, _ in doc.iterlinks():
        link = urldefrag(link.strip()).url
        if link.startswith(("http://", "https://")) and link not in found:
            found[link] = (_safe(link), *_hop(element.tag, attribute))
        if len(found) >= MAX_OUTLINKS:
            break
    return list(found.values())


def _hop(tag: object, attribute: str | None) -> tuple[str, str]:
    tag = tag if isinstance(tag, str) else "node"
    hop = "L" if tag in NAVIGATION_TAGS else "E"
    return hop, f"{tag}/@{attribute}" if attribute else tag


def _safe(link: str) -> str:
    # A field value is one line of space-separated words: spaces and controls are escaped.
    return "".join(c if c > " " and c != "\x7f" else f"%{ord(c):02X}" for c in link)
