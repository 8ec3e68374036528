"""The add window (/save/) that the bookmarklet and the phone's share sheet open: prefilled
from the query string, behind sign-in (and back), adding through the same service as the
header's form, saying success or the refusal in the reader's language, the owner's only."""

import itertools
import unicodedata
from urllib.parse import urlencode

import lxml.html
import pytest
from django.test import Client
from hypothesis import HealthCheck, example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from linkhome.links.models import Link
from linkhome.links.services import add_link
from linkhome.testing.factories import client_for

pytestmark = pytest.mark.django_db

_unique = itertools.count()


def fields_of(response) -> dict[str, str]:
    """The add form's fields as a browser reads them (text inputs' values, checkboxes)."""
    form = lxml.html.fromstring(response.content.decode()).get_element_by_id("save-link")
    values = {}
    for field in form.inputs:
        if field.get("type") == "checkbox":
            values[field.name] = "on" if field.checked else ""
        elif field.name and field.name != "csrfmiddlewaretoken":
            values[field.name] = field.value or ""
    return values


def test_the_bookmarklet_fills_in_the_address_and_title(owner):
    response = client_for(owner).get(
        "/save/", {"url": "https://example.com/a?b=1&c=2", "title": "An example  page"}
    )
    assert response.status_code == 200
    fields = fields_of(response)
    assert fields["url"] == "https://example.com/a?b=1&c=2"
    assert fields["title"] == "An example page"  # as browsers show a title: one line
    assert fields["tags"] == "" and fields["private"] == "" and fields["browser"] == ""


def test_a_shared_text_with_an_address_in_it_fills_the_address(owner):
    client = client_for(owner)
    fields = fields_of(client.get("/save/", {"text": "see https://example.com/story?id=7."}))
    assert fields["url"] == "https://example.com/story?id=7"
    assert fields["title"] == "see"  # what the sharer wrote around it
    chinese = {"title": "", "text": "【好文】看这个https://b23.tv/AbC9x 复制后打开", "url": ""}
    fields = fields_of(client.get("/save/", chinese))
    assert fields["url"] == "https://b23.tv/AbC9x"
    assert fields["title"] == "【好文】看这个 复制后打开"
    both = {"title": "A story", "text": "https://example.com/s", "url": "https://example.com/u"}
    fields = fields_of(client.get("/save/", both))
    assert (fields["url"], fields["title"]) == ("https://example.com/u", "A story")


def test_signed_out_the_window_goes_through_sign_in_and_back(owner):
    client = Client()
    query = urlencode({"url": "https://example.com/x", "title": "标题 & more"})
    response = client.get(f"/save/?{query}")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    login_page = client.get(response["Location"])
    forms = lxml.html.fromstring(login_page.content.decode()).forms
    next_field = next(f for f in forms if "password" in f.fields).fields["next"]
    assert next_field == f"/save/?{query}"
    signed_in = client.post(
        response["Location"],
        {"username": "owner", "password": "owner-password", "next": next_field},
    )
    assert signed_in.status_code == 302 and signed_in["Location"] == f"/save/?{query}"
    fields = fields_of(client.get(signed_in["Location"]))
    assert (fields["url"], fields["title"]) == ("https://example.com/x", "标题 & more")


def test_saving_adds_the_link_with_its_tags_and_privacy(owner):
    client = client_for(owner)
    posted = {"url": "https://example.com/kept", "title": "Kept", "tags": "新闻，体育, x"}
    response = client.post("/save/", {**posted, "private": "on", "browser": "on"})
    link = Link.objects.get(owner=owner, url="https://example.com/kept")
    assert response.status_code == 302 and response["Location"] == f"/save/{link.pk}/"
    assert link.is_private and link.title == "Kept" and link.browser
    assert sorted(t.name for t in link.tags.all()) == sorted(["新闻", "体育", "x"])
    assert link.snapshots.count() == 1  # its capture is queued, as from the header's form
    done = client.get(response["Location"]).content.decode()
    assert "已保存到 link之家" in done and "Kept" in done and "新闻" in done


def test_saving_an_address_kept_before_adds_the_tags(owner):
    add_link(owner, "https://example.com/again", tags=["old"])
    client = client_for(owner)
    posted = {"url": "https://example.com/again", "tags": "new"}
    response = client.post("/save/", posted, HTTP_ACCEPT_LANGUAGE="en")
    link = Link.objects.get(owner=owner)
    assert sorted(t.name for t in link.tags.all()) == ["new", "old"]
    assert not link.is_private  # an unticked box never makes a link public or private
    done = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "You kept this link already" in done


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("zh-hans", "无法添加这个链接：只能保存 http 和 https 地址，不能保存 javascript: 地址"),
        ("en", "This link cannot be added: only http and https addresses can be captured"),
    ],
)
def test_a_refusal_is_said_in_the_readers_language(owner, language, expected):
    response = client_for(owner).post(
        "/save/",
        {"url": "javascript:alert(1)", "title": "t", "tags": "keep me"},
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert response.status_code == 400
    error = lxml.html.fromstring(response.content.decode()).get_element_by_id("save-error")
    assert error.text_content().startswith(expected)
    assert fields_of(response)["tags"] == "keep me"  # what was typed stays, to fix and resend
    assert not Link.objects.exists()


def test_too_many_adds_are_refused_with_the_reason_and_retry_after(owner, settings):
    settings.ADD_LIMIT_PER_MINUTE = 1
    client = client_for(owner)
    assert client.post("/save/", {"url": "https://example.com/1"}).status_code == 302
    response = client.post("/save/", {"url": "https://example.com/2"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 429 and response["Retry-After"] == "60"
    assert "you added 1 links in the last minute" in response.content.decode()
    assert Link.objects.count() == 1


def test_saving_needs_the_csrf_token(owner):
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    refused = client.post("/save/", {"url": "https://example.com/forged"})
    assert refused.status_code == 403 and not Link.objects.exists()
    page = client.get("/save/", {"url": "https://example.com/real"})
    token = lxml.html.fromstring(page.content.decode()).forms[0].fields["csrfmiddlewaretoken"]
    posted = {"url": "https://example.com/real", "csrfmiddlewaretoken": token}
    assert client.post("/save/", posted).status_code == 302
    assert Link.objects.filter(url="https://example.com/real").exists()


def test_the_saved_page_is_its_owners_only(owner, other_user):
    mine = add_link(owner, "https://example.com/secret", visibility="private").link
    public = add_link(owner, "https://example.com/open").link
    assert client_for(owner).get(f"/save/{mine.pk}/").status_code == 200
    for link in (mine, public):
        assert client_for(other_user).get(f"/save/{link.pk}/").status_code == 404
        assert Client().get(f"/save/{link.pk}/").status_code == 302  # to sign in
    assert client_for(owner).get("/save/999999/").status_code == 404


def test_the_tag_choices_are_the_readers_own(owner, other_user):
    add_link(other_user, "https://news.example/a", tags=["别人的标签"], visibility="private")
    add_link(owner, "https://news.example/b", tags=["我的标签"])
    page = client_for(owner).get("/save/", {"url": "https://news.example/c"}).content.decode()
    assert "我的标签" in page and "别人的标签" not in page
    page = client_for(other_user).get("/save/", {"url": "https://news.example/c"})
    assert "我的标签" not in page.content.decode()


# Titles people's pages really have, and what HTML and templates treat specially.
HOSTILE_TITLES = [
    '"><script>alert(1)</script>',
    "</textarea><img src=x onerror=alert(1)>",
    "{{ user.password }} {% csrf_token %}",
    "&amp; &lt; &#x27; %00 %2F",
    "Tom & \"Jerry\" 'quoted'",
    "\u202eevil\u202c title",
    "标题_腾讯网 — 🏠 ｆｕｌｌ",
    "javascript:alert(1)",
    "x" * 600,
]


def title_text() -> st.SearchStrategy[str]:
    # Any text a page's <title> or a share can carry (no lone surrogates: not UTF-8; no
    # control characters: an HTML parser turns them into U+FFFD or drops them).
    return st.text(st.characters(codec="utf-8", exclude_categories=("Cc",)), max_size=600)


@hypothesis_settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(title=title_text())
@example(title=HOSTILE_TITLES[0])
@example(title=HOSTILE_TITLES[1])
@example(title=HOSTILE_TITLES[2])
@example(title=HOSTILE_TITLES[3])
@example(title=HOSTILE_TITLES[4])
@example(title=HOSTILE_TITLES[5])
@example(title=HOSTILE_TITLES[6])
@example(title=HOSTILE_TITLES[7])
@example(title=HOSTILE_TITLES[8])
def test_any_title_round_trips_into_the_window_and_the_link(owner, title, settings):
    settings.ADD_LIMIT_PER_MINUTE = 0  # many adds by one person in a minute, on purpose
    shown = " ".join(title.split())[:500]  # one line, as much as a link's title holds
    url = f"https://example.com/t/{next(_unique)}"
    client = client_for(owner)
    page = client.get("/save/", {"url": url, "title": title})
    assert page.status_code == 200
    assert fields_of(page)["title"] == shown
    tree = lxml.html.fromstring(page.content.decode())
    assert not tree.xpath("//*[@onerror] | //script[not(@src)] | //textarea")  # text stays text
    saved = client.post("/save/", {"url": url, "title": fields_of(page)["title"]})
    assert saved.status_code == 302
    link = Link.objects.get(owner=owner, url=url)
    assert link.title == shown
    done = lxml.html.fromstring(client.get(saved["Location"]).content.decode())
    if shown:  # the done page shows it whole, or its start and "…" past 120 characters,
        # through the lists' cut_to, which is Django's Truncator: it shows the text in NFC
        # (豈 U+F900 is shown as its canonical equivalent U+8C48) and does not count
        # combining marks, so a title longer than 120 code points may still be whole.
        shown_title = done.get_element_by_id("saved").find_class("title")[0].text_content()
        expected = unicodedata.normalize("NFC", shown)
        if len(shown) <= 120:
            assert shown_title == expected
        else:
            assert expected.startswith(shown_title.removesuffix("…"))
