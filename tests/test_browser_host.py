"""The long-lived browser: restarted after N captures, shared by threads within a bound."""

import threading

import pytest

from linkhome.capture.browser import BrowserConfig, BrowserHost
from linkhome.lib.safe_http import Limits, SafeClient
from tests.browser_support import HTML, require_chromium


@pytest.fixture
def host_factory():  # noqa: ANN201
    require_chromium()
    hosts: list[BrowserHost] = []

    def make(**options: object) -> BrowserHost:
        hosts.append(BrowserHost(BrowserConfig(**options)))
        return hosts[-1]

    yield make
    for host in hosts:
        host.close()


def render(host: BrowserHost, url: str):  # noqa: ANN201
    with SafeClient(Limits(allow_private=True)) as client:
        return host.render(url, [], lambda u, h: client.get(u, headers=h))


def test_the_browser_is_restarted_after_n_captures(http_server, host_factory):
    url = http_server.route("/p", body=b"<p>page</p>", headers=HTML)
    host = host_factory(restart_every=2)
    for _ in range(5):
        assert "page" in render(host, url).dom
    assert host.launches == 3  # captures 1-2, 3-4, 5


def test_two_threads_share_one_browser(http_server, host_factory):
    url = http_server.route("/p", body=b"<p>shared</p>", headers=HTML, delay=0.3)
    host = host_factory(concurrency=2)
    results: list[str] = []
    threads = [
        threading.Thread(target=lambda: results.append(render(host, url).dom)) for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert len(results) == 4 and all("shared" in dom for dom in results)
    assert host.launches == 1
