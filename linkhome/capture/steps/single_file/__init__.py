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
- the budget is spent in document order of priority: style sheets (with their fonts and
  images), then images, then icons; ``max_assets`` counts fetch attempts.
"""

from dataclasses import dataclass, field

import webencodings
from lxml.html import HtmlElement

from . import document, images, neutralize, styles
from .assets import Asset, AssetError, AssetFetcher, Inliner, Limits
from .document import CONTENT_SECURITY_POLICY

__all__ = [
    "CONTENT_SECURITY_POLICY",
    "Asset",
    "AssetError",
    "AssetFetcher",
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
) -> SingleFile:
    """Inline the assets of ``html`` (fetched from ``base_url``) into one offline document."""
    root, had_doctype = document.parse(html)
    base = document.take_base(root, base_url)
    inliner = Inliner(fetch, Limits(max_assets, max_total_bytes), _encoding(root))
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


def _encoding(root: HtmlElement) -> webencodings.Encoding | None:
    charset = document.charset_of(root)
    return webencodings.lookup(charset) if charset else None


def _neutralize(root: HtmlElement, base: str) -> None:
    neutralize.remove_scripts(root)
    neutralize.remove_meta_directives(root)
    neutralize.strip_active_attributes(root)
    neutralize.disable_frames(root, base)
    neutralize.remove_plugins(root)
    neutralize.remove_media_sources(root)
    neutralize.absolutize_links(root, base)
    images.promote_lazy_images(root)
    images.unwrap_noscript_images(root, base)


def _inline(root: HtmlElement, base: str, page_url: str, inliner: Inliner) -> None:
    styles.inline_style_elements(root, base, inliner)  # first: <link>s become <style>s next
    names_icon = styles.inline_links(root, base, inliner)
    styles.inline_style_attributes(root, base, inliner)
    images.inline_images(root, base, inliner)
    if not names_icon:
        styles.add_site_favicon(root, page_url, inliner)
