"""Browser mode end to end: a page built by its scripts comes back whole, in every output."""

import io
import json

import pytest
from pypdf import PdfReader

from linkhome.links.services import add_link
from linkhome.worker.sequence import capture_and_follow
from tests.browser_support import (
    HTML,
    PNG_1PX,
    artifacts_of,
    content_of,
    png_size,
    require_chromium,
    served,
    warc_records,
    webp_width,
)

pytestmark = pytest.mark.django_db(transaction=True)

SHELL = b"""<!DOCTYPE html><html><head><title>Loading</title>
<link rel="stylesheet" href="/app.css"></head>
<body><div id="app">Loading...</div><script src="/app.js"></script></body></html>"""
PARAGRAPHS = [
    "Rendered by script: the archive keeps what the reader saw, not the empty shell.",
    "Browser mode routes every request through the guarded client and records it.",
    "A screenshot, a PDF and the rendered DOM are kept next to the WARC.",
    "The readable text of this snapshot comes from the rendered page.",
]
APP_JS = (
    """
document.title = "Script-built article";
const app = document.getElementById("app");
app.innerHTML = "<article><h1>Script-built article</h1></article>";
for (const text of PARAGRAPHS) {
  const p = document.createElement("p"); p.textContent = text; app.firstChild.appendChild(p);
}
const img = document.createElement("img"); img.src = "/figure.png"; img.alt = "figure";
app.firstChild.appendChild(img);
""".replace("PARAGRAPHS", json.dumps(PARAGRAPHS))
).encode()


def serve_js_page(server) -> str:  # noqa: ANN001
    server.route("/app.js", body=APP_JS, headers=[("Content-Type", "text/javascript")])
    server.route("/app.css", body=b"p{color:#123}", headers=[("Content-Type", "text/css")])
    server.route("/figure.png", body=PNG_1PX, headers=[("Content-Type", "image/png")])
    return server.route("/article", body=SHELL, headers=HTML)


def capture(owner, url: str):  # noqa: ANN001, ANN201
    return capture_and_follow(add_link(owner, url).snapshot.pk)


def test_a_script_built_page_is_read_from_the_rendered_dom(http_server, owner, settings):
    require_chromium()
    settings.BROWSER = "auto"  # the shell has almost no text: auto must choose the browser
    snapshot = capture(owner, serve_js_page(http_server))
    assert snapshot.status == "succeeded", snapshot.error
    assert snapshot.title == "Script-built article"
    for text in PARAGRAPHS:
        assert text in snapshot.text
    assert "Rendered by script" in content_of(snapshot, "readable").decode()


def test_it_keeps_screenshot_thumbnail_pdf_and_dom(http_server, owner, browser_mode):
    snapshot = capture(owner, serve_js_page(http_server))
    width, height = png_size(content_of(snapshot, "screenshot"))
    assert width == 1280 and height >= 800
    assert len(content_of(snapshot, "screenshot")) > 5000  # a page was painted, not a blank
    assert webp_width(content_of(snapshot, "thumbnail")) == 400
    pdf = content_of(snapshot, "pdf")
    assert pdf.startswith(b"%PDF")
    pdf_text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Browser mode routes every request" in " ".join(pdf_text.split())
    dom = content_of(snapshot, "dom").decode("utf-8")
    assert PARAGRAPHS[0] in dom and '<meta charset="utf-8">' in dom


def test_the_single_file_is_built_from_the_rendered_dom_without_a_second_download(
    http_server, owner, browser_mode
):
    snapshot = capture(owner, serve_js_page(http_server))
    single = content_of(snapshot, "single_file").decode("utf-8")
    assert PARAGRAPHS[2] in single and "<script" not in single.lower()
    assert "data:image/png;base64," in single  # the script-added image, inlined
    for path in ("/article", "/app.js", "/app.css", "/figure.png"):
        assert served(http_server, path) == 1, (path, http_server.requests)


def test_a_lazy_image_is_loaded_by_scrolling_and_archived(http_server, owner, browser_mode):
    page = b"""<!DOCTYPE html><html><head><title>Lazy</title></head><body>
<p style="height:3000px">Scroll down.</p>
<img id="lazy" data-src="/lazy.png" alt="lazy" width="40" height="40">
<script>
new IntersectionObserver((entries, observer) => {
  for (const e of entries) if (e.isIntersecting) { e.target.src = e.target.dataset.src;
    observer.unobserve(e.target); }
}).observe(document.getElementById("lazy"));
</script></body></html>"""
    url = http_server.route("/lazy", body=page, headers=HTML)
    http_server.route("/lazy.png", body=PNG_1PX, headers=[("Content-Type", "image/png")])
    snapshot = capture(owner, url)
    records = warc_records(content_of(snapshot, "warc"))
    assert ("response", http_server.url("/lazy.png")) in records
    assert ("request", http_server.url("/lazy.png")) in records
    assert 'src="/lazy.png"' in content_of(snapshot, "dom").decode()


def test_the_warc_has_a_request_and_a_response_for_everything_the_browser_loaded(
    http_server, owner, browser_mode
):
    url = serve_js_page(http_server)
    http_server.route(
        "/data.json", body=b'{"n": 1}', headers=[("Content-Type", "application/json")]
    )
    http_server.route(
        "/app.js",
        body=APP_JS + b'fetch("/data.json");',
        headers=[("Content-Type", "text/javascript")],
    )
    snapshot = capture(owner, url)
    records = warc_records(content_of(snapshot, "warc"))
    asked = {path.split("?")[0] for _method, path, _headers in http_server.requests}
    assert asked >= {"/article", "/app.js", "/app.css", "/figure.png", "/data.json"}
    for path in asked:
        for kind in ("request", "response"):
            assert (kind, http_server.url(path)) in records, (kind, path)
    assert artifacts_of(snapshot)["warc"].status == "ok"


def test_a_redirected_page_renders_at_its_final_address(http_server, owner, browser_mode):
    url = serve_js_page(http_server)
    old = http_server.redirect("/old-article", to="/article")
    snapshot = capture(owner, old)
    assert snapshot.final_url == url
    assert PARAGRAPHS[1] in content_of(snapshot, "dom").decode()
    assert served(http_server, "/old-article") == 1 and served(http_server, "/article") == 1
