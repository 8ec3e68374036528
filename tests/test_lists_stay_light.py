"""Every list costs the same number of queries for 3 rows as for 30 (pictures, excerpts and
statuses come in one query per page), and a page of 30 rows with their pictures stays under
150 KB of HTML, CSS and script before the images, which load lazily."""

import re

import pytest
from django.contrib.staticfiles import finders

from linkhome.lib.previews import small_picture
from linkhome.links.services import set_tags
from linkhome.testing.factories import client_for, finished, stored
from linkhome.testing.images import png

pytestmark = pytest.mark.django_db

WEBP = small_picture(png(600, 400))
ICON = png(16, 16)
BUDGET = 150_000  # bytes: 150 KB, not KiB
LISTS = ("/", "/tags/港口/", "/search/?q=港口", "/people/{owner}/")


def keep(owner, start: int, count: int) -> None:
    for n in range(start, start + count):
        snapshot = stored(
            owner,
            f"https://site{n}.example/news/{n}",
            {"preview": (WEBP, "image/webp"), "favicon": (ICON, "image/png")},
        )
        set_tags(snapshot.link, ["港口", f"标签{n}"])
        snapshot.title = f"港口新闻第 {n} 篇：" + "很长的标题" * 8
        snapshot.text = "港口 新闻 正文 " + "一段正文，" * 80
        snapshot.description = "这是一段摘要，" * 20
        finished(snapshot, "succeeded")


@pytest.mark.parametrize("signed_in", [False, True])
@pytest.mark.parametrize("path", LISTS)
def test_more_rows_never_mean_more_queries(owner, path, signed_in, django_assert_max_num_queries):
    path = path.format(owner=owner.pk)
    client = client_for(owner if signed_in else None)
    keep(owner, 0, 3)
    client.get(path)
    with django_assert_max_num_queries(40) as few:
        assert client.get(path).status_code == 200
    keep(owner, 3, 30)
    # Search counts its hits once they pass a page (one COUNT per page, not per row).
    counted = 1 if path.startswith("/search/") else 0
    with django_assert_max_num_queries(len(few.captured_queries) + counted):
        page = client.get(path).content.decode()
    assert page.count('loading="lazy"') >= 20, path  # the rows are there, with pictures


@pytest.mark.parametrize("signed_in", [False, True])
@pytest.mark.parametrize("path", LISTS)
def test_a_list_of_30_weighs_under_150_kb_before_images(owner, path, signed_in):
    keep(owner, 0, 30)
    client = client_for(owner if signed_in else None)
    html = client.get(path.format(owner=owner.pk)).content
    assets = re.findall(rb'(?:href|src)="/static/([^"]+\.(?:css|js))"', html)
    weight = len(html) + sum(len(static_file(name.decode())) for name in set(assets))
    assert weight < BUDGET, (path, len(html), weight)
    for img in re.findall(rb"<img [^>]*/a/[^>]*>", html):  # the rows' pictures
        assert b'loading="lazy"' in img and b"width=" in img and b"height=" in img, img


def static_file(name: str) -> bytes:
    found = finders.find(name)
    assert found, name
    with open(found, "rb") as handle:
        return handle.read()
