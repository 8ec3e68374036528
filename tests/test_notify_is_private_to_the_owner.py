"""A person only ever sees notifications of their own links: the notification of a private
link appears in its owner's feed, API list, CLI list and account page, and nowhere for
anyone else (who has their own, empty, lists)."""

import json

import pytest

from linkhome.accounts.services import create_token
from linkhome.cli.main import main
from linkhome.notify import preferences
from linkhome.testing.factories import client_for
from tests.notify_support import changed_event

pytestmark = pytest.mark.django_db


def test_a_private_links_notification_reaches_its_owner_only(
    http_server, owner, other_user, capsys
):
    event = changed_event(http_server, owner, "/secret-page", visibility="private")
    marker = f"/s/{event.snapshot_id}/"  # its snapshot page, named on every surface

    def surfaces(user) -> dict[str, str]:
        token = {"HTTP_AUTHORIZATION": f"Bearer {create_token(user).key}"}
        key = preferences.channels_of(user).feed_key
        capsys.readouterr()
        assert main(["notifications", "--json", "--user", user.username]) == 0
        return {
            "feed": client_for().get(f"/notifications/feed/{key}/").content.decode(),
            "api": client_for().get("/api/notifications", **token).content.decode(),
            "page": client_for(user).get("/accounts/notifications/").content.decode(),
            "cli": capsys.readouterr().out,
        }

    mine = surfaces(owner)
    assert [k for k, text in mine.items() if marker not in text] == [], mine
    assert json.loads(mine["api"])["notifications"][0]["id"] == event.pk
    theirs = surfaces(other_user)
    assert not any(marker in text for text in theirs.values()), theirs
    assert json.loads(theirs["api"]) == {"notifications": []}
    # Signed out, the list is not there at all.
    assert client_for().get("/api/notifications").status_code == 401
