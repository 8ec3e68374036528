"""A person's page lists the public snapshots they kept, to everyone, and never a private
one: not to others, not even to them (their own list is the home page)."""

import pytest

from linkhome.testing.factories import client_for, kept

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("reader", ["signed out", "another person", "the person"])
def test_the_page_shows_public_snapshots_only(owner, other_user, reader):
    kept(owner, "https://a.example.org/open", "公开", title="公开的页面zz1")
    kept(
        owner,
        "https://a.example.org/secretpath77",
        "私密",
        title="私密的页面zz2",
        visibility="private",
    )
    kept(other_user, "https://a.example.org/theirs", "别人", title="别人的页面zz3")
    client = client_for(
        {"signed out": None, "another person": other_user, "the person": owner}[reader]
    )
    page = client.get(f"/people/{owner.pk}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert owner.profile.nickname in body and "公开的页面zz1" in body
    assert "私密的页面zz2" not in body and "secretpath77" not in body
    assert "别人的页面zz3" not in body


def test_someone_who_shares_nothing_has_no_page_or_feed(owner, other_user):
    kept(owner, "https://b.example.org/hidden9", "私密", title="私密zz4", visibility="private")
    for reader in (None, other_user, owner):
        for url in (f"/people/{owner.pk}/", f"/people/{owner.pk}/feed.atom"):
            response = client_for(reader).get(url)
            assert response.status_code == 404, url
            if reader is not owner:  # (the owner's own header shows their nickname)
                assert owner.profile.nickname not in response.content.decode()


def test_no_page_for_someone_who_is_not_there(owner):
    kept(owner, "https://b.example.org/open", "公开", title="公开zz5")
    assert client_for().get("/people/987654/").status_code == 404
    owner.is_active = False
    owner.save()
    assert client_for().get(f"/people/{owner.pk}/").status_code == 404
    assert client_for().get(f"/people/{owner.pk}/feed.atom").status_code == 404
