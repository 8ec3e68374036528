"""Titles, tags, page text and nicknames are anyone's text: control characters XML cannot
carry, "]]>", "<script>", entities, right-to-left marks. Every feed stays well-formed XML
(lxml's strict parser and feedparser both read it) and carries the text itself, less only
the characters XML 1.0 forbids."""

import contextlib
import itertools
import re

import feedparser
import pytest
from django.urls import reverse
from django.utils.html import escape
from hypothesis import HealthCheck, example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from lxml import etree

from linkhome.accounts.models import Profile
from linkhome.archive.models import Snapshot
from linkhome.links.models import Link, Tag
from linkhome.links.services import LinkError, clean_tag_names
from linkhome.testing.factories import client_for, kept

pytestmark = pytest.mark.django_db
_unique = itertools.count()
# What XML 1.0 forbids, and the C1 controls it discourages (feedparser reads them as cp1252).
NOT_XML = re.compile(r"[^\t\n\r\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
ATOM = "{http://www.w3.org/2005/Atom}"
HOSTILE = [
    "]]>",
    "<script>alert(1)</script>",
    "&amp;",
    "\x01\x08\x0b\x0c\x1f",
    "\ufffe\uffff",
    "\u202eevil",
    "<![CDATA[x]]>",
    "&#0;",
    "\r\n",
]


def hostile_text(min_size: int = 0) -> st.SearchStrategy[str]:
    # Any character a database stores (PostgreSQL refuses NUL), with the known troublemakers.
    chars = st.characters(codec="utf-8", exclude_characters="\x00")
    pieces = st.one_of(st.text(chars, max_size=20), st.sampled_from(HOSTILE))
    return (
        st.lists(pieces, min_size=1, max_size=5)
        .map("".join)
        .filter(lambda s: len(s) >= min_size and len(s) <= 400)
    )


def _tag_ok(raw: str) -> bool:
    try:
        return bool(clean_tag_names([raw]))
    except LinkError:
        return False


def feedparser_readings(text: str) -> set[str]:
    """... but for its repair of text that looks double-encoded: Latin-1 text whose bytes are
    UTF-8 ("Ã©") it reads as that UTF-8 ("é") in some elements (a title, not an author's
    name), whatever the feed says (feedparser/mixin.py). The strict lxml reading above is the
    exact check of what we wrote; this one is of a real reader."""
    readings = {text.strip()}
    with contextlib.suppress(UnicodeEncodeError, UnicodeDecodeError):
        readings.add(text.encode("iso-8859-1").decode("utf-8").strip())
    return readings


def xml_clean(text: str) -> str:
    return NOT_XML.sub("", text)


@hypothesis_settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    title=hostile_text(1).filter(lambda s: xml_clean(s).strip() != ""),
    text=hostile_text(),
    tag=hostile_text(1).filter(_tag_ok),
    nickname=hostile_text(1).filter(lambda s: " ".join(s.split()) != "" and len(s) < 40),
)
@example(title="]]><script>x</script>\x01", text="a]]>b\x0b", tag="<script>", nickname="]]>")
def test_feeds_stay_well_formed_and_carry_the_text(owner, title, text, tag, nickname):
    n = next(_unique)
    snapshot = _the_snapshot(owner)
    Link.objects.get(pk=snapshot.link_id).tags.set(
        [Tag.objects.get_or_create(owner=owner, name=clean_tag_names([tag])[0])[0]]
    )
    Link.objects.filter(pk=snapshot.link_id).update(title=title)
    Snapshot.objects.filter(pk=snapshot.pk).update(title=title, text=text)
    name = " ".join(nickname.split()) + str(n)
    Profile.objects.filter(user=owner).update(nickname=name)
    tag_name = clean_tag_names([tag])[0]
    for fmt in ("atom", "rss"):
        body = client_for().get(f"/feeds/latest.{fmt}").content
        tree = etree.fromstring(body)  # strict: raises on anything not well-formed
        item = _entry(tree, fmt, snapshot.pk)
        assert _text(item, fmt, "title") == xml_clean(title)
        shown_tag = xml_clean(tag_name)  # a tag of noncharacters only has no category
        assert _categories(item, fmt) == ([shown_tag] if shown_tag else [])
        assert xml_clean(name) == _text(item, fmt, "author")
        parsed = feedparser.parse(body)
        assert not parsed.bozo, parsed.get("bozo_exception")
        entry = next(e for e in parsed.entries if e.link.endswith(f"/s/{snapshot.pk}/"))
        if fmt == "atom":  # type="text": feedparser hands the text back as it is ...
            assert entry.title.strip() in feedparser_readings(xml_clean(title))
            assert entry.author.strip() in feedparser_readings(xml_clean(name))
        tag_feed = client_for().get(reverse("tag_feed", kwargs={"name": tag_name, "fmt": fmt}))
        assert xml_clean(tag_name) in etree.fromstring(tag_feed.content).findtext(
            f"{ATOM}title" if fmt == "atom" else "channel/title"
        )
        assert not feedparser.parse(tag_feed.content).bozo
        words = " ".join(xml_clean(text).split())
        if words:
            summary = _text(item, fmt, "summary")
            shown = summary if fmt == "atom" else _unescape(summary)
            assert shown.rstrip("…") and words.startswith(shown.rstrip("…").rstrip())


def _the_snapshot(owner):
    """One link for every example (a capture per example costs seconds): each rewrites it."""
    if owner.pk not in _made:
        _made[owner.pk] = kept(owner, "https://hostile.example.org/", "seed", title="seed")
    return _made[owner.pk]


_made: dict[int, Snapshot] = {}


def _entry(tree, fmt: str, snapshot_id: int):
    path = f"{ATOM}entry" if fmt == "atom" else "channel/item"
    link = f"/s/{snapshot_id}/"
    for item in tree.iter(path) if fmt == "atom" else tree.findall(path):
        if _text(item, fmt, "link").endswith(link):
            return item
    raise AssertionError(f"no entry for snapshot {snapshot_id}")


def _text(item, fmt: str, field: str) -> str:
    if fmt == "atom":
        if field == "link":
            return item.find(f"{ATOM}link").get("href")
        if field == "author":
            return item.find(f"{ATOM}author/{ATOM}name").text or ""
        found = item.find(f"{ATOM}{field}")
    else:
        names = {"summary": "description", "author": "{http://purl.org/dc/elements/1.1/}creator"}
        found = item.find(names.get(field, field))
    return "" if found is None else found.text or ""


def _categories(item, fmt: str) -> list[str]:
    if fmt == "atom":
        return [c.get("term") for c in item.findall(f"{ATOM}category")]
    return [c.text or "" for c in item.findall("category")]


def _unescape(html_text: str) -> str:
    """The RSS description is HTML: our excerpt escaped once (django's escape)."""
    import html

    unescaped = html.unescape(html_text)
    assert escape(unescaped) == html_text
    return unescaped
