"""For browser-mode captures, whether the screenshot changed visibly (issue 15): the
comparison on screenshots drawn by Pillow, what the worker's check records, and the same
answer in `linkhome diff --json`, the API, the diff page, the snapshot page and its
versions list; nothing is said when a capture has no screenshot."""

import io
import json
import random

import pytest
from django.utils import translation
from PIL import Image, ImageDraw

from linkhome.archive.artifacts import store_artifact
from linkhome.archive.models import ArtifactKind
from linkhome.cli.main import main
from linkhome.history.compare import compare_snapshots, screenshot_summary
from linkhome.lib.screenshot_diff import (
    ScreenshotDiff,
    UnreadableScreenshot,
    compare_screenshots,
)
from linkhome.links.services import add_link
from linkhome.testing.factories import client_for, finished

URL = "https://news.example.cn/2026/look.html"
TEXT = "北京大学今天举行了开学典礼。\nThe quick brown fox."


def page(*, height: int = 2000, box: str = "#3366cc", seed: int = 1, extra: int = 0) -> bytes:
    """A 1280-pixel page: lines of 'text' (dark bars), a coloured box, a faint noise of a
    few levels (`seed`) standing for antialiasing that differs between two renderings."""
    image = Image.new("RGB", (1280, height + extra), "white")
    draw = ImageDraw.Draw(image)
    for row in range(40):
        y = 120 + row * 28
        draw.rectangle((40, y, 40 + 700 + (row * 37) % 140, y + 12), fill=(30, 30, 30))
    draw.rectangle((900, 150, 1200, 400), fill=box)
    rng = random.Random(seed)
    pixels = image.load()
    for _ in range(20_000):
        x, y = rng.randrange(image.width), rng.randrange(image.height)
        r, g, b = pixels[x, y]
        d = rng.choice((-3, 3))
        pixels[x, y] = (max(0, min(255, r + d)), max(0, min(255, g + d)), max(0, min(255, b + d)))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


# --- the comparison --------------------------------------------------------------------------


def test_a_page_drawn_again_with_noise_and_a_few_pixels_longer_looks_the_same():
    assert compare_screenshots(page(seed=1), page(seed=2)) == ScreenshotDiff(False, 0.0)
    longer = compare_screenshots(page(seed=1), page(seed=2, extra=4))
    assert not longer.changed


def test_a_box_of_another_colour_is_seen_even_at_the_same_brightness():
    blue, orange = page(box="#3366cc"), page(box="#cc6633")  # near the same gray
    found = compare_screenshots(blue, orange)
    assert found.changed and 0.02 < found.ratio < 0.05  # 300×250 of 1280×2000


def test_a_page_grown_by_a_screen_changed_by_that_share():
    found = compare_screenshots(page(height=2000), page(height=2000, extra=1000))
    assert found.changed and found.ratio == pytest.approx(1000 / 3000, abs=0.01)


def test_what_is_not_a_picture_is_refused():
    with pytest.raises(UnreadableScreenshot):
        compare_screenshots(b"not a png", page())


# --- recorded by the check, shown everywhere the change is -----------------------------------


def version(owner, screenshot: bytes | None, *, again: bool, visibility: str = "public"):
    snapshot = add_link(owner, URL, recapture=again, visibility=visibility).snapshot
    if screenshot is not None:
        store_artifact(snapshot, ArtifactKind.SCREENSHOT, screenshot, "image/png")
    snapshot.title, snapshot.text = "开学", TEXT
    return finished(snapshot, "succeeded")


@pytest.mark.django_db
def test_the_check_records_it_and_every_surface_says_it(owner, other_user, capsys):
    first = version(owner, page(box="#3366cc"), again=False)
    second = version(owner, page(box="#cc6633"), again=True)
    second.refresh_from_db()
    assert second.change == "unchanged"  # the text is the same: a visible change only
    assert second.screenshot_changed is True and 0.02 < second.screenshot_ratio < 0.05

    found = compare_snapshots(other_user, first.pk, second.pk).as_dict()
    assert found["screenshot"] == {"changed": True, "ratio": second.screenshot_ratio}
    # Two versions the worker did not compare with each other are compared on the spot.
    assert compare_snapshots(other_user, second.pk, first.pk).as_dict()["screenshot"]["changed"]

    assert main(["diff", str(first.pk), str(second.pk), "--json", "--user", "other"]) == 0
    assert json.loads(capsys.readouterr().out)["screenshot"]["changed"] is True
    body = client_for(other_user).get(f"/api/snapshots/{first.pk}/diff/{second.pk}").json()
    assert body["screenshot"] == {"changed": True, "ratio": second.screenshot_ratio}

    with translation.override("zh-hans"):
        said = screenshot_summary(ScreenshotDiff(True, second.screenshot_ratio))
    client = client_for(other_user)
    page_html = client.get(f"/s/{second.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert said in page_html and "截图有变化" in page_html
    diff_html = client.get(f"/s/{first.pk}/diff/{second.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert said in diff_html.content.decode()
    with translation.override("en"):
        assert screenshot_summary(ScreenshotDiff(False, 0.0)) == "the screenshot looks the same"


@pytest.mark.django_db
def test_nothing_is_said_without_two_screenshots(owner, capsys):
    first = version(owner, None, again=False)
    second = version(owner, page(), again=True)
    second.refresh_from_db()
    assert second.screenshot_changed is None and second.screenshot_ratio is None
    assert "screenshot" not in compare_snapshots(owner, first.pk, second.pk).as_dict()
    body = client_for(owner).get(f"/api/snapshots/{first.pk}/diff/{second.pk}").json()
    assert "screenshot" not in body
    html = client_for(owner).get(f"/s/{second.pk}/").content.decode()
    assert 'id="screenshot-change"' not in html


@pytest.mark.django_db
def test_a_private_links_screenshots_are_compared_for_its_owner_only(owner, other_user):
    first = version(owner, page(box="#3366cc"), again=False, visibility="private")
    second = version(owner, page(box="#cc6633"), again=True, visibility="private")
    assert client_for(owner).get(f"/api/snapshots/{first.pk}/diff/{second.pk}").status_code == 200
    for viewer in (other_user, None):
        response = client_for(viewer).get(f"/api/snapshots/{first.pk}/diff/{second.pk}")
        assert response.status_code in (401, 404)
        assert "screenshot" not in response.content.decode()


@pytest.mark.django_db
def test_a_stored_screenshot_that_is_no_picture_leaves_the_rest_of_the_check(owner):
    version(owner, page(), again=False)
    second = version(owner, b"\x89PNG but not really", again=True)
    second.refresh_from_db()
    assert second.change == "unchanged" and second.health == "ok"
    assert second.screenshot_changed is None and second.screenshot_ratio is None
