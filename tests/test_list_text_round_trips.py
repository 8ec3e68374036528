"""What people type survives the new list surfaces: a search query comes back after the
view switch, and any excerpt text is shown escaped, whitespace folded, never as markup."""

import html
import re
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from linkhome.links.queries import EXCERPT_CHARS
from linkhome.testing.factories import client_for, stored

pytestmark = pytest.mark.django_db

TYPED = st.text(
    st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), min_size=1, max_size=80
)
NEXT = re.compile(r'<input type="hidden" name="next" value="([^"]*)">')


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(query=TYPED.filter(lambda q: q.strip()))
def test_a_search_comes_back_after_switching_the_view(owner, query):
    client = client_for(owner)
    page = client.get("/search/?" + urlencode({"q": query})).content.decode()
    back = html.unescape(NEXT.search(page).group(1))
    response = client.post("/lists/view/", {"view": "compact", "next": back})
    assert response.status_code == 302
    again = client.get(response["Location"]).content.decode()
    assert search_boxes(again) == search_boxes(page)  # the same search, the same words
    assert query.strip() in [html.unescape(value) for value in search_boxes(again)]


def search_boxes(page: str) -> list[str]:
    """The header's search box and the search page's own."""
    return re.findall(r'<input type="search" name="q" value="([^"]*)"', page)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=TYPED)
def test_any_excerpt_is_shown_escaped(owner, text):
    snapshot = stored(
        owner, "https://news.example/x", {}, finished=True, title="标题", description=text
    )
    page = client_for(owner).get("/").content.decode()
    folded = " ".join(text[:EXCERPT_CHARS].split())
    shown = re.findall(r'<p class="excerpt">([^<>]*)</p>', page)  # no markup inside
    if folded:
        assert [html.unescape(excerpt) for excerpt in shown] == [folded]
    else:
        assert 'class="excerpt"' not in page
    snapshot.link.delete()
