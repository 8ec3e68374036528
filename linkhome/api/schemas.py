"""The API's request and response shapes, with the real limits in the schema, so a client
(and schemathesis) learns them from /api/openapi.json instead of from a 400."""

from datetime import date, datetime
from typing import Annotated, Any, Literal

from ninja import Path, Query, Schema
from pydantic import Field

from linkhome.lib.urls import MAX_URL_LENGTH
from linkhome.links.services import MAX_TAG_LENGTH

MAX_ID = 2**63 - 1  # the largest row id SQLite and PostgreSQL store
MAX_TAGS = 100
# links.queries.owned_links joins the tag tables once per tag, and SQLite stops at 64
# tables in a join: more than this many tags to filter by was a 500.
MAX_FILTER_TAGS = 20
MAX_TITLE_LENGTH = 500  # Link.title
MAX_NOTE_LENGTH = 20_000
MAX_QUERY_LENGTH = 1_000
NO_NUL = r"^[^\x00]*$"  # PostgreSQL text cannot hold NUL
WatchEvery = Literal["never", "daily", "weekly", "monthly", ""]
HealthState = Literal["ok", "changed", "gone", "moved", "unreachable", "unknown"]

ObjectId = Annotated[int, Path(ge=1, le=MAX_ID)]
TagName = Annotated[str, Field(min_length=1, max_length=MAX_TAG_LENGTH, pattern=NO_NUL)]
TagQuery = Annotated[list[TagName], Query(max_length=MAX_FILTER_TAGS)]
TagPath = Annotated[str, Path(min_length=1, max_length=MAX_TAG_LENGTH, pattern=NO_NUL)]


def bounded(default: int, low: int, high: int) -> Any:  # noqa: ANN401 - ninja's Query marker
    """A whole-number query parameter from `low` to `high` (422 outside)."""
    return Query(default, ge=low, le=high)


class LinkIn(Schema):
    url: str = Field(min_length=1, max_length=MAX_URL_LENGTH, pattern=NO_NUL)
    tags: list[TagName] = Field(default=[], max_length=MAX_TAGS)
    # New links are public; an existing link keeps its own.
    visibility: Literal["public", "private"] | None = None
    title: str = Field(default="", max_length=MAX_TITLE_LENGTH, pattern=NO_NUL)
    note: str = Field(default="", max_length=MAX_NOTE_LENGTH, pattern=NO_NUL)
    recapture: bool = False
    # Also capture in a browser (screenshot, PDF, rendered DOM); null keeps the link's choice.
    browser: bool | None = None
    # How often to capture it again (links.watching); "" follows its tags and your default;
    # null keeps the link's choice.
    watch_every: WatchEvery | None = None
    # Your own marks (links.states); null keeps what the link has (a new link: false).
    read: bool | None = None
    starred: bool | None = None
    archived: bool | None = None
    # Be told when it changes or dies (linkhome.notify); null follows its tags; absent: kept.
    notify: bool | None = None


class HealthOut(Schema):
    """What the newest check of the original address found."""

    state: HealthState
    checked_at: datetime | None
    status: int | None  # the HTTP status of that check (None: no answer, or never checked)
    detail: str  # why, in English: "the page says the content is gone ('页面不存在')"


class LinkOut(Schema):
    id: int
    url: str
    title: str
    tags: list[str]
    visibility: str
    browser: bool  # its captures use the browser too (LINKHOME_BROWSER=auto)
    health: HealthOut
    # The owner's own marks; false for anyone else looking at a public link.
    read: bool
    starred: bool
    archived: bool


class ArtifactOut(Schema):
    kind: str
    size: int
    sha256: str
    status: str
    mime: str
    error: str


class SnapshotOut(Schema):
    id: int
    url: str
    status: str
    error: str
    http_status: int | None
    final_url: str
    content_type: str
    title: str
    full_title: str  # the page's title before a site name was dropped from it
    author: str
    published: date | None
    site_name: str
    language: str
    description: str
    charset: str
    charset_source: str
    ocr: bool  # the text was read from pictures (an image, a scanned PDF) by OCR
    created_at: datetime
    finished_at: datetime | None
    # Compared with the link's kept capture before it (null/"" for the first one):
    # unchanged, changed (ratio 0-1 of the text, paragraphs added and removed) or gone.
    change: Literal["", "unchanged", "changed", "gone"]
    change_ratio: float | None
    change_added: int | None
    change_removed: int | None
    compared_with: int | None  # the snapshot it was compared with
    health: str  # what this check found (HealthOut.state values; "" before any check)
    text: str
    artifacts: list[ArtifactOut]


class LinkWithSnapshotOut(Schema):
    link: LinkOut
    snapshot: SnapshotOut | None
    # Said about the request, in the reader's language: "the user name and password in
    # the address were removed".
    warnings: list[str] = []


class ErrorOut(Schema):
    detail: str


class ValidationErrorOut(Schema):
    """422: the request does not fit the schema (ninja's shape: one entry per problem)."""

    detail: list[dict[str, Any]]


# The answers every operation may give besides its own: a wrong token (401), too many
# wrong tokens from this address (429, with Retry-After), a request outside the schema.
COMMON_ERRORS: dict[int, type[Schema]] = {401: ErrorOut, 422: ValidationErrorOut, 429: ErrorOut}
NOT_FOUND: dict[int, type[Schema]] = {404: ErrorOut}


def download(mime: str, what: str) -> dict:
    """openapi_extra for an operation whose 200 is a file, not JSON."""
    content = {mime: {"schema": {"type": "string", "format": "binary"}}}
    return {"responses": {200: {"description": what, "content": content}}}


DOWNLOAD_200 = download("*/*", "the artifact's bytes, as an attachment")
