"""Pages nested deeper than a parser allows: flatten them instead of losing their text.

libxml2's HTML parser (lxml, so trafilatura, readability and the single-file builder) stops
at a nesting depth of 256, or 2048 with `huge_tree`: everything after the deepest point of
the page is silently dropped. Browsers do not lose it: Chromium's parser attaches elements
deeper than 512 levels to the element at level 512, as siblings. `flatten_deep` does the
same to the markup before it is parsed, so text, links and images at any depth are kept;
only how they nested beyond the limit is lost. It also writes <wbr>, <source>,
<embed>… as the empty elements they are, which libxml2 does not know: it nests the rest of
the page inside each. No Django.
"""

from __future__ import annotations

import re

from lxml import etree

# Chromium's kMaximumHTMLParserDOMTreeDepth: what a browser shows is flattened here anyway.
BROWSER_DEPTH = 512
# Below libxml2's default limit of 256, with room for what a parser adds (html, body).
PARSER_SAFE_DEPTH = 200
# A parsed tree this deep may have been cut by a limit of 256 (the first element is <html>).
DEFAULT_LIMIT_REACHED = 250

# No "<" inside a tag: each "<" is then looked at once, in linear time on any input (a
# quoted ">" or "<" in an attribute value only splits a tag the parser keeps whole).
_TAG = re.compile(r"<(/?)([A-Za-z][^\s/<>]*)([^<>]*)>|<!--|<!|<\?")
# Their content is text to the parser, not markup: never flattened, never searched for tags.
_RAW_TEXT = frozenset(
    {"script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript"}
)
# Void in HTML5 but not to libxml2, which nests what follows inside them: 300 <wbr> in a
# paragraph (long words, URLs) reach the depth limit on their own unless written <wbr />.
_UNKNOWN_VOID = frozenset({"source", "track", "embed", "wbr", "keygen"})
_VOID_WORDS = "area base br col embed hr img input keygen link meta param source track wbr"
_VOID = frozenset(_VOID_WORDS.split(" "))


def reaches_depth(tree: etree._Element, depth: int) -> bool:
    """Whether some element of `tree` lies `depth` levels below its root element or deeper.

    One XPath step per level, evaluated by libxml2: about half a millisecond a page."""
    root = tree.getroottree() if hasattr(tree, "getroottree") else tree
    return bool(root.xpath("boolean(/*" + "/*" * depth + ")"))


def flatten_deep(html: str, max_depth: int = PARSER_SAFE_DEPTH) -> str:
    """`html` with no element nested below `max_depth` open elements, as Chromium builds it:
    an element that would be deeper becomes the next sibling of the one before it at that
    depth (which is closed first). Every element, attribute and word stays, in order.

    End tags close like the parser closes them: up to the nearest open element of that
    name, so elements whose end tag is implied still come off the stack."""
    flattener = _Flattener(max_depth)
    position = 0
    while (match := _TAG.search(html, position)) is not None:
        flattener.out.append(html[position : match.start()])
        position = match.end()
        token = match.group(0)
        if match.group(2) is None:  # comment, doctype, processing instruction
            position = _skip_markup(html, match.start(), token)
            flattener.out.append(html[match.start() : position])
            continue
        name = match.group(2).lower()
        if match.group(1):
            flattener.end(name, token)
        elif name in _RAW_TEXT:
            position = _raw_text_end(html, position, name)
            flattener.out.append(html[match.start() : position])
        elif name in _UNKNOWN_VOID and not match.group(3).rstrip().endswith("/"):
            flattener.out.append(f"{token[:-1]} />")  # else libxml2 nests the rest inside
        elif name in _VOID or match.group(3).rstrip().endswith("/"):
            flattener.out.append(token)
        else:
            flattener.start(name, token)
    flattener.out.append(html[position:])
    return "".join(flattener.out)


class _Flattener:
    """The open elements as the parser will see them, and the output so far."""

    def __init__(self, max_depth: int) -> None:
        self.max_depth = max_depth
        self.out: list[str] = []
        # (name, nested): nested ones are within the limit; the others were made siblings.
        self.stack: list[tuple[str, bool]] = []
        self.depth = 0
        self.overflow: int | None = None  # stack index of the sibling open at the limit

    def start(self, name: str, token: str) -> None:
        if self.depth < self.max_depth:
            self.stack.append((name, True))
            self.depth += 1
        else:
            self._close_overflow()
            self.stack.append((name, False))
            self.overflow = len(self.stack) - 1
        self.out.append(token)

    def end(self, name: str, token: str) -> None:
        index = self._nearest(name)
        if index is None:
            self.out.append(token)  # a stray end tag: the parser ignores it, so may we
            return
        holds_overflow = self.overflow is not None and self.overflow >= index
        if self.stack[index][1]:
            self.out.append(token)  # closes whatever is open inside, the overflow too
            self.overflow = None if holds_overflow else self.overflow
        elif holds_overflow:
            self._close_overflow()
        closed = self.stack[index:]
        del self.stack[index:]
        self.depth -= sum(nested for _, nested in closed)

    def _nearest(self, name: str) -> int | None:
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == name:
                return index
        return None

    def _close_overflow(self) -> None:
        if self.overflow is not None:
            self.out.append(f"</{self.stack[self.overflow][0]}>")
            self.overflow = None


def _skip_markup(html: str, start: int, opener: str) -> int:
    """The end of the comment, doctype or processing instruction starting at `start`."""
    closer = "-->" if opener == "<!--" else ">"
    end = html.find(closer, start + len(opener))
    return len(html) if end == -1 else end + len(closer)


def _raw_text_end(html: str, position: int, name: str) -> int:
    match = re.compile(rf"</{name}\s*>", re.I).search(html, position)
    return len(html) if match is None else match.end()
