"""Chromium never fetches by itself: a rendered page's requests pass the SSRF guard."""

from linkhome.capture.browser import browser_host
from linkhome.capture.steps.browser import config
from linkhome.lib.safe_http import Limits, SafeClient
from tests.browser_support import HTML, PNG_1PX, require_chromium, served


def site_client() -> SafeClient:
    """Private networks refused, as in production; "site.example" stands for a public site
    (trusted, so it may resolve to the fixture server on 127.0.0.1)."""
    return SafeClient(
        Limits(allow_private=False),
        resolver=lambda host, port: ["127.0.0.1"],
        trusted_hosts=["site.example"],
    )


def test_a_page_cannot_make_the_browser_reach_a_private_address(http_server):
    require_chromium()
    secret = http_server.url("/secret.png")
    page = f"""<!DOCTYPE html><html><body><p>A page that probes the intranet.</p>
<img src="{secret}"><img src="http://10.20.30.40/router.png">
<script>fetch("{http_server.url("/api/secret")}").catch(() => {{}});</script>
</body></html>"""
    http_server.route("/page", body=page.encode(), headers=HTML)
    http_server.route("/secret.png", body=PNG_1PX, headers=[("Content-Type", "image/png")])
    http_server.route("/api/secret", body=b"{}", headers=[("Content-Type", "application/json")])
    url = f"http://site.example:{http_server.port}/page"
    with site_client() as client:
        rendered = browser_host(config()).render(url, [], lambda u, h: client.get(u, headers=h))
    assert "probes the intranet" in rendered.dom
    assert served(http_server, "/page") == 1
    assert served(http_server, "/secret.png") == 0 and served(http_server, "/api/secret") == 0
    assert {secret, http_server.url("/api/secret"), "http://10.20.30.40/router.png"} <= set(
        rendered.refused
    )
    assert [e.url for e in rendered.exchanges] == [url]


def test_what_the_page_posts_is_not_sent(http_server):
    require_chromium()
    page = b"""<!DOCTYPE html><html><body><p>Posts a beacon.</p>
<script>fetch("/collect", {method: "POST", body: "x"}).catch(() => {});</script></body></html>"""
    url = http_server.route("/page", body=page, headers=HTML)
    http_server.route("/collect", body=b"ok")
    with SafeClient(Limits(allow_private=True)) as client:
        rendered = browser_host(config()).render(url, [], lambda u, h: client.get(u, headers=h))
    assert served(http_server, "/collect") == 0
    assert rendered.refused[http_server.url("/collect")] == "POST requests are not sent"
