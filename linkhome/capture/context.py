"""What the capture steps share while one snapshot is taken."""

from dataclasses import dataclass, field

from django.conf import settings

from linkhome.archive.models import Snapshot
from linkhome.capture.steps.record import WarcRecorder
from linkhome.lib.mime_sniff import Sniffed
from linkhome.lib.safe_http import Exchange, FetchResult, SafeClient


class StepFailed(Exception):
    """A step could not produce its artifact; the snapshot keeps everything else."""

    def __init__(self, kind: str, reason: str) -> None:
        super().__init__(reason)
        self.kind = kind
        self.reason = reason


class CaptureAborted(Exception):
    """The page itself could not be had; nothing after fetch can run."""

    def __init__(self, reason: str, *, transient: bool, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.transient = transient
        self.retry_after = retry_after  # what the server asked for (Retry-After), in seconds


class CaptureDeferred(Exception):
    """The page's host is not ours to ask yet (politeness): try again in `wait` seconds,
    without counting an attempt."""

    def __init__(self, wait: float) -> None:
        super().__init__(f"waiting {wait:.0f} s for the host's turn")
        self.wait = wait


@dataclass
class CaptureContext:
    snapshot: Snapshot
    client: SafeClient
    recorder: WarcRecorder = field(default_factory=WarcRecorder)
    fetched: FetchResult | None = None
    # What the page body is, as a browser would decide it (lib.mime_sniff): binary served
    # as text/html is kept as a document, never read as text.
    sniffed: Sniffed | None = None
    html: str = ""
    # sha256 of the stored page body: what the decoded copy, the single file and the WARC
    # are compressed against (they repeat it almost whole).
    base: str = ""
    failures: list[str] = field(default_factory=list)
    # Browser mode: the DOM after scripts ran (UTF-8, meta charset rewritten), and every GET
    # answer the browser received by URL, so the single file is built without a second
    # download (capture.steps.browser, capture.steps.assets).
    rendered_html: str = ""
    responses: dict[str, Exchange] = field(default_factory=dict)
    # The readable HTML as extracted, images still at their original addresses: stored
    # without them until the assets step has their bytes (capture.steps.readable_images).
    readable_html: str = ""

    # The steps after fetch read the page through these two: the pipeline runs them only once
    # fetch_page has succeeded (it aborts the capture otherwise), so both are set by then.
    @property
    def page(self) -> FetchResult:
        """What the fetch step received (after it, never None)."""
        assert self.fetched is not None, "a capture step ran before fetch_page succeeded"
        return self.fetched

    @property
    def page_type(self) -> Sniffed:
        """What the page body is, sniffed by the fetch step (after it, never None)."""
        assert self.sniffed is not None, "a capture step ran before fetch_page succeeded"
        return self.sniffed

    @property
    def final_url(self) -> str:
        return self.fetched.final_url if self.fetched else self.snapshot.url

    def keep_base(self, sha256: str, size: int) -> None:
        """The stored page body becomes what the blobs derived from it (the decoded copy,
        the readable text, the single file, the DOM, the WARC) are compressed against, when
        it is small enough to serve as a zstd dictionary. A page past the parsed prefix is
        not: read back and held as a dictionary, a 50 MB body took ~100 MiB more at the
        capture's peak (bench/memory.py); its derived blobs are compressed on their own."""
        self.base = sha256 if size <= settings.CAPTURE_PARSE_BYTES else ""
