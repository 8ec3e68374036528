"""What a backend implements, and the SQL every backend shares: who may see what, filters.

Privacy is decided here, at query time, from the links table itself (public, or the viewer's
own), not from a copy kept in the index: a visibility change that bypassed every signal (a
bulk UPDATE, a restore from backup) can still not leak a private link through search.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Protocol

from django.db import connection
from django.db.models import Field, Model
from django.utils import timezone

from linkhome.archive.models import Snapshot
from linkhome.links.models import Link, Tag
from linkhome.links.visibility import visible_sql
from linkhome.search.documents import Document
from linkhome.search.matching import InText, Plan

# Title first: a word in the title says more about a page than the same word in its text.
WEIGHTS = {"title": 10.0, "tags": 5.0, "site": 2.0, "url": 1.5, "body": 1.0}
# A query that matches more visible links than this is ranked among the most recently added
# ones only: ranking costs time for every match (FTS5's bm25 about 3 µs), and a word on a
# fifth of all pages (一个, been, 表示) took 100 ms at 100k links; the newest 1,000 of them
# rank in 5 ms. For an archive, the newest among a thousand equally plausible pages is a
# fair pick.
RANK_WINDOW = 1000


@dataclass(frozen=True)
class Row:
    link_id: int
    snapshot_id: int
    score: float


class Backend(Protocol):
    """The index on one kind of database. Writes join the caller's transaction."""

    def write(self, documents: Sequence[Document]) -> None: ...
    def delete(self, link_ids: Sequence[int]) -> None: ...
    def find(self, plan: Plan, viewer_id: int | None, offset: int, limit: int) -> list[Row]: ...
    def count(self, plan: Plan, viewer_id: int | None, limit: int) -> int: ...
    def rank_terms(
        self,
        weights: Mapping[str, float],
        viewer_id: int | None,
        limit: int,
        exclude: Sequence[int],
    ) -> list[Row]: ...
    def stored(self, link_ids: Sequence[int]) -> dict[int, Document]: ...
    def snapshot_ids(self, link_ids: Sequence[int]) -> dict[int, int]:
        """link id → the snapshot its document was built from, for the links indexed."""
        ...

    def document_frequencies(self, terms: Sequence[str]) -> dict[str, int]: ...
    def document_count(self) -> int: ...
    def link_ids(self) -> set[int]: ...
    def prune(self) -> int: ...
    def size_bytes(self) -> int: ...


@dataclass
class Clause:
    """SQL conditions joined by AND, with their parameters in order."""

    parts: list[str] = field(default_factory=list)
    params: list = field(default_factory=list)

    def add(self, sql: str, *params: object) -> None:
        self.parts.append(sql)
        self.params.extend(params)

    @property
    def sql(self) -> str:
        return " AND ".join(f"({p})" for p in self.parts) or "1=1"


def table(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def column(model: type[Model], name: str) -> str:
    """The database column of `model`'s field `name` (a reverse relation or a many-to-many
    field has none: a programming error)."""
    own = model._meta.get_field(name)
    if not isinstance(own, Field) or own.column is None:
        raise TypeError(f"{model.__name__}.{name} has no column of its own")
    return own.column


def joins(link_id: str, snapshot_id: str, *, snapshot: bool, via: str = "") -> str:
    """The link, for privacy and filters; the indexed snapshot only when a filter or the
    order needs it (capture dates, phrases in the text, newest first): joining it for every
    match cost two thirds of a search. Results never show a stale row either way, since
    their snapshots are loaded by id and checked against the link. `via`: a join that
    brings `snapshot_id` in."""
    links = f" JOIN {table(Link)} l ON l.id = {link_id}"
    if not snapshot:
        return links
    return f"{links}{via} JOIN {table(Snapshot)} s ON s.id = {snapshot_id} AND s.link_id = l.id"


def needs_snapshot(plan: Plan) -> bool:
    return bool(
        plan.match is None or plan.after or plan.before or plan.patterns or plan.excluded_patterns
    )


def visible(clause: Clause, viewer_id: int | None) -> None:
    sql, params = visible_sql(viewer_id, "l")
    clause.add(sql, *params)


def terms_clause(
    match_sql: str, match: str, viewer_id: int | None, exclude: Sequence[int]
) -> Clause:
    """A "more like this" query: the match, privacy, and the links left out."""
    clause = Clause([match_sql], [match])
    visible(clause, viewer_id)
    if exclude:
        clause.add(f"l.id NOT IN ({', '.join(['%s'] * len(exclude))})", *exclude)
    return clause


def filters(plan: Plan, viewer_id: int | None, dialect: "Dialect") -> Clause:
    """Privacy plus every filter of the plan except the full-text match itself."""
    clause = Clause()
    visible(clause, viewer_id)
    if plan.mine:
        clause.add("l.owner_id = %s", viewer_id or 0)  # is:mine for nobody: no results
    for name in plan.tags:
        clause.add(f"l.id IN ({_tagged()})", name)
    for name in plan.excluded_tags:
        clause.add(f"l.id NOT IN ({_tagged()})", name)
    _sites(clause, plan.sites, negate=False)
    _sites(clause, plan.excluded_sites, negate=True)
    _dates(clause, plan.after, plan.before)
    for phrase in plan.patterns:
        clause.add(_in_text(dialect), *_in_text_params(phrase))
    for phrase in plan.excluded_patterns:
        clause.add(f"NOT ({_in_text(dialect)})", *_in_text_params(phrase))
    return clause


def _tagged() -> str:
    # The tags (few) first, then their links through the tag_id index: joining the other
    # way round, lower(name) made SQLite read every tag relation (40 ms at 100k links).
    through = Link.tags.through
    link_col, tag_col = column(through, "link"), column(through, "tag")
    tags = f"SELECT t.id FROM {table(Tag)} t WHERE lower(t.name) = lower(%s)"
    return f"SELECT lt.{link_col} FROM {table(through)} lt WHERE lt.{tag_col} IN ({tags})"


def _sites(clause: Clause, sites: list[str], *, negate: bool) -> None:
    """A site matches itself and its subdomains (site:sina.com.cn finds news.sina.com.cn)."""
    if not sites:
        return
    one = "l.host = %s OR l.host LIKE %s ESCAPE '\\'"
    params = [p for site in sites for p in (site, "%." + _like_escape(site))]
    anyone = " OR ".join([one] * len(sites))
    clause.add(f"NOT ({anyone})" if negate else anyone, *params)


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _dates(clause: Clause, after: date | None, before: date | None) -> None:
    """Capture time, by the day in the site's time zone: after: includes the day, before:
    does not (before:2024-01-01 after:2023-12-01 is December)."""
    if after is not None:
        clause.add("s.created_at >= %s", _day_start(after))
    if before is not None:
        clause.add("s.created_at < %s", _day_start(before))


def _day_start(day: date) -> object:
    moment = timezone.make_aware(datetime.combine(day, time.min))
    return connection.ops.adapt_datetimefield_value(moment)


@dataclass(frozen=True)
class Dialect:
    regex: str  # "x {regex} pattern": does x match
    contains: str  # "{contains}(x, literal) > 0": does x contain


def _in_text(dialect: Dialect) -> str:
    # The substring test in C first: the regular expression (in Python, on SQLite) then
    # runs only on the pages that have the phrase's Han characters in a row.
    columns = ("l.title", "s.title", "s.text")
    literal = " OR ".join(f"{dialect.contains}({c}, %s) > 0" for c in columns)
    pattern = " OR ".join(f"{c} {dialect.regex} %s" for c in columns)
    return f"({literal}) AND ({pattern})"


def _in_text_params(phrase: InText) -> list[str]:
    return [phrase.literal] * 3 + [phrase.pattern] * 3


def newest_first() -> str:
    """The order of a search with filters only: nothing to rank by but time."""
    return "s.created_at DESC, l.id DESC"


def quantize(weights: Mapping[str, float], levels: int) -> dict[str, int]:
    """Weights as whole numbers 1..levels, relative to the largest (for engines that can only
    count a term more often, not weigh it)."""
    top = max(weights.values(), default=0.0)
    if top <= 0:
        return {}
    return {t: max(1, round(levels * w / top)) for t, w in weights.items() if w > 0}
