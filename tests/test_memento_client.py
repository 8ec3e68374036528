"""LinkHome's Memento answers as a Memento client someone else wrote reads them: the
memento_client package (the Memento project's own Python library), against a live LinkHome
on 127.0.0.1, with originals served from 127.0.0.1 too, so nothing leaves this machine."""

from datetime import UTC, datetime

import pytest
import requests
from memento_client import MementoClient

from linkhome.testing.factories import kept

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def linkhome_server(transactional_db):
    """LinkHome served by Django's threaded live server on 127.0.0.1 (a free port)."""
    from pytest_django.live_server_helper import LiveServer

    server = LiveServer("127.0.0.1:0")
    yield server
    server.stop()


@pytest.fixture
def session():
    """requests without proxies from the environment: every request stays on 127.0.0.1."""
    with requests.Session() as s:
        s.trust_env = False
        yield s


def local_only(session: requests.Session) -> list[str]:
    """Record every address memento_client asks for."""
    asked: list[str] = []
    session.hooks["response"].append(lambda r, *a, **k: asked.append(r.request.url))
    return asked


@pytest.fixture
def captures(http_server, owner, other_user):
    http_server.route("/story", body=b"<html><p>original</p></html>")
    url = http_server.url("/story")
    old = kept(owner, url, "旧", captured=datetime(2023, 5, 1, 10, 0, tzinfo=UTC))
    new = kept(owner, url, "新", again=True, captured=datetime(2025, 5, 1, 10, 0, tzinfo=UTC))
    hidden = kept(
        owner,
        url.replace("http://", "https://", 1),  # the same address, on a link of its own
        "私密",
        visibility="private",
        captured=datetime(2024, 5, 1, 10, 0, tzinfo=UTC),
    )
    theirs = kept(other_user, url, "他人", captured=datetime(2024, 1, 1, 10, 0, tzinfo=UTC))
    return {"url": url, "old": old, "new": new, "hidden": hidden, "theirs": theirs}


def test_memento_client_finds_the_closest_memento_and_its_neighbours(
    linkhome_server, session, captures
):
    asked = local_only(session)
    client = MementoClient(
        timegate_uri=f"{linkhome_server.url}/timegate/",
        check_native_timegate=False,
        session=session,
    )
    info = client.get_memento_info(captures["url"], datetime(2024, 6, 1))
    closest = info["mementos"]["closest"]
    # 2024-06-01: the private capture of 2024-05-01 is not there for a visitor; the
    # nearest visible one is other_user's of 2024-01-01.
    assert closest["uri"] == [f"{linkhome_server.url}/s/{captures['theirs'].pk}/"]
    assert closest["datetime"] == datetime(2024, 1, 1, 10, 0)
    assert closest["http_status_code"] == 200
    assert info["mementos"]["first"]["uri"] == [f"{linkhome_server.url}/s/{captures['old'].pk}/"]
    assert info["mementos"]["prev"]["datetime"] == datetime(2023, 5, 1, 10, 0)
    assert info["mementos"]["next"]["uri"] == [f"{linkhome_server.url}/s/{captures['new'].pk}/"]
    assert info["mementos"]["last"]["datetime"] == datetime(2025, 5, 1, 10, 0)
    assert info["original_uri"] == captures["url"]
    assert all(u.startswith("http://127.0.0.1:") for u in asked), asked


def test_memento_client_takes_timegate_and_memento_for_what_they_are(
    linkhome_server, session, captures
):
    timegate = f"{linkhome_server.url}/timegate/{captures['url']}"
    assert MementoClient.is_timegate(timegate, session=session)
    memento = f"{linkhome_server.url}/s/{captures['new'].pk}/"
    response = session.head(memento)
    assert MementoClient.is_memento(memento, response=response)
    client = MementoClient(timegate_uri=f"{linkhome_server.url}/timegate/", session=session)
    # From a memento, the client finds the original it is a memento of.
    assert client.get_original_uri(memento) == captures["url"]
    # And the TimeMap parses with the client's own Link parser.
    timemap = session.get(f"{linkhome_server.url}/timemap/link/{captures['url']}").text
    links = MementoClient.parse_link_header(timemap.replace("\n", ""))
    mementos = {u: v for u, v in links.items() if "memento" in v["rel"]}
    assert len(mementos) == 3  # the private one is left out
    assert f"{linkhome_server.url}/s/{captures['hidden'].pk}/" not in links
