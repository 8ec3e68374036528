"""Record every HTTP exchange as WARC 1.1: warcinfo, request, response (or revisit) and
one metadata record about the page, each with its WARC-Block-Digest.

The WARC is the archival master, so it keeps the bytes as they came over the wire:
Content-Encoding stays applied; only the transfer framing (chunking) is gone, which the
Transfer-Encoding header is renamed for so replay tools do not try to de-chunk again.
"""

import hashlib
import tempfile
from importlib.metadata import version
from io import BytesIO
from typing import IO, Protocol
from urllib.parse import urlsplit

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from linkhome.archive.warc_export import WARC_VERSION
from linkhome.capture.steps.warc_metadata import metadata_fields
from linkhome.lib.safe_http import Exchange

SOFTWARE = f"LinkHome/0.1 (warcio/{version('warcio')})"
CONFORMS_TO = "http://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/"
MIN_DEDUPE_SIZE = 2048
# A WARC larger than this is written to a temporary file while the capture goes on: a 50 MB
# page's record would otherwise sit in memory beside the page itself through extraction.
SPOOL_BYTES = 8 * 1024 * 1024


class PayloadIndex(Protocol):
    """Where earlier full records of a payload are remembered (see capture.payloads)."""

    def prior(self, sha256: str) -> tuple[str, str, str] | None:
        """(target URI, WARC-Date, WARC-Payload-Digest) of the first full record, if any."""

    def remember(self, sha256: str, url: str, date: str, payload_digest: str) -> None: ...

    def commit(self) -> None:
        """The WARC is stored: what was remembered may now be pointed at."""

    def pointed_at(self) -> set[str]:
        """The stored WARCs (blob names) that the revisit records written point into."""


class WarcRecorder:
    """Collects exchanges; one WARC file per snapshot, in memory up to SPOOL_BYTES and in an
    (already unlinked) temporary file past that."""

    def __init__(
        self, payloads: PayloadIndex | None = None, parse_limit: int | None = None
    ) -> None:
        """`parse_limit`: read the page's outlinks from at most this many bytes of it (the
        record of the page itself keeps every byte)."""
        self.payloads = payloads
        self.parse_limit = parse_limit
        self.revisits = 0
        self._buffer = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 - lives with the recorder
        # Uncompressed: the blob store compresses the whole file against the page body,
        # far smaller than gzip per record; serving re-gzips each record for download.
        self._writer = WARCWriter(self._buffer, gzip=False, warc_version=WARC_VERSION)
        self.count = 0
        self._page_described = False
        self._redirected_from = ""
        self._warcinfo_id = self._write_warcinfo()

    def _write_warcinfo(self) -> str:
        # No WARC-Filename: the file is named only when downloaded (capture.warc_export).
        info = {"software": SOFTWARE, "format": "WARC File Format 1.1", "conformsTo": CONFORMS_TO}
        record = self._writer.create_warcinfo_record("", info)
        self._writer.write_record(record)
        return record.rec_headers.get_header("WARC-Record-ID")

    def add(self, exchange: Exchange, *, dedupe: bool = False) -> None:
        """Record one exchange; with dedupe, a large payload archived before becomes a
        revisit record (identical-payload-digest) instead of a second full copy. The first
        answer that is not a redirect is the page: a metadata record describes it."""
        date = _warc_date(exchange)
        payloads = self.payloads if dedupe else None
        sha = _dedupe_key(exchange) if payloads else None
        prior = payloads.prior(sha) if payloads and sha else None
        response = (
            self._revisit_record(exchange, date, prior)
            if prior
            else self._response_record(exchange, date)
        )
        self._writer.write_record(self._request_record(exchange, date, response))
        self._writer.write_record(response)
        self._describe_page(exchange, date, response)
        self.count += 1
        if payloads and sha and not prior:
            digest = response.rec_headers.get_header("WARC-Payload-Digest")
            payloads.remember(sha, exchange.url, date, digest)

    def _describe_page(self, exchange: Exchange, date: str, response) -> None:  # noqa: ANN001
        if self._page_described:
            return
        if 300 <= exchange.status < 400 and exchange.header("location"):
            self._redirected_from = exchange.url
            return
        self._page_described = True
        body = exchange.body if self.parse_limit is None else exchange.body[: self.parse_limit]
        fields = metadata_fields(exchange.url, body, exchange.content_type, self._redirected_from)
        self._writer.write_record(self._metadata_record(exchange.url, date, response, fields))

    def _metadata_record(self, url: str, date: str, response, fields: bytes):  # noqa: ANN001,ANN202
        headers = self._warc_headers(date, concurrent_to=response)
        return self._writer.create_warc_record(
            url, "metadata", payload=BytesIO(fields), length=len(fields), warc_headers_dict=headers
        )

    def _warc_headers(self, date: str, *, concurrent_to=None) -> dict[str, str]:  # noqa: ANN001
        headers = {"WARC-Date": date, "WARC-Warcinfo-ID": self._warcinfo_id}
        if concurrent_to is not None:
            headers["WARC-Concurrent-To"] = concurrent_to.rec_headers.get_header("WARC-Record-ID")
        return headers

    def add_all(self, exchanges: list[Exchange], *, dedupe: bool = False) -> None:
        for exchange in exchanges:
            self.add(exchange, dedupe=dedupe)

    def _revisit_record(self, exchange: Exchange, date: str, prior: tuple[str, str, str]):  # noqa: ANN202
        refers_to_uri, refers_to_date, digest = prior
        record = self._writer.create_revisit_record(
            exchange.url,
            digest,
            refers_to_uri,
            refers_to_date,
            http_headers=self._http_headers(exchange),
            warc_headers_dict=self._warc_headers(date),
        )
        self.revisits += 1
        return record

    def _http_headers(self, exchange: Exchange) -> StatusAndHeaders:
        return StatusAndHeaders(
            f"{exchange.status} {exchange.reason}".strip(),
            _wire_headers(exchange.response_headers),
            protocol=exchange.http_version or "HTTP/1.1",
        )

    def _response_record(self, exchange: Exchange, date: str):  # noqa: ANN202 - warcio type
        headers = self._http_headers(exchange)
        warc_headers = self._warc_headers(date)
        if exchange.peer_ip:
            warc_headers["WARC-IP-Address"] = exchange.peer_ip
        return self._writer.create_warc_record(
            exchange.url,
            "response",
            payload=BytesIO(exchange.raw_body),
            length=len(exchange.raw_body),
            http_headers=headers,
            warc_headers_dict=warc_headers,
        )

    def _request_record(self, exchange: Exchange, date: str, response):  # noqa: ANN001,ANN202
        path = _request_target(exchange.url)
        headers = StatusAndHeaders(
            f"{exchange.method} {path} {exchange.http_version or 'HTTP/1.1'}",
            list(exchange.request_headers),
            is_http_request=True,
        )
        concurrent = self._warc_headers(date, concurrent_to=response)
        return self._writer.create_warc_record(
            exchange.url, "request", http_headers=headers, warc_headers_dict=concurrent
        )

    def file(self) -> IO[bytes]:
        """The WARC so far as a seekable file, at its start: the blob store reads it in pieces.
        Write nothing more until it is stored."""
        self._buffer.seek(0)
        return self._buffer

    def getvalue(self) -> bytes:
        """The whole WARC, read once when it is stored (after extraction has let go of
        its memory)."""
        self._buffer.seek(0)
        data = self._buffer.read()
        self._buffer.seek(0, 2)  # writes go on at the end
        return data


def _dedupe_key(exchange: Exchange) -> str | None:
    # Only whole successful answers big enough to matter are shared between WARCs.
    if exchange.status != 200 or len(exchange.raw_body) < MIN_DEDUPE_SIZE:
        return None
    return hashlib.sha256(exchange.raw_body).hexdigest()


def _wire_headers(headers: list[tuple[str, str]]) -> list[tuple[str, str]]:
    # The body is stored de-chunked; keep the original header under another name.
    return [
        ("X-Archive-Orig-Transfer-Encoding", v) if k.lower() == "transfer-encoding" else (k, v)
        for k, v in headers
    ]


def _request_target(url: str) -> str:
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def _warc_date(exchange: Exchange) -> str:
    stamp = exchange.started_at
    return stamp.strftime("%Y-%m-%dT%H:%M:%S.") + f"{stamp.microsecond:06d}Z"
