"""Text in pictures is read by OCR (Debian's Tesseract): an image snapshot and a scanned PDF
(pages that are only pictures, no text layer), served from 127.0.0.1, captured end to end,
marked as OCR, and found by search. The images are drawn here, from known text, with
Debian's Noto Sans CJK (linkhome.testing.ocr_quality)."""

import io
import json

import pytest

from linkhome.archive.artifacts import artifact_bytes
from linkhome.cli.main import main as linkhome
from linkhome.links.services import add_link
from linkhome.testing.factories import client_for
from linkhome.testing.ocr_quality import cjk_font, render, skip_without_tesseract
from linkhome.worker.sequence import capture_and_follow
from tests.search_support import found
from tests.test_it_keeps_non_html_documents import minimal_pdf

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(skip_without_tesseract(), reason="run scripts/ensure-ocr.sh"),
]
# Written for these tests (not corpus text): words that occur nowhere else in the suite.
ZH = "档案馆今天公布了一批珍贵的手稿，研究人员将用三年时间整理这些材料。"
ZH_HANT = "圖書館昨天展出一批古籍善本，吸引許多讀者前來參觀。"
EN = "The lighthouse keeper wrote daily notes about storms and passing ships."


def scanned_pdf(*texts: str) -> bytes:
    """An image-only PDF (what a scanner makes): each text drawn on a page by Pillow and saved
    as a PDF of those pictures, with no text layer at all."""
    from PIL import Image

    pages = [Image.open(io.BytesIO(render(text, 32, cjk_font()))).convert("L") for text in texts]
    out = io.BytesIO()
    pages[0].save(out, "PDF", resolution=150, save_all=True, append_images=pages[1:])
    return out.getvalue()


def capture(http_server, owner, path: str, body: bytes, content_type: str):  # noqa: ANN201
    http_server.route(path, body=body, headers=[("Content-Type", content_type)])
    snapshot = capture_and_follow(add_link(owner, http_server.url(path)).snapshot.pk)
    return snapshot, {a.kind: a for a in snapshot.artifacts.all()}


def test_an_image_snapshot_is_read_marked_as_ocr_and_found(http_server, owner, capsys):
    image = render(ZH + EN, 24, cjk_font())
    snapshot, kinds = capture(http_server, owner, "/notes.png", image, "image/png")
    assert snapshot.status == "succeeded", snapshot.error
    assert snapshot.ocr is True
    assert artifact_bytes(kinds["document"]) == image
    assert "档案馆" in snapshot.text and "passing ships" in snapshot.text
    assert artifact_bytes(kinds["text"]).decode() == snapshot.text
    assert found(owner, "档案馆") == [snapshot.pk]
    assert found(owner, "lighthouse") == [snapshot.pk]
    page = client_for(owner).get(f"/s/{snapshot.pk}/").content.decode()
    assert "文字由 OCR 识别" in page and "档案馆" in page
    english = client_for(owner).get(f"/s/{snapshot.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Text read by OCR" in english.content.decode()
    assert linkhome(["show", str(snapshot.pk), "--json", "--user", owner.username]) == 0
    shown = json.loads(capsys.readouterr().out)["snapshot"]
    assert shown["ocr"] is True and "档案馆" in shown["text"]


def test_a_scanned_pdf_is_read_page_by_page_and_found(http_server, owner):
    pdf = scanned_pdf(ZH, ZH_HANT, EN)
    snapshot, kinds = capture(http_server, owner, "/scan.pdf", pdf, "application/pdf")
    assert snapshot.status == "succeeded", snapshot.error
    assert snapshot.ocr is True and kinds["text"].error == ""
    text = snapshot.text
    # In page order, traditional characters read as traditional (chi_tra's reading kept).
    assert text.index("档案馆") < text.index("圖書館") < text.index("lighthouse")
    assert found(owner, "档案馆 手稿") == [snapshot.pk]
    assert found(owner, "古籍") == [snapshot.pk]
    assert found(owner, "lighthouse") == [snapshot.pk]


def test_a_pdf_with_a_text_layer_is_not_ocr(http_server, owner):
    snapshot, _ = capture(
        http_server,
        owner,
        "/t.pdf",
        minimal_pdf("Quarterly figures for the harbour"),
        "application/pdf",
    )
    assert "Quarterly figures" in snapshot.text and snapshot.ocr is False


def test_the_pages_past_the_limit_are_left_out_and_said(http_server, owner, settings):
    settings.OCR_MAX_PAGES = 1
    snapshot, kinds = capture(
        http_server, owner, "/two.pdf", scanned_pdf(ZH, EN), "application/pdf"
    )
    assert "档案馆" in snapshot.text and "lighthouse" not in snapshot.text
    assert "pages past the first 1" in kinds["text"].error


def test_an_image_past_the_pixel_limit_is_read_smaller(http_server, owner, settings):
    image = render(EN, 32, cjk_font())  # about 1,064 × 166 pixels
    settings.OCR_MAX_PIXELS = 90_000  # scaled to about 760 × 118: the letters stay legible
    snapshot, _ = capture(http_server, owner, "/big.png", image, "image/png")
    assert "lighthouse" in snapshot.text and snapshot.ocr


def test_an_image_far_past_the_pixel_limit_is_not_read(http_server, owner, settings):
    settings.OCR_MAX_PIXELS = 10_000  # the image is more than 4 times that
    snapshot, kinds = capture(
        http_server, owner, "/huge.png", render(EN, 32, cjk_font()), "image/png"
    )
    assert snapshot.status == "partial" and snapshot.text == "" and not snapshot.ocr
    assert kinds["text"].status == "failed" and "too large" in kinds["text"].error
    assert kinds["document"].status == "ok"


def test_ocr_off_keeps_the_image_and_says_why(http_server, owner, settings):
    settings.OCR = "off"
    snapshot, kinds = capture(
        http_server, owner, "/off.png", render(EN, 24, cjk_font()), "image/png"
    )
    assert snapshot.status == "succeeded" and snapshot.text == "" and not snapshot.ocr
    assert kinds["text"].status == "skipped" and "LINKHOME_OCR=off" in kinds["text"].error
    page = client_for(owner).get(f"/s/{snapshot.pk}/").content.decode()
    assert "OCR 已关闭" in page and "文字由 OCR 识别" not in page


def test_a_time_limit_stops_a_slow_read(http_server, owner, settings):
    settings.OCR_TIMEOUT = 0.01  # Tesseract cannot even load its models that fast: killed
    image = render(ZH + EN, 24, cjk_font())
    snapshot, kinds = capture(http_server, owner, "/slow.png", image, "image/png")
    assert snapshot.status == "partial" and not snapshot.ocr and snapshot.text == ""
    assert kinds["text"].status == "failed" and "longer than 0.01 s" in kinds["text"].error
    assert kinds["document"].status == "ok"


def test_a_page_whose_text_is_an_image_is_read_from_its_screenshot(http_server, owner, settings):
    from tests.browser_support import HTML, require_chromium

    require_chromium()
    settings.BROWSER = "auto"  # HTTP mode reads almost no text: the browser is called
    http_server.route(
        "/words.png", body=render(ZH + EN, 24, cjk_font()), headers=[("Content-Type", "image/png")]
    )
    page = b'<!DOCTYPE html><html><head><title>Notice</title></head><body style="margin:0">'
    page += b'<img src="/words.png" alt=""></body></html>'
    http_server.route("/notice", body=page, headers=HTML)
    snapshot = capture_and_follow(add_link(owner, http_server.url("/notice")).snapshot.pk)
    kinds = {a.kind: a for a in snapshot.artifacts.all()}
    assert kinds["screenshot"].status == "ok", kinds["screenshot"].error
    assert snapshot.ocr is True and "档案馆" in snapshot.text and "passing ships" in snapshot.text
    assert found(owner, "档案馆") == [snapshot.pk]


def test_a_page_with_its_own_text_is_not_read_from_its_screenshot(http_server, owner, settings):
    from tests.browser_support import HTML, require_chromium

    require_chromium()
    settings.BROWSER = "always"
    words = "<p>" + "A page that says what it says in its own words. " * 10 + "</p>"
    body = f"<!DOCTYPE html><html><head><title>Words</title></head><body>{words}</body></html>"
    http_server.route("/words", body=body.encode(), headers=HTML)
    snapshot = capture_and_follow(add_link(owner, http_server.url("/words")).snapshot.pk)
    assert {a.kind: a.status for a in snapshot.artifacts.all()}["screenshot"] == "ok"
    assert snapshot.ocr is False and "text" not in {a.kind for a in snapshot.artifacts.all()}
