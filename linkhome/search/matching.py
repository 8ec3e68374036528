"""From a parsed query to what the backends run: a match expression over index tokens plus
the filters, in a form each backend renders in its own syntax (FTS5 MATCH, tsquery).

How a query word matches, given that documents are cut in search-engine mode:
- a Latin word is its tokens, adjacent and in order (covid-19 → the phrase "covid 19");
- a Han run W matches the token W itself (the page was cut with W as one word) or else each
  word of W's accurate cut, where a long word may also match as all the shorter words inside
  it. So 人民共和国 finds 中华人民共和国 (cut as one word, with 人民, 共和, 共和国 inside),
  and 北京大学 finds pages that cut it either as one word or as 北京 + 大学.
- A quoted phrase with Han characters matches its words as above and must then appear in the
  title or text as written (a regular expression the database checks): word adjacency in a
  search-mode token stream is not a reliable test for Chinese.
"""

import re
from dataclasses import dataclass, field
from datetime import date

from linkhome.lib.cjk_radicals import RADICALS_OF
from linkhome.search import analyzers
from linkhome.search.query import ParsedQuery


@dataclass(frozen=True)
class Term:
    token: str


@dataclass(frozen=True)
class Phrase:
    tokens: tuple[str, ...]


@dataclass(frozen=True)
class All:
    items: tuple["Expr", ...]


@dataclass(frozen=True)
class Any:
    items: tuple["Expr", ...]


@dataclass(frozen=True)
class InField:
    """These tokens in a row, in one field (a tag's or a site's tokens)."""

    field: str
    tokens: tuple[str, ...]


Expr = Term | Phrase | All | Any | InField


@dataclass(frozen=True)
class InText:
    """The title or text contains a phrase as written: `literal` (its longest run of Han
    characters, for a cheap substring test first) and `pattern` (the whole phrase)."""

    literal: str
    pattern: str


@dataclass
class Plan:
    """Everything a backend needs to run one search."""

    match: Expr | None = None  # what must match; None: filters alone
    exclude: Expr | None = None  # what must not match
    # Index tokens the tag and site filters imply: they narrow the candidates through the
    # index; the filters themselves are then checked exactly in SQL.
    narrow: Expr | None = None
    patterns: list[InText] = field(default_factory=list)  # the title or text must match each
    excluded_patterns: list[InText] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    excluded_tags: list[str] = field(default_factory=list)
    sites: list[str] = field(default_factory=list)
    excluded_sites: list[str] = field(default_factory=list)
    after: date | None = None
    before: date | None = None
    mine: bool = False
    highlight: list[str] = field(default_factory=list)  # folded strings to mark in snippets

    @property
    def is_empty(self) -> bool:
        """Nothing to look for: no text and no filter (a query of punctuation, say)."""
        filters = (self.patterns, self.tags, self.excluded_tags, self.sites, self.excluded_sites)
        dates = (self.after, self.before)
        return self.match is None and not any(filters) and dates == (None, None) and not self.mine


def plan(query: ParsedQuery) -> Plan:
    positives = [word_expr(w) for w in query.words] + [word_expr(p) for p in query.phrases]
    negatives = [word_expr(w) for w in query.excluded_words]
    negatives += [word_expr(p) for p in query.excluded_phrases if not analyzers.has_han(p)]
    return Plan(
        match=all_of(positives),
        exclude=any_of(negatives),
        narrow=narrowing(query.tags, query.sites),
        patterns=[in_text(p) for p in query.phrases if analyzers.has_han(p)],
        excluded_patterns=[in_text(p) for p in query.excluded_phrases if analyzers.has_han(p)],
        tags=query.tags,
        excluded_tags=query.excluded_tags,
        sites=query.sites,
        excluded_sites=query.excluded_sites,
        after=query.after,
        before=query.before,
        mine=query.mine,
        highlight=highlight_terms(query.words + query.phrases),
    )


def narrowing(tags: list[str], sites: list[str]) -> Expr | None:
    """Every tag's tokens in the tags field, and one site's tokens in the site field."""
    in_tags = [_in_field("tags", tag) for tag in tags]
    return all_of([*in_tags, any_of([_in_field("site", site) for site in sites])])


def _in_field(name: str, text: str) -> InField | None:
    tokens = tuple(analyzers.tokens(text))
    return InField(name, tokens) if tokens else None


def word_expr(text: str) -> Expr | None:
    """What one query word (or phrase) must match: its runs, all of them."""
    parts: list[Expr | None] = []
    latin: list[str] = []
    for run in analyzers.runs(text):
        if run.han:
            parts += [_latin(latin), han_expr(run.text)]
            latin = []
        elif len(run.text) <= analyzers.MAX_TOKEN_LENGTH:
            latin.append(run.text)
    return all_of([*parts, _latin(latin)])


def _latin(tokens: list[str]) -> Expr | None:
    if not tokens:
        return None
    return Term(tokens[0]) if len(tokens) == 1 else Phrase(tuple(tokens))


def han_expr(run: str) -> Expr:
    words = analyzers.words(run)
    if words == [run]:
        return _han_word(run)
    return any_of([Term(run), all_of([_han_word(w) for w in words])]) or Term(run)


def _han_word(word: str) -> Expr:
    inner = [w for w in analyzers.search_words(word) if w != word]
    return Any((Term(word), All(tuple(Term(w) for w in inner)))) if inner else Term(word)


def all_of(items: list[Expr | None]) -> Expr | None:
    kept = _unique(items)
    return None if not kept else kept[0] if len(kept) == 1 else All(tuple(kept))


def any_of(items: list[Expr | None]) -> Expr | None:
    kept = _unique(items)
    return None if not kept else kept[0] if len(kept) == 1 else Any(tuple(kept))


def _unique(items: list[Expr | None]) -> list[Expr]:
    return list(dict.fromkeys(item for item in items if item is not None))


def terms_expr(terms: list[str]) -> Expr | None:
    """Any of these index tokens (a "more like this" query)."""
    return any_of([Term(t) for t in terms])


def highlight_terms(texts: list[str]) -> list[str]:
    """The folded strings a snippet marks: whole Han runs and the words inside them (人民
    inside 中华人民共和国) but not their single characters (every 的 of 我的电脑), Latin
    words, and each phrase as typed."""
    found: list[str] = []
    for text in texts:
        found.append(" ".join(analyzers.fold(text).split()))
        for run in analyzers.runs(text):
            found.append(run.text)
            if run.han:
                inner = analyzers.words(run.text) + analyzers.search_words(run.text)
                found += [w for w in inner if len(w) > 1]
    return list(dict.fromkeys(t for t in found if t))


_SPACES = re.compile(r"\s+")


def in_text(phrase: str) -> InText:
    han = [run.text for run in analyzers.runs(phrase) if run.han]
    return InText(_literal(max(han, key=len)), phrase_pattern(phrase))


# Ideographs that stored text may hold as a radical instead (民 as ⺠, from PDF fonts).
_HAS_RADICAL_FORM = re.compile(f"[{''.join(RADICALS_OF)}]")


def _literal(han_run: str) -> str:
    """The substring every matching text holds: the longest stretch of the run without an
    ideograph that could be stored as its radical ("" when none: the pattern alone decides)."""
    return max(_HAS_RADICAL_FORM.split(han_run), key=len)


def phrase_pattern(phrase: str) -> str:
    """A regular expression for a phrase that both Python's `re` (SQLite's REGEXP in Django)
    and PostgreSQL's `~` read alike: case-insensitive, full-width letters and digits accepted
    for ASCII ones, any run of spaces (or none) where the phrase has spaces."""
    pieces = _SPACES.split(analyzers.fold(phrase).strip())
    return "(?i)" + r"\s*".join("".join(char_class(c) for c in piece) for piece in pieces)


def char_class(char: str) -> str:
    """One folded character as a pattern that also accepts its full-width form (NFKC folded
    the query's ，into , but the page still has ，), and an ideograph its radical forms."""
    if char in RADICALS_OF:  # stored text may still hold the radical (民 or ⺠)
        return f"[{char}{RADICALS_OF[char]}]"
    if not char.isascii() or not char.isprintable():
        return char
    wide = chr(ord(char) + 0xFEE0)
    if char.isalnum():
        return f"[{char}{wide}]"
    # Escaped outside brackets: a backslash before punctuation is a literal in both dialects.
    return f"(?:\\{char}|{wide})"
