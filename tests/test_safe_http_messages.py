"""Each failure of a fetch says what happened, against real local servers (item 12)."""

import socket
import threading
from collections.abc import Callable, Iterator

import pytest

from linkhome.lib.safe_http import FetchError, Limits, SafeClient
from linkhome.lib.urls import shown_url
from linkhome.testing.http import LocalHTTPServer


def failure(url: str, client: SafeClient | None = None) -> FetchError:
    limits = Limits(allow_private=True, connect_timeout=0.5, read_timeout=2, deadline=10)
    with client or SafeClient(limits) as fetching, pytest.raises(FetchError) as caught:
        fetching.get(url)
    return caught.value


@pytest.fixture
def raw_server() -> Iterator[Callable[[Callable[[socket.socket], None]], int]]:
    """Starts TCP servers that do `behaviour` with each connection; gives their port."""
    listeners: list[socket.socket] = []

    def start(behaviour: Callable[[socket.socket], None]) -> int:
        listener = socket.create_server(("127.0.0.1", 0))
        listeners.append(listener)

        def serve() -> None:
            while True:
                try:
                    connection, _ = listener.accept()
                except OSError:
                    return
                behaviour(connection)

        threading.Thread(target=serve, daemon=True).start()
        return listener.getsockname()[1]

    yield start
    for listener in listeners:
        listener.close()


def test_headers_over_the_limit_are_called_too_large_not_invalid(http_server: LocalHTTPServer):
    def huge_header(request) -> None:
        request.wfile.write(b"HTTP/1.1 200 OK\r\nX-Big: " + b"a" * (1 << 20) + b"\r\n\r\n")

    http_server.route("/big", handler=huge_header)
    error = failure(http_server.url("/big"))
    assert error.code == "too_large" and not error.transient
    assert "sent response headers larger than the" in error.message
    assert "not valid HTTP" not in error.message


def test_a_tls_handshake_that_never_comes_is_not_a_refused_connection(raw_server):
    held: list[socket.socket] = []
    port = raw_server(held.append)  # accepts, then never says a word
    error = failure(f"https://127.0.0.1:{port}/")
    assert error.code == "timeout"
    assert "accepted the connection but did not complete the secure (TLS) handshake" in (
        error.message
    )
    assert "did not accept a connection" not in error.message
    for connection in held:
        connection.close()


def test_tls_to_a_plain_http_server_says_it_did_not_speak_tls(http_server: LocalHTTPServer):
    http_server.route("/", body=b"plain")
    error = failure(f"https://127.0.0.1:{http_server.port}/")
    assert error.code == "connect" and not error.transient
    assert "the server did not answer in TLS" in error.message


def test_a_server_that_hangs_up_during_the_handshake_is_named(raw_server):
    def hang_up(connection: socket.socket) -> None:
        connection.recv(4096)
        connection.close()

    error = failure(f"https://127.0.0.1:{raw_server(hang_up)}/")
    assert "the server closed the connection during the handshake" in error.message


def loopback(host: str, port: int) -> list[str]:
    return ["127.0.0.1"]


@pytest.mark.parametrize(
    "target",
    [
        "http://internal.example:{port}/secret",  # a name that resolves to loopback
        "http://localhost:{port}/secret",
        "http://127.0.0.1:{port}/secret",
    ],
)
def test_a_redirect_to_any_private_host_says_where_it_was_redirected(
    target: str, http_server: LocalHTTPServer
):
    secret = target.format(port=http_server.port)
    http_server.redirect("/start", to=secret)
    client = SafeClient(Limits(), resolver=loopback, trusted_hosts=["site.example"])
    error = failure(f"http://site.example:{http_server.port}/start", client)
    assert error.code == "blocked_address"
    assert error.message.startswith(f"Redirected to {secret}: Refused")
    assert [path for _, path, _ in http_server.requests] == ["/start"]


def test_a_huge_redirect_address_is_shortened_in_the_message(http_server: LocalHTTPServer):
    target = f"http://127.0.0.1:{http_server.port}/" + "a" * 50_000
    http_server.redirect("/start", to=target)
    client = SafeClient(Limits(), resolver=loopback, trusted_hosts=["site.example"])
    error = failure(f"http://site.example:{http_server.port}/start", client)
    assert error.message.startswith(f"Redirected to {target[:120]}… (50,")
    assert len(error.message) < 500


@pytest.mark.parametrize("length", [0, 1, 119, 120, 121, 10_000])
def test_shown_url_keeps_short_addresses_and_says_how_long_a_long_one_was(length: int):
    url = "h" * length
    shown = shown_url(url)
    assert shown == url if length <= 120 else shown == f"{url[:120]}… ({length:,} characters)"
