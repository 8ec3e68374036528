"""Record every HTTP exchange as WARC 1.1 (request + response records, gzip per record).

The WARC is the archival master, so it keeps the bytes as they came over the wire:
Content-Encoding stays applied; only the transfer framing (chunking) is gone, which the
Transfer-Encoding header is renamed for so replay tools do not try to de-chunk again.
"""

from io import BytesIO
from urllib.parse import urlsplit

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from linkhome.lib.safe_http import Exchange

WARC_VERSION = "WARC/1.1"
SOFTWARE = "LinkHome/0.1"


class WarcRecorder:
    """Collects exchanges in memory; one WARC file per snapshot."""

    def __init__(self) -> None:
        self._buffer = BytesIO()
        self._writer = WARCWriter(self._buffer, gzip=True, warc_version=WARC_VERSION)
        self.count = 0
        self._write_warcinfo()

    def _write_warcinfo(self) -> None:
        info = {"software": SOFTWARE, "format": "WARC File Format 1.1"}
        self._writer.write_record(self._writer.create_warcinfo_record("snapshot.warc.gz", info))

    def add(self, exchange: Exchange) -> None:
        date = _warc_date(exchange)
        response = self._response_record(exchange, date)
        request = self._request_record(exchange, date, response)
        self._writer.write_record(request)
        self._writer.write_record(response)
        self.count += 1

    def add_all(self, exchanges: list[Exchange]) -> None:
        for exchange in exchanges:
            self.add(exchange)

    def _response_record(self, exchange: Exchange, date: str):  # noqa: ANN202 - warcio type
        headers = StatusAndHeaders(
            f"{exchange.status} {exchange.reason}".strip(),
            _wire_headers(exchange.response_headers),
            protocol=exchange.http_version or "HTTP/1.1",
        )
        warc_headers = {"WARC-Date": date}
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
        concurrent = {
            "WARC-Date": date,
            "WARC-Concurrent-To": response.rec_headers.get_header("WARC-Record-ID"),
        }
        return self._writer.create_warc_record(
            exchange.url, "request", http_headers=headers, warc_headers_dict=concurrent
        )

    def getvalue(self) -> bytes:
        return self._buffer.getvalue()


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
