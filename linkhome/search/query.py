"""The search box's query language, parsed into a plain structure (no database here).

    北京 大学            words: every one must match (anywhere: title, text, tags, site, URL)
    "机器学习 入门"      an exact phrase
    -广告  -"hello world" excluded words and phrases
    tag:新闻 tag:"a b"   the link has this tag (all given tags must be there); -tag:x excludes
    site:example.com     the page is on that site or a subdomain (any of those given); -site:
    after:2024-01-01     captured on or after that day; before:2024-02-01 captured before it
    is:mine              only your own links

Chinese input methods type full-width punctuation, so ＂“” count as quotes, ：as the colon,
－ as the minus and the ideographic space as a space. Operator names ignore case. A word that
looks like an operator but is not one (http://…, c:\\) is searched as text.
"""

import re
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext, gettext_noop


class QueryError(ValueError):
    """The query cannot be run as written; the message says why, for the person, in the
    language active when it is shown (web, API by Accept-Language, CLI by the locale)."""

    def __init__(self, template: str, **params: object) -> None:
        super().__init__(template % params if params else template)
        self.template, self.params = template, params

    def __str__(self) -> str:
        text = gettext(self.template)
        return text % self.params if self.params else text


OPERATORS = ("tag", "site", "before", "after", "is")
_PUNCTUATION = str.maketrans({"＂": '"', "“": '"', "”": '"', "：": ":", "－": "-", "\u3000": " "})
_ITEM = re.compile(
    r"""(?P<neg>-)?
        (?:(?P<op>[A-Za-z]+):)?
        (?:"(?P<quoted>[^"]*)"?|(?P<bare>[^\s"]+))""",
    re.VERBOSE,
)
_DATE = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")


@dataclass
class ParsedQuery:
    words: list[str] = field(default_factory=list)
    phrases: list[str] = field(default_factory=list)
    excluded_words: list[str] = field(default_factory=list)
    excluded_phrases: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    excluded_tags: list[str] = field(default_factory=list)
    sites: list[str] = field(default_factory=list)
    excluded_sites: list[str] = field(default_factory=list)
    after: date | None = None
    before: date | None = None
    mine: bool = False

    @property
    def has_text(self) -> bool:
        """Whether there is something to match in the text (not only filters)."""
        return bool(self.words or self.phrases)

    @property
    def is_empty(self) -> bool:
        return self == ParsedQuery()


def parse(text: str) -> ParsedQuery:
    """Parse a query; raises QueryError for a filter it cannot honour (a bad date…)."""
    query = ParsedQuery()
    for match in _ITEM.finditer(text.translate(_PUNCTUATION)):
        _add(query, match)
    return query


def _add(query: ParsedQuery, match: re.Match) -> None:
    negated, op = bool(match["neg"]), (match["op"] or "").lower()
    quoted = match["quoted"] is not None
    value = (match["quoted"] if quoted else match["bare"]).strip()
    if op and op not in OPERATORS:
        # Not ours: the whole thing is text ("http://x", "c:d").
        value, quoted, op = f"{match['op']}:{value}", False, ""
    if not value:
        return
    if op:
        _add_filter(query, op, value, negated)
    elif quoted or negated:
        _add_text(query, value, quoted, negated)
    else:
        query.words.append(value)


def _add_text(query: ParsedQuery, value: str, quoted: bool, negated: bool) -> None:
    if quoted:
        (query.excluded_phrases if negated else query.phrases).append(value)
    else:
        query.excluded_words.append(value)


def _add_filter(query: ParsedQuery, op: str, value: str, negated: bool) -> None:
    if op == "tag":
        (query.excluded_tags if negated else query.tags).append(value)
    elif op == "site":
        (query.excluded_sites if negated else query.sites).append(_site(value))
    elif op == "is":
        _add_is(query, value, negated)
    elif negated:
        raise QueryError(
            gettext_noop("-%(op)s: is not supported; use %(other)s:"),
            op=op,
            other="after" if op == "before" else "before",
        )
    else:
        setattr(query, op, _date(op, value))


def _add_is(query: ParsedQuery, value: str, negated: bool) -> None:
    if value.lower() != "mine" or negated:
        raise QueryError(
            gettext_noop("unknown filter %(filter)s (try is:mine)"),
            filter=f"{'-' if negated else ''}is:{value}",
        )
    query.mine = True


def _site(value: str) -> str:
    """example.com from "https://www.Example.com/path" as well as from "example.com"."""
    host = re.sub(r"^[a-z][a-z0-9+.-]*://", "", value.lower()).split("/", 1)[0]
    return host.split("@")[-1].split(":")[0].removeprefix("www.")


def _date(op: str, value: str) -> date:
    found = _DATE.fullmatch(value)
    try:
        if found is None:
            raise ValueError
        return date(*(int(part) for part in found.groups()))
    except ValueError:
        raise QueryError(
            gettext_noop("%(filter)s is not a date; write it as YYYY-MM-DD"),
            filter=f"{op}:{value}",
        ) from None
