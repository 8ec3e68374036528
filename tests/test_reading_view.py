"""The snapshot page as a reading view (issue 14): typography settings remembered in a
cookie (read back safely, kept without JavaScript too), the artifacts in a 存档 panel,
an image snapshot shown as the image, a PDF snapshot's file offered, a jump to the related
list, everything the page showed before still there, private snapshots invisible to
others on every part of it, and the page's own weight under 150 KB."""

import io
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from linkhome.links.services import add_link
from linkhome.testing.factories import client_for, kept, stored
from linkhome.testing.images import png
from linkhome.web.snapshots import READING_CHOICES, READING_COOKIE
from linkhome.worker.sequence import capture_and_follow
from tests.test_it_keeps_non_html_documents import minimal_pdf

pytestmark = pytest.mark.django_db
PICTURE = png(120, 80, seed=3)
WEIGHT_LIMIT = 150 * 1024


def page_of(client, snapshot_id: int) -> str:
    response = client.get(f"/s/{snapshot_id}/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_page_keeps_what_it_showed_and_adds_the_reading_bar(owner, other_user):
    single = (b"<p>\xe9\x9b\xa8</p>", "text/html; charset=utf-8")
    snapshot = stored(
        owner,
        "https://example.org/a",
        {"single_file": single},
        finished=True,
        title="城市的雨",
        text="雨中的城市。" * 50,
    )
    page = page_of(client_for(owner), snapshot.pk)
    for part in (
        'id="reader"',
        'id="readable"',
        'id="related"',
        'href="#related"',
        'id="jump-related"',
        'id="reading-settings"',
        'id="archive-panel"',
        'id="marks-',
        'id="snapshot-status"',
        'id="archived-view"',
        "城市的雨",
    ):
        assert part in page, part
    assert 'id="save-to-mine"' in page_of(client_for(other_user), snapshot.pk)
    # the artifacts' sizes are in the closed 存档 panel, not up front
    head = page.split('id="archive-panel"')[0]
    assert 'class="artifacts"' not in head


def test_without_a_cookie_the_defaults_are_rendered(owner):
    snapshot = kept(owner, "https://example.org/b", "正文。", title="默认")
    page = page_of(client_for(), snapshot.pk)
    defaults = {name: choices[0] for name, choices in READING_CHOICES.items()}
    for name, value in defaults.items():
        assert f'data-{name}="{value}"' in page


def test_the_settings_form_keeps_the_choice_without_javascript(owner):
    snapshot = kept(owner, "https://example.org/c", "正文。", title="设置")
    client = client_for()
    form = {
        "size": "xl",
        "width": "narrow",
        "font": "serif",
        "theme": "sepia",
        "next": f"/s/{snapshot.pk}/",
    }
    response = client.post("/reading/", form)
    assert response.status_code == 302 and response["Location"] == f"/s/{snapshot.pk}/"
    assert response.cookies[READING_COOKIE].value == "xl.narrow.serif.sepia"
    page = page_of(client, snapshot.pk)
    assert 'data-size="xl" data-width="narrow" data-font="serif" data-theme="sepia"' in page
    assert '<option value="sepia" selected>' in page


def test_the_settings_form_never_sends_the_reader_elsewhere(owner):
    response = client_for().post("/reading/", {"size": "l", "next": "https://evil.example/"})
    assert response["Location"] == "/"


# What a Cookie header can carry (Latin-1 bytes), without the separators that end a value.
COOKIE_TEXT = st.text(
    st.characters(min_codepoint=0x20, max_codepoint=0xFF, exclude_characters=';,"\\'),
    max_size=60,
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(cookie=COOKIE_TEXT | st.sampled_from(["xl.wide.serif.dark", "l.m", '<x>."onload=.a.b']))
def test_any_cookie_value_renders_only_known_choices(owner, cookie):
    snapshot = kept(owner, "https://example.org/h", "正文。", title="饼干", again=True)
    client = client_for()
    client.cookies[READING_COOKIE] = cookie
    page = page_of(client, snapshot.pk)
    reader = re.search(r'<div id="reader"[^>]*>', page)
    assert reader is not None
    for name, choices in READING_CHOICES.items():
        found = re.search(rf'data-{name}="([^"]*)"', reader.group(0))
        assert found is not None and found.group(1) in choices


def test_an_image_snapshot_shows_the_image_from_the_sandboxed_artifact(owner):
    snapshot = stored(
        owner, "https://example.org/pic.png", {"document": (PICTURE, "image/png")}, finished=True
    )
    page = page_of(client_for(owner), snapshot.pk)
    src = re.search(r'<figure class="snapshot-image"[^>]*>.*?<img src="([^"]+)"', page, re.S)
    assert src is not None
    served = client_for(owner).get(src.group(1))
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    assert served.content == PICTURE
    assert served["Content-Security-Policy"].startswith("sandbox;")  # never runs as our origin


def test_a_pdf_snapshot_offers_its_file_and_no_frame_that_cannot_show_it(owner):
    snapshot = stored(
        owner,
        "https://example.org/r.pdf",
        {"document": (b"%PDF-1.4 minimal", "application/pdf")},
        finished=True,
    )
    page = page_of(client_for(owner), snapshot.pk)
    assert 'id="pdf-note"' in page and f"/s/{snapshot.pk}/a/document/" in page
    served = client_for(owner).get(f"/s/{snapshot.pk}/a/document/")
    assert served["Content-Security-Policy"].startswith("sandbox;")
    assert served["Content-Disposition"].startswith("attachment")


def test_a_private_snapshot_and_its_image_are_invisible_to_others(owner, other_user):
    snapshot = stored(
        owner,
        "https://example.org/secret.png",
        {"document": (PICTURE, "image/png")},
        visibility="private",
        finished=True,
    )
    assert client_for(owner).get(f"/s/{snapshot.pk}/").status_code == 200
    for viewer in (other_user, None):
        client = client_for(viewer)
        assert client.get(f"/s/{snapshot.pk}/").status_code == 404
        assert client.get(f"/s/{snapshot.pk}/a/document/").status_code == 404


def test_a_private_snapshot_is_not_related_on_someone_elses_reading_page(owner, other_user):
    text = "长江流域的暴雨和洪水，水位持续上涨，防汛形势严峻。" * 20
    secret = kept(
        owner, "https://example.org/flood-private", text, title="私人洪水笔记", visibility="private"
    )
    public = kept(other_user, "https://example.org/flood", text, title="公开洪水报道")
    page = page_of(client_for(other_user), public.pk)
    assert "私人洪水笔记" not in page and f"/s/{secret.pk}/" not in page


def test_the_page_weighs_under_150_kb_before_images(owner):
    snapshot = kept(owner, "https://example.org/w", "雨中的城市。" * 3000, title="重量")
    page = client_for(owner).get(f"/s/{snapshot.pk}/").content
    assets = re.findall(rb'(?:href|src)="/static/([^"]+\.(?:css|js))"', page)
    assert assets, "the page loads its stylesheets and scripts from /static/"
    weight = len(page) + sum(Path(finders.find(a.decode())).stat().st_size for a in assets)
    assert weight <= WEIGHT_LIMIT, weight


@pytest.mark.django_db(transaction=True)
def test_a_captured_pdf_is_previewed_as_its_drawn_first_pages(http_server, owner, other_user):
    from PIL import Image

    pdf = minimal_pdf("Quarterly report 2024")
    http_server.route("/report.pdf", body=pdf, headers=[("Content-Type", "application/pdf")])
    snapshot = capture_and_follow(add_link(owner, http_server.url("/report.pdf")).snapshot.pk)
    page = page_of(client_for(owner), snapshot.pk)
    src = re.search(r'<figure class="snapshot-image pdf-pages"[^>]*><img src="([^"]+)"', page)
    assert src is not None and "Quarterly report 2024" in page  # the drawing and the text
    served = client_for(owner).get(src.group(1))
    assert served["Content-Type"] == "image/png"
    assert served["Content-Security-Policy"].startswith("sandbox;")
    drawn = Image.open(io.BytesIO(served.content))
    assert drawn.width == 800 and drawn.height > 800  # a letter page, 800 px wide
    assert drawn.convert("L").getextrema()[0] < 128  # ink: the text was drawn, not a blank


def test_a_damaged_pdf_has_no_preview_and_says_why(http_server, owner):
    http_server.route(
        "/bad.pdf", body=b"%PDF-1.4 garbage", headers=[("Content-Type", "application/pdf")]
    )
    snapshot = capture_and_follow(add_link(owner, http_server.url("/bad.pdf")).snapshot.pk)
    page = page_of(client_for(owner), snapshot.pk)
    assert 'id="pdf-pages"' not in page and 'id="pdf-note"' in page
    assert "无法绘制该 PDF 的页面" in page  # the 存档 panel says why, in the reader's language
