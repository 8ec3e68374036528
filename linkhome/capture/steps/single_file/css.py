"""Inline the url() references and @import rules of CSS.

Works on tinycss2 tokens, never on regular expressions over text, so ``url(...)`` inside a
comment or a string is left alone and escaped forms such as ``\\75 rl(x.png)`` are still found.
The token tree is edited in place and serialized back, which keeps everything else as written.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

import tinycss2
from tinycss2.ast import IdentToken, LiteralToken, Node, StringToken, URLToken
from tinycss2.serializer import serialize_string_value, serialize_url

from . import urls
from .assets import EMPTY_DATA_URI, Inliner

# Browsers follow @import chains without a limit but stop at cycles; we stop at both. The
# depth counts fetched sheets in the chain, a <link>ed sheet included.
MAX_IMPORT_DEPTH = 5

# Functions whose quoted-string arguments are URLs.
_URL_FUNCTIONS = frozenset({"url", "src", "image-set", "-webkit-image-set"})
# CDO/CDC ("<!--", "-->") are ignored at the top level of a style sheet.
_FILLER = frozenset({"whitespace", "comment"})
_CDO_CDC = frozenset({"<!--", "-->"})
# A bad url() (e.g. "url(a b)") makes its declaration invalid; an unknown keyword keeps it so.
_BAD_URL_STANDIN = "invalid-url"
# tinycss2 accepts any input, but its serializer raises TypeError on parse errors it does not
# know, and absurdly deep nesting exhausts the stack; the CSS is then dropped, not the page.
_CSS_FAILURES = (TypeError, RecursionError)
_SAFE_URL = re.compile(r"[^\s'\"\\()]*")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_STYLE_END = re.compile(r"</(style)", re.I)

_FONT_FORMAT_RANK = {
    "woff2": 0,
    "woff": 1,
    "truetype": 2,
    "opentype": 2,
    "ttf": 2,
    "otf": 2,
    "embedded-opentype": 4,
    "eot": 4,
    "svg": 5,
}
_UNKNOWN_FONT_RANK = 3


def rewrite_stylesheet(css: str, base: str, inliner: Inliner, parents: tuple[str, ...] = ()) -> str:
    """A whole style sheet with its references inlined and its @imports replaced by their CSS.

    ``parents`` are the URLs of the sheets that import this one, to stop at cycles.
    """
    if _plain_urls_only(css):
        return _rewrite_plain_urls(css, base, inliner)
    if _splittable(css):
        return "".join(_rewrite_rule(rule, base, inliner) for rule in top_level_rules(css))
    return _parsed(css, base, inliner, parents)


def _parsed(css: str, base: str, inliner: Inliner, parents: tuple[str, ...] = ()) -> str:
    try:
        return _sheet(tinycss2.parse_component_value_list(css), base, inliner, parents)
    except _CSS_FAILURES:
        return ""


def _splittable(css: str) -> bool:
    # Rule by rule is the same as the whole sheet unless @import order or an escape matters.
    return "@import" not in css.lower() and not _ESCAPED_LETTER.search(css) and "{" * 64 not in css


def _rewrite_rule(rule: str, base: str, inliner: Inliner) -> str:
    """Only the rules that need the parser (a @font-face, image-set()) pay for it."""
    if _NEEDS_PARSER.search(rule):
        return _parsed(rule, base, inliner)
    return _rewrite_plain_urls(rule, base, inliner)


_RULE_TOKENS = re.compile(
    r"""/\*.*?(?:\*/|$)|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'|[{};]""", re.S
)


def top_level_rules(css: str) -> list[str]:
    """The sheet cut after each top-level rule ("}" back at depth 0, or ";" at depth 0),
    stepping over comments and strings; the pieces join back to exactly the input."""
    rules, depth, start = [], 0, 0
    for match in _RULE_TOKENS.finditer(css):
        token = match.group(0)
        depth += (token == "{") - (token == "}")
        depth = max(depth, 0)  # a stray "}" is an error browsers skip; so do we
        if depth == 0 and token in ("}", ";"):
            rules.append(css[start : match.end()])
            start = match.end()
    return [*rules, css[start:]] if start < len(css) else rules


# The fast path: the pure-Python tokenizer costs ~10 ms per 100 KB of CSS, and most sheets
# hold nothing but plain url()s. A scanner that steps over comments and strings finds those
# exactly; anything subtler (imports, font-face source choice, image-set, escapes, src())
# takes the full parse.
_NEEDS_PARSER = re.compile(r"@import|@font-face|@namespace|image-set|\bsrc\(", re.I)
_ESCAPED_LETTER = re.compile(r"\\(?:0{0,4}[4-7][0-9a-fA-F](?![0-9a-fA-F])|[urlimpURLIMP])")
_PLAIN_SCAN = re.compile(
    r"""/\*.*?(?:\*/|$)|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'"""
    r"""|\burl\(\s*(?:"((?:\\.|[^"\\\n])*)"|'((?:\\.|[^'\\\n])*)'|([^\s'"()\\]*))\s*\)""",
    re.I | re.S,
)


def _plain_urls_only(css: str) -> bool:
    # A run of braces is a nesting attack, which the full parse drops as a whole.
    if "{" * 64 in css:
        return False
    return not _NEEDS_PARSER.search(css) and not _ESCAPED_LETTER.search(css)


def _rewrite_plain_urls(css: str, base: str, inliner: Inliner) -> str:
    def replace(match: re.Match) -> str:
        ref = next((g for g in match.groups() if g is not None), None)
        if ref is None:  # a comment or a string: left exactly as written
            return match.group(0)
        value = _inline(ref, base, inliner)
        return match.group(0) if value == ref else f"url({_quoted_url(value)})"

    return _PLAIN_SCAN.sub(replace, css)


def _quoted_url(value: str) -> str:
    return value if _SAFE_URL.fullmatch(value) else serialize_url(value)


def rewrite_declarations(css: str, base: str, inliner: Inliner) -> str:
    """A style="" attribute (or an SVG presentation attribute) with its url()s inlined."""
    try:
        nodes = _block(tinycss2.parse_component_value_list(css), base, inliner)
        return xml_safe(tinycss2.serialize(nodes))
    except _CSS_FAILURES:
        return ""


def for_style_element(css: str) -> str:
    """CSS made safe as the text of a <style> element: "</style" would end the element early."""
    return _STYLE_END.sub(r"<\\/\1", xml_safe(css))


def xml_safe(text: str) -> str:
    """Control characters make lxml refuse the text; CSS reads NUL as U+FFFD anyway."""
    return _CONTROL.sub("\ufffd", text)


# --- statements -----------------------------------------------------------------------------


def _statements(nodes: Iterable[Node]) -> list[list[Node]]:
    """Split a rule or declaration list into statements ending at ";" or a {} block."""
    groups: list[list[Node]] = []
    current: list[Node] = []
    for node in nodes:
        current.append(node)
        if node.type == "{} block" or _is_literal(node, ";"):
            groups.append(current)
            current = []
    if current:
        groups.append(current)
    return groups


def _is_literal(node: Node, value: str) -> bool:
    return node.type == "literal" and node.value == value


def _significant(nodes: Iterable[Node]) -> list[Node]:
    return [n for n in nodes if n.type not in _FILLER and not _is_cdo_cdc(n)]


def _is_cdo_cdc(node: Node) -> bool:
    return node.type == "literal" and node.value in _CDO_CDC


def _at_name(statement: list[Node]) -> str | None:
    significant = _significant(statement)
    if significant and significant[0].type == "at-keyword":
        return significant[0].lower_value
    return None


def _sheet(nodes: list[Node], base: str, inliner: Inliner, parents: tuple[str, ...]) -> str:
    out: list[str] = []
    imports_allowed = True  # an @import after any other rule is ignored by browsers
    for statement in _statements(nodes):
        name = _at_name(statement)
        if name == "import":
            if imports_allowed:
                out.append(_import(statement, base, inliner, parents))
            continue
        imports_allowed = imports_allowed and _allows_later_imports(statement, name)
        out.append(tinycss2.serialize(_statement(statement, name, base, inliner)))
    return "".join(out)


def _allows_later_imports(statement: list[Node], name: str | None) -> bool:
    if not _significant(statement) or name == "charset":
        return True
    return name == "layer" and not any(n.type == "{} block" for n in statement)


def _block(nodes: list[Node], base: str, inliner: Inliner) -> list[Node]:
    """Contents of a {} block (rules or declarations), rewritten."""
    kept: list[Node] = []
    for statement in _statements(nodes):
        name = _at_name(statement)
        if name not in ("import", "charset"):  # both are invalid inside a block
            kept.extend(_statement(statement, name, base, inliner))
    return kept


def _statement(statement: list[Node], name: str | None, base: str, inliner: Inliner) -> list[Node]:
    if name == "charset":  # the text is decoded already; in a <style> it means nothing
        return []
    if name == "namespace":  # its url() names a namespace and is never fetched
        return statement
    if name == "font-face":
        _prune_font_sources(statement)
    return [_value(node, base, inliner) for node in statement]


# --- values ---------------------------------------------------------------------------------


def _value(node: Node, base: str, inliner: Inliner) -> Node:
    kind = node.type
    if kind == "url":
        return _url_token(node, _inline(node.value, base, inliner))
    if kind == "function":
        in_strings = node.lower_name in _URL_FUNCTIONS
        node.arguments = [_argument(a, in_strings, base, inliner) for a in node.arguments]
    elif kind == "{} block":
        node.content = _block(node.content, base, inliner)
    elif kind in ("() block", "[] block"):
        node.content = [_value(n, base, inliner) for n in node.content]
    elif kind == "error" and node.kind == "bad-url":  # tinycss2 would print "url([bad url])"
        return IdentToken(node.source_line, node.source_column, _BAD_URL_STANDIN)
    return node


def _argument(node: Node, is_url: bool, base: str, inliner: Inliner) -> Node:
    if is_url and node.type == "string":
        return _string_token(node, _inline(node.value, base, inliner))
    return _value(node, base, inliner)


def _inline(ref: str, base: str, inliner: Inliner) -> str:
    stripped = urls.clean(ref)
    if not stripped or stripped.startswith("#"):  # empty, or an SVG filter/mask in this page
        return ref
    return inliner.data_uri(ref, base) or EMPTY_DATA_URI


def _url_token(node: URLToken, value: str) -> URLToken:
    if value == node.value:
        return node
    # serialize_url walks every character: skip it for data: URIs, which need no escaping
    text = value if _SAFE_URL.fullmatch(value) else serialize_url(value)
    return URLToken(node.source_line, node.source_column, value, f"url({text})")


def _string_token(node: StringToken, value: str) -> StringToken:
    if value == node.value:
        return node
    text = value if _SAFE_URL.fullmatch(value) else serialize_string_value(value)
    return StringToken(node.source_line, node.source_column, value, f'"{text}"')


# --- @import --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Conditions:
    """What an @import applies under, to re-create around the inlined CSS."""

    layer: str | None  # "" for an anonymous layer
    supports: str
    media: str


def _import(statement: list[Node], base: str, inliner: Inliner, parents: tuple[str, ...]) -> str:
    """The imported sheet's CSS (itself rewritten), wrapped in its conditions; "" if none."""
    ref, rest = _import_target(statement)
    url = urls.resolve(ref, base) if ref else None
    if url is None or urls.split_fragment(url)[0] in parents:  # a cycle: browsers skip it too
        return ""
    if len(parents) >= MAX_IMPORT_DEPTH:
        inliner.skip(url, f"skipped: @import chain longer than {MAX_IMPORT_DEPTH} style sheets")
        return ""
    sheet = inliner.stylesheet(url)
    if sheet is None:
        return ""
    nested = (*parents, urls.split_fragment(url)[0])
    return _wrap(rewrite_stylesheet(sheet.text, sheet.url, inliner, nested), _conditions(rest))


def _import_target(statement: list[Node]) -> tuple[str | None, list[Node]]:
    """(the URL text, the nodes after it) of an @import statement."""
    significant = _significant(statement)[1:]
    if not significant:
        return None, []
    target = significant[0]
    rest = statement[statement.index(target) + 1 :]
    rest = [n for n in rest if not _is_literal(n, ";")]
    if target.type in ("string", "url"):
        return target.value, rest
    if target.type == "function" and target.lower_name == "url":
        strings = [a.value for a in target.arguments if a.type == "string"]
        return (strings[0] if strings else None), rest
    return None, rest


def _conditions(nodes: list[Node]) -> _Conditions:
    layer: str | None = None
    supports = ""
    media: list[Node] = []
    for node in nodes:
        if node.type == "ident" and node.lower_value == "layer":
            layer = ""
        elif node.type == "function" and node.lower_name == "layer":
            layer = tinycss2.serialize(node.arguments).strip()
        elif node.type == "function" and node.lower_name == "supports":
            supports = _supports_condition(node.arguments)
        else:
            media.append(node)
    return _Conditions(layer, supports, tinycss2.serialize(media).strip())


def _supports_condition(arguments: list[Node]) -> str:
    """supports(display: grid) holds a declaration, which @supports wants in parentheses."""
    text = tinycss2.serialize(arguments).strip()
    significant = _significant(arguments)
    is_declaration = len(significant) > 1 and significant[0].type == "ident"
    return f"({text})" if is_declaration and _is_literal(significant[1], ":") else text


def _wrap(css: str, conditions: _Conditions) -> str:
    if conditions.layer is not None:
        css = f"@layer {conditions.layer} {{{css}}}" if conditions.layer else f"@layer {{{css}}}"
    if conditions.supports:
        css = f"@supports {conditions.supports} {{{css}}}"
    if conditions.media:
        css = f"@media {conditions.media} {{{css}}}"
    return css


# --- @font-face -----------------------------------------------------------------------------


def _prune_font_sources(statement: list[Node]) -> None:
    """Keep one downloadable source per @font-face: the browser uses only the first it supports,
    and fetching every format (woff2, woff, ttf, eot, svg) would multiply the biggest assets."""
    block = next((n for n in statement if n.type == "{} block"), None)
    if block is None:
        return
    declarations = _statements(block.content)
    src_indexes = [i for i, d in enumerate(declarations) if _declaration_name(d) == "src"]
    if not src_indexes:
        return
    last = src_indexes[-1]  # the last valid src wins; earlier ones (old IE hacks) only cost
    declarations[last] = _pruned_src(declarations[last])
    dropped = set(src_indexes[:-1])
    block.content = [n for i, d in enumerate(declarations) if i not in dropped for n in d]


def _declaration_name(declaration: list[Node]) -> str | None:
    significant = _significant(declaration)
    if significant and significant[0].type == "ident":
        return significant[0].lower_value
    return None


def _pruned_src(declaration: list[Node]) -> list[Node]:
    colon = next((i for i, n in enumerate(declaration) if _is_literal(n, ":")), None)
    if colon is None:
        return declaration
    value = declaration[colon + 1 :]
    end = [value.pop()] if value and _is_literal(value[-1], ";") else []
    sources = _split_commas(value)
    remote = [s for s in sources if _source_url(s) is not None]
    if len(remote) < 2:
        return declaration
    best = min(remote, key=_font_rank)  # min keeps the first of equals: the author's order
    kept = [s for s in sources if s is best or all(s is not r for r in remote)]
    return declaration[: colon + 1] + _join_commas(kept) + end


def _split_commas(nodes: list[Node]) -> list[list[Node]]:
    parts: list[list[Node]] = [[]]
    for node in nodes:
        if _is_literal(node, ","):
            parts.append([])
        else:
            parts[-1].append(node)
    return parts


def _join_commas(parts: list[list[Node]]) -> list[Node]:
    joined: list[Node] = []
    for i, part in enumerate(parts):
        if i:
            joined.append(LiteralToken(0, 0, ","))
        joined.extend(part)
    return joined


def _source_url(source: list[Node]) -> str | None:
    for node in source:
        if node.type == "url":
            return node.value
        if node.type == "function" and node.lower_name == "url":
            strings = [a.value for a in node.arguments if a.type == "string"]
            return strings[0] if strings else None
    return None


def _font_rank(source: list[Node]) -> int:
    declared = _font_format(source)
    if declared is None:
        path = (_source_url(source) or "").split("?", 1)[0].split("#", 1)[0].lower()
        declared = path.rsplit(".", 1)[-1] if "." in path else ""
    return _FONT_FORMAT_RANK.get(declared, _UNKNOWN_FONT_RANK)


def _font_format(source: list[Node]) -> str | None:
    for node in source:
        if node.type == "function" and node.lower_name == "format":
            names = [a.value for a in node.arguments if a.type in ("string", "ident")]
            return names[0].lower() if names else None
    return None
