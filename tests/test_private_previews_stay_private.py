"""A private snapshot's pictures are its owner's alone: the artifact is 404 for anyone else,
and no list, search or row status shows it to them."""

import pytest
from django.test import override_settings

from linkhome.lib.previews import small_picture
from linkhome.links.services import set_tags
from linkhome.testing.factories import client_for, finished, stored
from linkhome.testing.images import png

pytestmark = pytest.mark.django_db

WEBP = small_picture(png(600, 400))


@pytest.fixture
def secret(owner):
    snapshot = stored(
        owner,
        "https://secret.example/plan",
        {"preview": (WEBP, "image/webp"), "favicon": (png(16, 16), "image/png")},
        visibility="private",
    )
    set_tags(snapshot.link, ["计划"])
    snapshot.title, snapshot.text = "秘密计划", "秘密 计划 正文"
    return finished(snapshot, "succeeded")


def test_the_owner_sees_the_preview_in_their_list(owner, secret):
    client = client_for(owner)
    assert f'src="/s/{secret.pk}/a/preview/"' in client.get("/").content.decode()
    assert client.get(f"/s/{secret.pk}/a/preview/").status_code == 200
    assert client.get(f"/s/{secret.pk}/a/favicon/").status_code == 200


@pytest.mark.parametrize("who", ["anonymous", "other"])
def test_the_preview_is_404_for_everyone_else(owner, other_user, secret, who):
    client = client_for(other_user if who == "other" else None)
    for kind in ("preview", "favicon"):
        assert client.get(f"/s/{secret.pk}/a/{kind}/").status_code == 404
    assert client.get(f"/s/{secret.pk}/row-status/").status_code == 404
    for path in ("/", "/tags/计划/", "/search/?q=秘密", f"/people/{owner.pk}/"):
        page = client.get(path).content.decode()
        assert f"/s/{secret.pk}/" not in page, path


def test_on_the_archive_origin_only_a_signature_for_the_owner_opens_it(owner, secret):
    archive = "http://archive.example:8001"
    with override_settings(ARCHIVE_ORIGIN=archive, ALLOWED_HOSTS=["*"]):
        home = client_for(owner).get("/").content.decode()
        prefix = f'src="{archive}/s/{secret.pk}/a/preview/?sig='
        assert prefix in home
        signed = home.split(prefix, 1)[1].split('"', 1)[0]
        path = f"/s/{secret.pk}/a/preview/"
        on_archive = {"HTTP_HOST": "archive.example:8001"}
        assert client_for().get(f"{path}?sig={signed}", **on_archive).status_code == 200
        assert client_for().get(path, **on_archive).status_code == 404
        # Signed for the preview, it opens nothing else of the snapshot.
        other_kind = f"/s/{secret.pk}/a/favicon/?sig={signed}"
        assert client_for().get(other_kind, **on_archive).status_code == 404
