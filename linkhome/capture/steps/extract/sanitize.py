"""The one nh3 policy for readable HTML: structure, links and images, nothing that runs."""

from __future__ import annotations

from collections.abc import Callable

import nh3

_TAG_WORDS = (
    "h1 h2 h3 h4 h5 h6 p br hr div ul ol li dl dt dd table caption thead tbody tfoot tr th td "
    "blockquote pre code em strong b i u s sub sup mark small abbr cite q a img figure "
    "figcaption"
)
TAGS = frozenset(_TAG_WORDS.split())
ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start"},
    "*": {"lang", "dir"},
}
# Dropped with their content: what they hold is never readable text.
CLEAN_CONTENT_TAGS = frozenset({"script", "style", "template", "noscript", "iframe", "object"})
URL_SCHEMES = frozenset({"http", "https", "mailto"})


def sanitize_html(html: str) -> str:
    """Sanitized readable HTML: no scripts, styles, event handlers or javascript: URLs."""
    return nh3.clean(html, **_policy())


def replace_image_sources(html: str, source_for: Callable[[str], str | None]) -> str:
    """``html`` (already sanitized) with each ``<img src>`` replaced by ``source_for(src)``,
    or removed (``alt`` stays) when that is None.

    The same policy runs again, so the result is as clean as the input; only the sources
    given here escape its URL scheme rule (a data: URI of an archived image, say).
    """

    def choose(tag: str, attribute: str, value: str) -> str | None:
        if tag == "img" and attribute == "src":
            return source_for(value)
        return value

    return nh3.clean(html, **_policy(), attribute_filter=choose)


def _policy() -> dict:
    # nh3 wants plain sets; the module keeps frozen ones so no caller can change the policy.
    return {
        "tags": set(TAGS),
        "clean_content_tags": set(CLEAN_CONTENT_TAGS),
        "attributes": {tag: set(names) for tag, names in ATTRIBUTES.items()},
        "url_schemes": set(URL_SCHEMES),
        # Archived pages link anywhere: never pass referrers or ranking to them.
        "link_rel": "noopener noreferrer nofollow",
        "strip_comments": True,
    }
