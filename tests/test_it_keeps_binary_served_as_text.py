"""Binary served as text/html is kept as the file it is, never indexed as text."""

import random

import pytest

from linkhome.archive.artifacts import artifact_bytes
from linkhome.links.services import add_link
from linkhome.testing.factories import client_for
from linkhome.testing.images import png
from linkhome.worker.sequence import capture_and_follow
from tests.test_it_keeps_non_html_documents import minimal_pdf

pytestmark = pytest.mark.django_db(transaction=True)
NOISE = random.Random(7).randbytes(132_415)  # compressed or encrypted data looks like this


def capture(http_server, owner, body: bytes, headers: list[tuple[str, str]]):  # noqa: ANN201
    http_server.route("/file", body=body, headers=headers)
    snapshot = capture_and_follow(add_link(owner, http_server.url("/file")).snapshot.pk)
    return snapshot, {a.kind: a for a in snapshot.artifacts.all()}


@pytest.mark.parametrize("content_type", ["text/html; charset=utf-8", "text/plain"])
def test_binary_served_as_text_is_a_document_without_text(http_server, owner, content_type):
    snapshot, kinds = capture(http_server, owner, NOISE, [("Content-Type", content_type)])
    assert snapshot.status == "succeeded", snapshot.error
    assert snapshot.text == "" and snapshot.content_hash == ""
    assert artifact_bytes(kinds["document"]) == NOISE
    assert kinds["document"].mime == "application/octet-stream"
    assert kinds["text"].status == "skipped" and "binary" in kinds["text"].error
    assert not {"readable", "html", "single_file"} & set(kinds)


def test_an_image_served_as_html_is_kept_as_the_image(http_server, owner):
    image = png(16, 16)
    snapshot, kinds = capture(http_server, owner, image, [("Content-Type", "text/html")])
    assert snapshot.text == ""
    assert artifact_bytes(kinds["document"]) == image and kinds["document"].mime == "image/png"


def test_a_pdf_served_as_html_is_read_as_a_pdf(http_server, owner):
    pdf = minimal_pdf("Annual figures")
    snapshot, kinds = capture(http_server, owner, pdf, [("Content-Type", "text/html")])
    assert "Annual figures" in snapshot.text and kinds["document"].mime == "application/pdf"


def test_nosniff_keeps_the_type_the_server_gave_and_still_indexes_nothing(http_server, owner):
    headers = [("Content-Type", "text/html"), ("X-Content-Type-Options", "nosniff")]
    snapshot, kinds = capture(http_server, owner, NOISE, headers)
    assert snapshot.text == "" and kinds["document"].mime == "text/html"


def test_an_untyped_page_that_starts_with_a_tag_is_read_as_html(http_server, owner):
    body = b"<p>Old servers send no Content-Type at all, and browsers read this as HTML.</p>"

    def untyped(request):  # the test server adds a Content-Type to every declared answer
        head = b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\nConnection: close\r\n\r\n"
        request.wfile.write(head % len(body) + body)
        request.close_connection = True

    http_server.route("/untyped", handler=untyped)
    snapshot = capture_and_follow(add_link(owner, http_server.url("/untyped")).snapshot.pk)
    kinds = {a.kind: a for a in snapshot.artifacts.all()}
    assert snapshot.content_type == ""
    assert "browsers read this as HTML" in snapshot.text and kinds["readable"].status == "ok"


def test_the_snapshot_page_says_why_there_is_no_text_in_both_languages(http_server, owner):
    snapshot, _ = capture(http_server, owner, NOISE, [("Content-Type", "text/html")])
    chinese = client_for(owner).get(f"/s/{snapshot.pk}/").content.decode()
    english = client_for(owner).get(f"/s/{snapshot.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert "服务器称这个文件是文本，但它的内容是二进制数据" in chinese
    assert "its bytes are binary" in english.content.decode()
