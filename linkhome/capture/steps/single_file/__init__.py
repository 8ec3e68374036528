"""The "assets" capture step: a page and its assets as one self-contained HTML file.

A pure function over a fetch callback (the pipeline's fetcher goes through the SSRF-guarded
client, records WARC and stores blobs; none of that is known here). Stylesheets, images, fonts
and icons are inlined as data: URIs; everything that runs or would reach the network is
removed, and a Content-Security-Policy <meta> backs that up, so the file opens offline.

Decisions (see the modules for details):
- srcset keeps one candidate, the largest, inlined with its descriptor (images.py).
- frames stay for layout, emptied, with a srcdoc placeholder naming what was embedded.
- a failed asset's reference is removed (HTML attribute) or becomes ``data:,`` (CSS), and is
  recorded in ``failed``; deliberately unarchived things (frames, video/audio streams,
  plugins) are not assets and are not recorded.
- the budget is spent by priority: style sheets (with their fonts and images), style
  attributes, images, then icons; ``max_assets`` counts fetch attempts, and an asset too big
  for what is left of ``max_total_bytes`` is skipped while smaller ones still fit.
"""

import codecs
from dataclasses import dataclass, field

import webencodings
from lxml.html import HtmlElement

from . import document, images, neutralize, styles
from .assets import Asset, AssetError, AssetFetcher, Embedder, Inliner, Limits
from .document import CONTENT_SECURITY_POLICY

__all__ = [
    "CONTENT_SECURITY_POLICY",
    "Asset",
    "AssetError",
    "AssetFetcher",
    "Embedder",
    "SingleFile",
    "asset_urls",
    "build_single_file",
]


@dataclass
class SingleFile:
    html: str  # self-contained document
    assets: list[str] = field(default_factory=list)  # absolute URLs inlined
    failed: dict[str, str] = field(default_factory=dict)  # url -> why it is not inlined


def build_single_file(
    html: str,
    base_url: str,
    fetch: AssetFetcher,
    *,
    max_assets: int = 200,
    max_total_bytes: int = 30 * 1024 * 1024,
    charset: str | None = None,
    embed: Embedder | None = None,
) -> SingleFile:
    """Inline the assets of ``html`` (fetched from ``base_url``) into one offline document.

    ``charset`` is the encoding the page's bytes were decoded from: style sheets that declare
    none are decoded with it, as browsers do (default: the charset the page's <meta> names).
    ``embed`` turns a fetched asset into the URI written in its place (default: data: URI).
    """
    root, had_doctype = document.parse(html)
    base = document.take_base(root, base_url)
    encoding = _encoding(charset or document.charset_of(root))
    inliner = Inliner(fetch, Limits(max_assets, max_total_bytes), encoding, embed)
    _neutralize(root, base)
    _inline(root, base, base_url, inliner)
    neutralize.drop_external_svg_references(root)
    document.add_content_security_policy(root)
    text = document.serialize(root, had_doctype)
    return SingleFile(html=text, assets=inliner.assets, failed=inliner.failed)


def asset_urls(html: str, base_url: str) -> list[str]:
    """The URLs ``build_single_file`` would fetch for the page itself (first level: not what
    style sheets import), in fetch order, each once."""
    requested: list[str] = []

    def plan(url: str) -> Asset:
        requested.append(url)
        return Asset(url=url, mime="", body=b"")  # "succeeds", so no fallback is tried

    build_single_file(html, base_url, plan, max_assets=10**9)
    return requested


def _encoding(label: str | None) -> webencodings.Encoding | None:
    """A WHATWG label ("gb2312") or a Python codec name ("gb18030", "big5hkscs")."""
    if not label:
        return None
    try:
        return webencodings.lookup(label) or webencodings.Encoding(label, codecs.lookup(label))
    except LookupError:
        return None


def _neutralize(root: HtmlElement, base: str) -> None:
    styles.apply_deferred_stylesheets(root)  # reads onload handlers: before they go
    neutralize.remove_scripts(root)
    neutralize.remove_meta_directives(root)
    neutralize.strip_active_attributes(root)
    neutralize.disable_frames(root, base)
    neutralize.remove_plugins(root)
    neutralize.remove_media_sources(root)
    neutralize.absolutize_links(root, base)
    images.promote_lazy_images(root)
    images.unwrap_noscript_fallbacks(root, base)


def _inline(root: HtmlElement, base: str, page_url: str, inliner: Inliner) -> None:
    # Order = priority when the budget runs out: layout first, decoration last.
    styles.inline_style_elements(root, base, inliner)  # before <link>s turn into <style>s
    styles.inline_stylesheet_links(root, base, inliner)
    styles.inline_style_attributes(root, base, inliner)
    images.inline_images(root, base, inliner)
    if not styles.inline_icons(root, base, inliner):
        styles.add_site_favicon(root, page_url, inliner)
