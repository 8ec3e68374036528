"""Any tag text a person can type goes through the bulk add-tag form and comes back as the
link's tag, exactly as the single-link door (links.services.clean_tag_names) keeps it."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from linkhome.links import bulk
from linkhome.links.services import LinkError, add_link, clean_tag_names, link_tag_names
from linkhome.testing.factories import client_for

pytestmark = pytest.mark.django_db

# Anything but the separators the form splits on: those make two tags, by design.
tag_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters=",，\x00"),
    min_size=1,
    max_size=70,
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(name=tag_text)
def test_tag_text_round_trips_through_bulk_add_tag(owner, name):
    link = add_link(owner, "https://example.com/round-trip").link
    try:
        expected = clean_tag_names([name])
    except LinkError:
        with pytest.raises(LinkError):
            bulk.add_tags(owner, [link.pk], [name])
        return
    response = client_for(owner).post(
        "/links/bulk/", {"link": [link.pk], "tags": name, "action": "tag"}
    )
    assert response.status_code == 302
    assert set(expected) <= set(link_tag_names(link))
    for tag in expected:  # the list's tag links find it again
        page = client_for(owner).get("/", {"tag": tag}).content.decode()
        assert f'value="{link.pk}"' in page
    bulk.remove_tags(owner, [link.pk], expected)
    assert not set(expected) & set(link_tag_names(link))
