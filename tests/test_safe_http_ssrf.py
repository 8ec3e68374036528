"""The SSRF guard: no private address is reached in any spelling, by any path.

Every refusal test also checks the fixture server's request log: a refused fetch must not
have reached the server at all, not even with a request that got a 404.
"""

import ipaddress
import shutil
import socket
import ssl
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from linkhome.lib.safe_http import FetchError, Limits, SafeClient, check_url
from linkhome.lib.safe_http.addresses import blocked_reason
from linkhome.lib.safe_http.network import GuardedBackend
from linkhome.testing.http import LocalHTTPServer

LOOPBACK_SPELLINGS = [
    "http://127.0.0.1:{port}/",
    "http://2130706433:{port}/",  # decimal
    "http://0x7f000001:{port}/",  # hex
    "http://0177.0.0.1:{port}/",  # octal
    "http://127.1:{port}/",  # short form
    "http://0x7f.1:{port}/",  # mixed
    "http://127.0.0.1.:{port}/",  # trailing dot
    "http://[::1]:{port}/",
    "http://[::ffff:127.0.0.1]:{port}/",  # IPv4-mapped
    "http://[::ffff:7f00:1]:{port}/",  # IPv4-mapped, hex form
    "http://[::127.0.0.1]:{port}/",  # IPv4-compatible
    "http://[2002:7f00:1::]:{port}/",  # 6to4 carrying 127.0.0.1
    "http://[64:ff9b::7f00:1]:{port}/",  # NAT64 carrying 127.0.0.1
    "http://localhost:{port}/",
    "http://localhost.:{port}/",
    "http://LOCALHOST:{port}/",
    "http://app.localhost:{port}/",
    "http://0.0.0.0:{port}/",  # on Linux this reaches the local machine
    "http://0:{port}/",
    "http://[::]:{port}/",
]


@pytest.fixture
def guarded() -> Iterator[SafeClient]:
    with SafeClient(Limits(allow_private=False)) as client:
        yield client


def loopback_resolver(asked: list[str]):
    """A resolver that sends every name to 127.0.0.1 and logs the names it was asked."""

    def resolve(host: str, port: int) -> list[str]:
        asked.append(host)
        return ["127.0.0.1"]

    return resolve


def refusal(client: SafeClient, url: str) -> FetchError:
    with pytest.raises(FetchError) as caught:
        client.get(url)
    return caught.value


@pytest.mark.parametrize("template", LOOPBACK_SPELLINGS)
def test_every_spelling_of_the_local_machine_is_refused_before_any_request(
    template: str, guarded: SafeClient, http_server: LocalHTTPServer
) -> None:
    http_server.route("/", body=b"secret")
    error = refusal(guarded, template.format(port=http_server.port))
    assert error.code == "blocked_address"
    assert error.message.startswith("Refused: ")
    assert "LINKHOME_ALLOW_PRIVATE_NETWORKS=1" in error.message
    assert not error.transient
    assert error.exchanges == []
    assert http_server.requests == []


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("http://10.1.2.3/", "private network"),
        ("http://172.16.0.1/", "private network"),
        ("http://192.168.1.1/", "private network"),
        ("http://169.254.169.254/latest/meta-data/", "link-local"),
        ("http://100.64.0.1/", "carrier-grade NAT"),
        ("http://224.0.0.1/", "multicast"),
        ("http://240.0.0.1/", "reserved"),
        ("http://255.255.255.255/", "reserved"),
        ("http://[fe80::1]/", "link-local"),
        ("http://[fe80::1%25eth0]/", "link-local"),
        ("http://[fc00::1]/", "private network"),
        ("http://[ff02::1]/", "multicast"),
        ("http://[::ffff:10.0.0.1]/", "private network"),
        ("http://[::ffff:169.254.169.254]/", "link-local"),
        ("http://[2002:a00:1::]/", "private network"),  # 6to4 of 10.0.0.1
        ("http://0xa9fea9fe/", "link-local"),  # 169.254.169.254 in hex
    ],
)
def test_private_ranges_are_named_in_the_refusal(url: str, words: str) -> None:
    with pytest.raises(FetchError) as caught:
        check_url(url, allow_private=False)
    assert caught.value.code == "blocked_address"
    assert words in caught.value.message


def test_the_refusal_says_what_the_unusual_spelling_means() -> None:
    with pytest.raises(FetchError) as caught:
        check_url("http://0x7f000001/", allow_private=False)
    assert caught.value.message == (
        "Refused: 0x7f000001 means 127.0.0.1, which is a loopback address "
        "(set LINKHOME_ALLOW_PRIVATE_NETWORKS=1 to allow)"
    )


@pytest.mark.parametrize("address", ["8.8.8.8", "2606:4700:4700::1111", "::ffff:8.8.8.8"])
def test_public_addresses_pass(address: str) -> None:
    assert blocked_reason(ipaddress.ip_address(address)) is None


def test_a_host_name_that_resolves_to_loopback_is_refused_after_resolution(
    guarded: SafeClient, http_server: LocalHTTPServer
) -> None:
    name = socket.gethostname()  # resolved by the system resolver, not by a localhost rule
    try:
        address = socket.getaddrinfo(name, None)[0][4][0]
    except OSError:
        pytest.skip(f"{name} does not resolve here")
    if blocked_reason(ipaddress.ip_address(address)) is None:
        pytest.skip(f"{name} resolves to the public address {address}")
    error = refusal(guarded, f"http://{name}:{http_server.port}/")
    assert error.code == "blocked_address"
    assert f"{name} resolves to {address}" in error.message
    assert http_server.requests == []


def test_a_resolved_name_is_refused_by_address_not_by_name(http_server: LocalHTTPServer) -> None:
    asked: list[str] = []
    with SafeClient(Limits(), resolver=loopback_resolver(asked)) as client:
        error = refusal(client, f"http://innocent.example:{http_server.port}/")
    assert error.code == "blocked_address"
    assert "innocent.example resolves to 127.0.0.1, which is a loopback address" in error.message
    assert asked == ["innocent.example"]
    assert http_server.requests == []


def test_one_private_address_among_public_ones_refuses_the_host() -> None:
    # No connection is attempted here: the check runs on the whole answer first.
    backend = GuardedBackend(False, lambda host, port: ["93.184.215.14", "10.0.0.7"])
    with pytest.raises(FetchError) as caught:
        backend.checked_addresses("mixed.example", 80)
    assert caught.value.code == "blocked_address"
    assert "10.0.0.7" in caught.value.message


def test_the_connection_goes_to_the_checked_address_with_the_name_kept_in_host(
    http_server: LocalHTTPServer,
) -> None:
    # A rebinding resolver: the first answer is the checked one, any later one would be
    # an address nobody checked. Only one lookup may happen.
    answers = iter([["127.0.0.1"], ["192.0.2.1"]])
    asked: list[str] = []

    def rebinding(host: str, port: int) -> list[str]:
        asked.append(host)
        return next(answers)

    http_server.route("/page", body=b"hello")
    with SafeClient(Limits(allow_private=True), resolver=rebinding) as client:
        result = client.get(f"http://rebind.example:{http_server.port}/page")
    assert result.final.body == b"hello"
    assert result.final.peer_ip == "127.0.0.1"
    assert asked == ["rebind.example"]
    ((_, _, headers),) = http_server.requests
    assert ("Host", f"rebind.example:{http_server.port}") in headers


@pytest.mark.parametrize(
    "target",
    [
        "http://127.0.0.1:{port}/secret",
        "http://localhost:{port}/secret",
        "http://[::1]:{port}/secret",
        "http://0x7f000001:{port}/secret",
        "http://internal.example:{port}/secret",  # a name that resolves to loopback
    ],
)
def test_a_redirect_to_a_private_address_is_refused_at_that_hop(
    target: str, http_server: LocalHTTPServer
) -> None:
    # "site.example" stands for a public site (trusted so the first hop may reach the
    # fixture server); its redirect into the private network must still be refused.
    port = http_server.port
    http_server.redirect("/start", to=target.format(port=port))
    http_server.route("/secret", body=b"internal")
    client = SafeClient(Limits(), resolver=loopback_resolver([]), trusted_hosts=["site.example"])
    with client:
        error = refusal(client, f"http://site.example:{port}/start")
    assert error.code == "blocked_address"
    assert "Refused" in error.message
    assert [e.status for e in error.exchanges] == [302]
    assert [path for _, path, _ in http_server.requests] == ["/start"]


def test_a_redirect_to_another_scheme_is_refused(http_server: LocalHTTPServer) -> None:
    http_server.redirect("/start", to="file:///etc/passwd")
    with SafeClient(Limits(allow_private=True)) as client:
        error = refusal(client, http_server.url("/start"))
    assert error.code == "bad_scheme"
    assert len(error.exchanges) == 1


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "LOCALHOST", "2130706433"])
def test_private_networks_can_be_allowed(host: str, http_server: LocalHTTPServer) -> None:
    http_server.route("/ok", body=b"fine")
    with SafeClient(Limits(allow_private=True)) as client:
        result = client.get(f"http://{host}:{http_server.port}/ok")
    assert result.final.status == 200
    assert result.final.body == b"fine"
    assert len(http_server.requests) == 1


@pytest.fixture
def tls_server(tmp_path: Path) -> Iterator[tuple[LocalHTTPServer, Path, list[str]]]:
    """An https fixture server with a self-signed certificate for site.example only;
    also yields the file of that certificate and the SNI names clients sent."""
    openssl = shutil.which("openssl") or pytest.skip("openssl is needed to make a certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subject = ["-subj", "/CN=site.example", "-addext", "subjectAltName=DNS:site.example"]
    command = [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2"]
    subprocess.run(
        [*command, "-keyout", key, "-out", cert, *subject], check=True, capture_output=True
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    names: list[str] = []
    context.sni_callback = lambda sock, name, ctx: names.append(name)
    with LocalHTTPServer(tls=context) as server:
        yield server, cert, names


def test_tls_checks_the_name_while_the_socket_goes_to_the_checked_address(
    tls_server: tuple[LocalHTTPServer, Path, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    server, cert, names = tls_server
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # trust the fixture's certificate only
    server.route("/", body=b"secure")
    asked: list[str] = []
    with SafeClient(Limits(allow_private=True), resolver=loopback_resolver(asked)) as client:
        result = client.get(f"https://site.example:{server.port}/")
        error = refusal(client, f"https://other.example:{server.port}/")
    assert (result.final.body, result.final.peer_ip) == (b"secure", "127.0.0.1")
    assert names == ["site.example", "other.example"]  # SNI carries the name, not the IP
    assert asked == ["site.example", "other.example"]
    assert error.code == "connect"
    assert not error.transient
    assert error.message.startswith("The TLS certificate of other.example could not be verified")
    assert [path for _, path, _ in server.requests] == ["/"]
