from datetime import date, datetime

from ninja import Schema


class LinkIn(Schema):
    url: str
    tags: list[str] = []
    visibility: str | None = None  # new links are public; an existing link keeps its own
    title: str = ""
    note: str = ""
    recapture: bool = False
    # Also capture in a browser (screenshot, PDF, rendered DOM); null keeps the link's choice.
    browser: bool | None = None


class LinkOut(Schema):
    id: int
    url: str
    title: str
    tags: list[str]
    visibility: str
    browser: bool  # its captures use the browser too (LINKHOME_BROWSER=auto)


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
    author: str
    published: date | None
    site_name: str
    language: str
    description: str
    charset: str
    charset_source: str
    created_at: datetime
    finished_at: datetime | None
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
