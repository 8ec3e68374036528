import pytest

from linkhome.archive.models import Snapshot
from linkhome.lib.urls import InvalidUrl
from linkhome.links import queries
from linkhome.links.models import Link
from linkhome.links.services import LinkError, add_link, add_links

pytestmark = pytest.mark.django_db


def test_adding_saves_the_link_and_queues_a_snapshot(owner):
    added = add_link(owner, "https://example.com/a", tags=["新闻", "tech"])
    assert added.created
    assert added.snapshot.status == "queued"
    assert sorted(t.name for t in added.link.tags.all()) == ["tech", "新闻"]


def test_the_same_address_twice_returns_the_existing_link(owner):
    first = add_link(owner, "https://Example.com:443/a#intro", tags=["a"])
    again = add_link(owner, "https://example.com/a", tags=["b"])
    assert not again.created and again.link.pk == first.link.pk
    assert again.snapshot.pk == first.snapshot.pk
    assert {t.name for t in again.link.tags.all()} == {"a", "b"}
    assert Snapshot.objects.count() == 1


def test_recapture_queues_a_new_snapshot(owner):
    first = add_link(owner, "https://example.com/a")
    again = add_link(owner, "https://example.com/a", recapture=True)
    assert again.snapshot.pk != first.snapshot.pk


def test_two_owners_keep_their_own_link(owner, other_user):
    add_link(owner, "https://example.com/a")
    add_link(other_user, "https://example.com/a")
    assert Link.objects.count() == 2


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("", "empty"),
        ("javascript:alert(1)", "only http and https"),
        ("ftp://example.com/file", "only http and https"),
        ("http://exa mple.com/", "spaces"),
        ("http://example.com:99999/", "malformed"),
        ("http:///nohost", "no host"),
        ("https://example.com/\x00", "control characters"),
        ("https://example.com/" + "a" * 5000, "longer than"),
    ],
)
def test_bad_addresses_get_a_clear_error_and_save_nothing(owner, url, message):
    with pytest.raises(InvalidUrl, match=message):
        add_link(owner, url)
    assert Link.objects.count() == 0


def test_a_bare_host_is_taken_as_https(owner):
    assert add_link(owner, "example.com/page").link.url == "https://example.com/page"


def test_bulk_add_is_all_or_nothing(owner):
    with pytest.raises(InvalidUrl):
        add_links(owner, ["https://example.com/1", "not a url at all://"])
    assert Link.objects.count() == 0


def test_over_long_tags_are_refused(owner):
    with pytest.raises(LinkError):
        add_link(owner, "https://example.com/", tags=["x" * 65])


def test_a_private_link_is_invisible_to_others(owner, other_user, anonymous):
    added = add_link(owner, "https://example.com/secret", visibility="private")
    sid = added.snapshot.pk
    assert queries.get_snapshot(owner, sid) is not None
    assert queries.get_snapshot(other_user, sid) is None
    assert queries.get_snapshot(anonymous, sid) is None
    assert not queries.visible_links(other_user).filter(pk=added.link.pk).exists()


def test_adding_again_applies_what_was_given_and_keeps_the_rest(owner):
    first = add_link(owner, "https://example.com/a", title="Mine", note="n")
    again = add_link(owner, "https://example.com/a", visibility="private")
    again.link.refresh_from_db()
    assert again.link.pk == first.link.pk
    assert again.link.visibility == "private"
    assert (again.link.title, again.link.note) == ("Mine", "n")
    add_link(owner, "https://example.com/a")
    again.link.refresh_from_db()
    assert again.link.visibility == "private"  # not given: kept
