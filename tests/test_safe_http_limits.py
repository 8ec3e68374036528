"""The guarded client's limits and its record of what happened, against a real server.

Time bounds here are generous "it did not hang" checks, never performance claims.
"""

import gzip
import pickle
import socket
import time
import tracemalloc
import zlib
from collections.abc import Iterator
from datetime import UTC

import pytest

from linkhome.lib.safe_http import FetchError, FetchResult, Limits, SafeClient, check_url
from linkhome.testing.http import LocalHTTPServer, gzip_of_zeros

HANG = 20.0  # seconds; far above every limit used below


def client_with(**limits: object) -> SafeClient:
    return SafeClient(Limits(allow_private=True, **limits))  # type: ignore[arg-type]


def fetch(url: str, **limits: object) -> FetchResult:
    with client_with(**limits) as client:
        return client.get(url)


def failure(url: str, **limits: object) -> FetchError:
    with client_with(**limits) as client, pytest.raises(FetchError) as caught:
        client.get(url)
    return caught.value


def timed_failure(url: str, **limits: object) -> tuple[FetchError, float]:
    started = time.monotonic()
    error = failure(url, **limits)
    return error, time.monotonic() - started


@pytest.fixture
def unresponsive_port() -> Iterator[int]:
    """A port whose accept queue is full: new connections are never answered."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    filler = socket.create_connection(("127.0.0.1", port))  # takes the only slot
    yield port
    filler.close()
    listener.close()


@pytest.fixture
def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# Timeouts ---------------------------------------------------------------------------


def test_a_connection_that_is_never_accepted_times_out(unresponsive_port: int) -> None:
    url = f"http://127.0.0.1:{unresponsive_port}/"
    error, elapsed = timed_failure(url, connect_timeout=0.5)
    assert error.code == "timeout"
    assert error.transient
    assert error.message == "127.0.0.1 did not accept a connection within 0.5 s."
    assert elapsed < HANG


def test_a_refused_connection_is_a_transient_connect_error(closed_port: int) -> None:
    error = failure(f"http://127.0.0.1:{closed_port}/")
    assert error.code == "connect"
    assert error.transient
    assert error.message == "127.0.0.1 refused the connection."


def test_a_server_that_does_not_answer_hits_the_read_timeout(http_server: LocalHTTPServer) -> None:
    http_server.route("/silent", body=b"late", delay=10)
    error, elapsed = timed_failure(http_server.url("/silent"), read_timeout=0.5)
    assert error.code == "timeout"
    assert error.transient
    assert error.message == "127.0.0.1 sent nothing for 0.5 s."
    assert elapsed < HANG


def test_a_body_dripping_one_byte_per_second_hits_the_deadline(
    http_server: LocalHTTPServer,
) -> None:
    # Each byte arrives well within the read timeout; only the total deadline stops it.
    http_server.slow_drip("/drip", body=b"x" * 100, interval=1.0)
    error, elapsed = timed_failure(http_server.url("/drip"), read_timeout=5, deadline=2.5)
    assert error.code == "timeout"
    assert error.message == "The fetch took longer than its 2.5 s limit."
    assert elapsed < HANG


def test_headers_dripping_slowly_also_hit_the_deadline(http_server: LocalHTTPServer) -> None:
    def drip_headers(request) -> None:
        request.wfile.write(b"HTTP/1.1 200 OK\r\nX-Padding: ")
        for _ in range(300):  # 30 s of one byte per 0.1 s, unless the client hangs up
            if http_server.stopping.wait(0.1):
                return
            request.wfile.write(b"a")

    http_server.route("/slow-headers", handler=drip_headers)
    error, elapsed = timed_failure(http_server.url("/slow-headers"), read_timeout=5, deadline=1.5)
    assert error.code == "timeout"
    assert error.message == "The fetch took longer than its 1.5 s limit."
    assert elapsed < 10  # the drip lasts 30 s: only the deadline can end it sooner


def test_the_deadline_cuts_a_wait_shorter_than_the_read_timeout(
    http_server: LocalHTTPServer,
) -> None:
    http_server.route("/silent", body=b"late", delay=30)
    error, elapsed = timed_failure(http_server.url("/silent"), read_timeout=15, deadline=1)
    assert error.code == "timeout"
    assert error.message == "The fetch took longer than its 1 s limit."
    assert elapsed < 10  # the read timeout alone would wait 15 s


# Sizes ------------------------------------------------------------------------------


def test_an_endless_body_stops_at_the_size_limit(http_server: LocalHTTPServer) -> None:
    http_server.endless("/endless")
    error, elapsed = timed_failure(http_server.url("/endless"), max_body=1 << 20)
    assert error.code == "too_large"
    assert not error.transient
    assert error.message == "The page is larger than the 1 MB limit."
    assert error.exchanges == []
    assert elapsed < HANG


def test_a_declared_length_over_the_limit_is_refused_before_reading(
    http_server: LocalHTTPServer,
) -> None:
    def huge(request) -> None:
        request.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Length: 5000000000\r\n\r\nabc")

    http_server.route("/huge", handler=huge)
    error = failure(http_server.url("/huge"), max_body=1 << 20)
    assert error.code == "too_large"
    assert error.message == "The page is 4.65661 GB, over the 1 MB limit."


@pytest.mark.parametrize("layers", [1, 2])
def test_a_gzip_bomb_stops_at_the_limit_without_inflating(
    layers: int, http_server: LocalHTTPServer
) -> None:
    body = gzip_of_zeros(256 << 20)  # 256 MB of zeros in about 256 KB
    body = gzip.compress(body) if layers == 2 else body
    encoding = ", ".join(["gzip"] * layers)
    http_server.route("/bomb", body=body, headers=[("Content-Encoding", encoding)])
    tracemalloc.start()
    try:
        error, elapsed = timed_failure(http_server.url("/bomb"), max_body=1 << 20)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert error.code == "too_large"
    assert error.message == "The page expands to more than the 1 MB limit once decompressed."
    assert peak < 16 << 20  # the whole expansion would be 256 MB
    assert elapsed < HANG


# Content decoding -------------------------------------------------------------------


def test_raw_body_keeps_the_wire_bytes_and_body_is_decoded(http_server: LocalHTTPServer) -> None:
    page = "<p>你好, LinkHome</p>".encode() * 200
    http_server.gzipped("/gz", page)
    final = fetch(http_server.url("/gz")).final
    assert final.header("content-encoding") == "gzip"
    assert final.raw_body.startswith(b"\x1f\x8b")
    assert gzip.decompress(final.raw_body) == page
    assert final.body == page


@pytest.mark.parametrize("wbits", [zlib.MAX_WBITS, -zlib.MAX_WBITS], ids=["zlib", "raw"])
def test_both_kinds_of_deflate_are_decoded(wbits: int, http_server: LocalHTTPServer) -> None:
    compressor = zlib.compressobj(wbits=wbits)
    page = b"<p>deflated</p>" * 100
    wire = compressor.compress(page) + compressor.flush()
    http_server.route("/deflate", body=wire, headers=[("Content-Encoding", "deflate")])
    final = fetch(http_server.url("/deflate")).final
    assert final.raw_body == wire
    assert final.body == page


def test_concatenated_gzip_members_are_all_decoded(http_server: LocalHTTPServer) -> None:
    wire = gzip.compress(b"first ") + gzip.compress(b"second")
    http_server.route("/members", body=wire, headers=[("Content-Encoding", "gzip")])
    assert fetch(http_server.url("/members")).final.body == b"first second"


def test_a_corrupt_gzip_body_is_a_decoding_error(http_server: LocalHTTPServer) -> None:
    body = b"\x1f\x8b\x08\x00" + b"not really gzip" * 10
    http_server.route("/corrupt", body=body, headers=[("Content-Encoding", "gzip")])
    error = failure(http_server.url("/corrupt"))
    assert error.code == "decoding"
    assert error.message.startswith("The gzip compressed body is corrupt")


def test_an_unknown_content_encoding_is_a_decoding_error(http_server: LocalHTTPServer) -> None:
    http_server.route("/zstd", body=b"\x28\xb5\x2f\xfd", headers=[("Content-Encoding", "zstd")])
    error = failure(http_server.url("/zstd"))
    assert error.code == "decoding"
    assert (
        error.message == "The server compressed the page with 'zstd', which LinkHome cannot decode."
    )


# Redirects --------------------------------------------------------------------------


def test_the_redirect_chain_is_recorded_hop_by_hop(http_server: LocalHTTPServer) -> None:
    http_server.redirect("/one", to="/two", status=301)
    http_server.redirect("/two", to=http_server.url("/three"), status=307)  # absolute
    http_server.redirect("/three", to="four", status=308)  # relative to /three
    http_server.route("/four", body=b"arrived")
    result = fetch(http_server.url("/one"))
    assert [e.status for e in result.exchanges] == [301, 307, 308, 200]
    assert [e.url for e in result.exchanges] == [
        http_server.url(path) for path in ("/one", "/two", "/three", "/four")
    ]
    assert result.final_url == http_server.url("/four")
    assert result.final.body == b"arrived"
    assert result.exchanges[0].header("Location") == "/two"


def test_a_redirect_loop_is_detected(http_server: LocalHTTPServer) -> None:
    url = http_server.redirect_loop("/ping", "/pong")
    error = failure(url)
    assert error.code == "redirect_loop"
    assert error.message == f"The redirects loop: {url} was reached twice."
    assert [e.url for e in error.exchanges] == [url, http_server.url("/pong")]
    assert len(http_server.requests) == 2


def test_a_cookie_then_reload_redirect_is_not_a_loop(http_server: LocalHTTPServer) -> None:
    def gate(request):
        if "seen=1" in (request.headers.get("Cookie") or ""):
            return 200, [("Content-Type", "text/html")], b"welcome"
        return 302, [("Location", "/gate"), ("Set-Cookie", "seen=1; Path=/")], b""

    http_server.route("/gate", handler=gate)
    with client_with() as client:
        first = client.get(http_server.url("/gate"))
        again = client.get(http_server.url("/gate"))
    assert [e.status for e in first.exchanges] == [302, 200]
    assert first.final.body == b"welcome"
    assert [e.status for e in again.exchanges] == [302, 200]  # cookies live for one fetch


def test_too_many_redirects(http_server: LocalHTTPServer) -> None:
    for n in range(5):
        http_server.redirect(f"/r{n}", to=f"/r{n + 1}")
    http_server.route("/r5", body=b"end")
    assert fetch(http_server.url("/r2"), max_redirects=3).final.body == b"end"  # 3 is fine
    error = failure(http_server.url("/r0"), max_redirects=3)
    assert error.code == "too_many_redirects"
    assert (
        error.message
        == f"Gave up after 3 redirects (the last one pointed to {http_server.url('/r4')})."
    )
    assert [e.status for e in error.exchanges] == [302, 302, 302, 302]


def test_a_utf8_location_header_is_followed(http_server: LocalHTTPServer) -> None:
    def to_article(request) -> None:
        location = "/文章?页=1".encode()  # raw UTF-8 on the wire, as many servers send it
        request.wfile.write(b"HTTP/1.1 302 Found\r\nLocation: " + location + b"\r\n\r\n")

    http_server.route("/old", handler=to_article)
    http_server.route("/%E6%96%87%E7%AB%A0", body=b"article")
    result = fetch(http_server.url("/old"))
    assert result.final_url == http_server.url("/%E6%96%87%E7%AB%A0?%E9%A1%B5=1")
    assert result.final.body == b"article"


def test_a_reply_that_is_not_http_is_a_protocol_error(http_server: LocalHTTPServer) -> None:
    def junk(request) -> None:
        request.wfile.write(b"HELLO THERE\r\n\r\n")

    http_server.route("/junk", handler=junk)
    error = failure(http_server.url("/junk"))
    assert error.code == "protocol"
    assert error.message.startswith("127.0.0.1 sent a response that is not valid HTTP")


def test_a_redirect_without_location_is_the_final_answer(http_server: LocalHTTPServer) -> None:
    http_server.route("/nowhere", status=302, body=b"moved, somewhere")
    result = fetch(http_server.url("/nowhere"))
    assert result.final.status == 302
    assert len(result.exchanges) == 1


def test_credentials_do_not_follow_a_redirect_to_another_origin(
    http_server: LocalHTTPServer,
) -> None:
    with LocalHTTPServer() as elsewhere:
        elsewhere.route("/landing", body=b"ok")
        http_server.redirect("/out", to=elsewhere.url("/landing"))
        headers = {"Authorization": "Bearer secret", "Accept-Language": "zh-CN"}
        with client_with() as client:
            client.get(http_server.url("/out"), headers=headers)
        ((_, _, sent_here),) = http_server.requests
        ((_, _, sent_there),) = elsewhere.requests
    assert ("Authorization", "Bearer secret") in sent_here
    assert ("Accept-Language", "zh-CN") in sent_there
    assert "Authorization" not in dict(sent_there)


# Statuses and the exchange record ---------------------------------------------------


@pytest.mark.parametrize("status", [404, 410, 429, 500, 503])
def test_http_error_statuses_come_back_as_exchanges(
    status: int, http_server: LocalHTTPServer
) -> None:
    http_server.error("/err", status, body=b"the error page")
    result = fetch(http_server.url("/err"))
    assert result.final.status == status
    assert result.final.body == b"the error page"
    if status == 429:
        assert result.final.header("retry-after") == "120"


def test_an_exchange_records_what_went_over_the_wire(http_server: LocalHTTPServer) -> None:
    headers = [("Content-Type", 'Text/HTML; Charset="GB2312"'), ("X-Twice", "a"), ("X-Twice", "b")]
    http_server.route("/page", body="中文".encode("gb2312"), headers=headers)
    exchange = fetch(http_server.url("/page")).final
    assert exchange.method == "GET"
    assert exchange.http_version == "HTTP/1.1"
    assert (exchange.status, exchange.reason) == (200, "OK")
    assert exchange.request_headers[0] == ("Host", f"127.0.0.1:{http_server.port}")
    assert ("Accept-Encoding", "gzip, deflate") in exchange.request_headers
    assert [v for k, v in exchange.response_headers if k == "X-Twice"] == ["a", "b"]
    assert (exchange.content_type, exchange.charset) == ("text/html", "gb2312")
    assert exchange.peer_ip == "127.0.0.1"
    assert exchange.started_at.tzinfo is UTC
    assert exchange.body == exchange.raw_body == "中文".encode("gb2312")


def test_a_fetch_error_survives_pickling(http_server: LocalHTTPServer) -> None:
    http_server.redirect_loop("/a", "/b")
    error = failure(http_server.url("/a"))
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.code, copy.message, copy.transient) == (error.code, error.message, False)
    assert [e.url for e in copy.exchanges] == [e.url for e in error.exchanges]


# Addresses --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "code", "message"),
    [
        ("", "bad_url", "The address is empty."),
        ("example.com/page", "bad_url", "has no scheme; it should start with http://"),
        ("ftp://example.com/", "bad_scheme", "not 'ftp:' ones"),
        ("javascript:alert(1)", "bad_scheme", "Only http:// and https:// addresses"),
        ("localhost:8000", "bad_scheme", "did you mean http://localhost:8000?"),
        ("http://", "bad_url", "The address has no host name."),
        ("http:///path", "bad_url", "The address has no host name."),
        ("http://exa mple.com/", "bad_url", "contains a space at position 11"),
        ("http://example.com/\n", "bad_url", "a control character (U+000A) at position 20"),
        ("http://example.com/\u3000", "bad_url", "a space character (U+3000)"),
        ("http://exam\u200bple.com/", "bad_url", "an invisible formatting character (U+200B)"),
        ("http://example.com:99999/", "bad_url", "The port must be a number from 1 to 65535."),
        ("http://example.com:0/", "bad_url", "The port must be a number from 1 to 65535."),
        ("http://example.com:http/", "bad_url", "The port must be a number from 1 to 65535."),
        ("http://user:pw@example.com/", "bad_url", "a user name or password"),
        ("http://example.com\\@10.0.0.1/", "bad_url", "a user name or password"),
        ("http://256.1.1.1/", "bad_url", "256.1.1.1 is not a valid IPv4 address."),
        ("http://[1::2::3]/", "bad_url", "is not valid"),
        ("http://%65xample.com/", "bad_url", "contains '%'"),
        ("http://" + "a" * 9000 + ".com/", "bad_url", "longer than 8192 characters"),
    ],
)
def test_bad_addresses_are_refused_with_a_clear_message(url: str, code: str, message: str) -> None:
    with pytest.raises(FetchError) as caught:
        check_url(url, allow_private=False)
    assert caught.value.code == code
    assert message in caught.value.message
    assert not caught.value.transient


def test_bad_addresses_never_reach_the_network(http_server: LocalHTTPServer) -> None:
    with client_with() as client, pytest.raises(FetchError):
        client.get(f"ftp://127.0.0.1:{http_server.port}/")
    assert http_server.requests == []


@pytest.mark.parametrize(
    ("url", "normalised"),
    [
        ("HTTP://Example.COM:80/a#frag", "http://example.com/a"),
        (
            "https://例子.中国/路径?q=中文",
            "https://xn--fsqu00a.xn--fiqs8s/%E8%B7%AF%E5%BE%84?q=%E4%B8%AD%E6%96%87",
        ),
        ("http://0x08080808/", "http://8.8.8.8/"),
    ],
)
def test_good_addresses_are_normalised(url: str, normalised: str) -> None:
    assert check_url(url, allow_private=False) == normalised


def test_a_fetch_inside_a_shorter_scope_ends_by_that_scope(http_server: LocalHTTPServer) -> None:
    """A capture attempt's deadline holds for its fetches: they must not each get their own
    full deadline on top of it (they would stack up and hold a capture thread for long)."""
    from linkhome.lib.safe_http import deadline_scope

    http_server.slow_drip("/drip", body=b"x" * 4, interval=0.5)  # about 2 s in all
    assert fetch(http_server.url("/drip"), read_timeout=5, deadline=HANG).final.body == b"xxxx"
    client = client_with(read_timeout=5, deadline=HANG)
    with client, deadline_scope(0.6), pytest.raises(FetchError) as caught:
        client.get(http_server.url("/drip"))
    assert caught.value.code == "timeout"
