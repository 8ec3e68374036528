"""Deleting a link from the web: the owner confirms, others get 404."""

import pytest

from linkhome.archive.models import Snapshot
from linkhome.links.models import Link
from linkhome.storage.models import Blob
from linkhome.testing import factories
from linkhome.testing.factories import client_for

pytestmark = pytest.mark.django_db(transaction=True)
PAGE = b"<html><head><title>To delete</title></head><body><p>gone soon</p></body></html>"


def captured(http_server, owner):
    http_server.route("/page", body=PAGE, headers=[("Content-Type", "text/html; charset=utf-8")])
    return factories.captured(owner, http_server.url("/page"))


def test_the_owner_confirms_then_everything_goes(http_server, owner):
    snapshot = captured(http_server, owner)
    url = f"/links/{snapshot.link_id}/delete/"
    client = client_for(owner)
    assert "To delete" in client.get(url).content.decode()  # the confirmation page
    assert Blob.objects.exists()
    response = client.post(url, follow=True)
    assert response.status_code == 200 and "链接及其快照已删除" in response.content.decode()
    assert not Link.objects.exists() and not Snapshot.objects.exists()
    assert not Blob.objects.exists()
    assert client.get(f"/s/{snapshot.pk}/").status_code == 404
    assert client.post(url).status_code == 404  # a second click


@pytest.mark.parametrize("viewer", ["other", "anonymous"])
def test_nobody_else_can_delete(http_server, owner, other_user, viewer):
    snapshot = captured(http_server, owner)
    client = client_for(other_user if viewer == "other" else None)
    url = f"/links/{snapshot.link_id}/delete/"
    expected = 404 if viewer == "other" else 302  # anonymous goes to sign in
    assert client.get(url).status_code == expected
    assert client.post(url).status_code == expected
    assert Link.objects.filter(pk=snapshot.link_id).exists()


def test_deleting_needs_csrf(http_server, owner):
    from django.test import Client

    snapshot = captured(http_server, owner)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(owner)
    assert strict.post(f"/links/{snapshot.link_id}/delete/").status_code == 403
    assert Link.objects.filter(pk=snapshot.link_id).exists()
