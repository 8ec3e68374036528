"""The one nh3 policy for readable HTML: structure, links and images, nothing that runs."""

from __future__ import annotations

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
    return nh3.clean(
        html,
        tags=set(TAGS),
        clean_content_tags=set(CLEAN_CONTENT_TAGS),
        attributes={tag: set(names) for tag, names in ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        # Archived pages link anywhere: never pass referrers or ranking to them.
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
