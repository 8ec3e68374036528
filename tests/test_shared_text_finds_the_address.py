"""What phones share (the Web Share Target's title, text and url) turned into the address
and the title the add window shows: the address wherever an app put it, whole, and nothing
of the sentence around it."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from linkhome.lib.shared_text import find_url, shared_link


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("see https://example.com/a", "https://example.com/a"),
        ("see https://example.com/a.", "https://example.com/a"),
        ("(https://example.com/a), then", "https://example.com/a"),
        (
            "https://en.wikipedia.org/wiki/Python_(language)!",
            "https://en.wikipedia.org/wiki/Python_(language)",
        ),
        ("看这个https://example.com/a很有意思", "https://example.com/a"),
        ("【标题】https://b23.tv/AbC9x 复制后打开", "https://b23.tv/AbC9x"),
        ("链接：https://m.example.cn/p?id=1&s=2，快看", "https://m.example.cn/p?id=1&s=2"),
        ("“https://example.com/q”", "https://example.com/q"),
        ('<a href="https://example.com/h">x</a>', "https://example.com/h"),
        ("HTTPS://EXAMPLE.COM/UP", "HTTPS://EXAMPLE.COM/UP"),
        ("https://ru.wikipedia.org/wiki/Москва, 1147", "https://ru.wikipedia.org/wiki/Москва"),
        ("go to www.example.org/page.", "www.example.org/page"),
        ("first http://a.example/1 then http://b.example/2", "http://a.example/1"),
        ("no address here", ""),
        ("https:// is not one", ""),
        ("xhttps://example.com is glued to a word", ""),
    ],
)
def test_the_address_in_a_text(text, address):
    assert find_url(text) == address


def test_the_fields_a_share_sheet_fills():
    # Chrome on Android: the page's title and its address.
    assert shared_link("https://example.com/a", "A page", "") == ("https://example.com/a", "A page")
    # Apps that put the address in the text, with or without words around it.
    assert shared_link("", "", "https://example.com/a") == ("https://example.com/a", "")
    assert shared_link("", "", "Read: https://example.com/a !") == ("https://example.com/a", "Read")
    assert shared_link("", "A page", "see https://example.com/a") == (
        "https://example.com/a",
        "A page",
    )
    # Something that is no address in url, the address in the text.
    assert shared_link("A page", "", "https://example.com/a")[0] == "https://example.com/a"
    # Nothing to find: what was given stays, for the add window to refuse with a reason.
    assert shared_link("", "", "just words") == ("", "just words")
    assert shared_link("ftp://example.com/f", "", "")[0] == "ftp://example.com/f"


ADDRESS_CHARS = st.sampled_from(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~/?#[]@!$&'()*+,;=%"
)
# An address as phones share it: percent-encoded ASCII, ending in a letter, digit or "/".
addresses = st.builds(
    lambda scheme, host, path, end: f"{scheme}://{host}.example/{path}{end}",
    st.sampled_from(["http", "https"]),
    st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyz0123456789"), min_size=1, max_size=12),
    st.text(ADDRESS_CHARS.filter(lambda c: c not in "'()[]"), max_size=40),
    st.sampled_from(list("az09/")),
)
# What a sharer writes around it: anything but another address, ending before it in a space
# or a wide character (Chinese text runs straight on), and starting after it the same way.
words = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30).filter(
    lambda s: "http" not in s.lower() and "www." not in s.lower()
)
before = st.tuples(words, st.sampled_from([" ", "\n", "看", "：", "（", "【"])).map("".join)
after = st.tuples(st.sampled_from([" ", "\n", "。", "，", "很", "）", ". ", "! "]), words).map(
    "".join
)


@given(address=addresses, head=st.one_of(st.just(""), before), tail=st.one_of(st.just(""), after))
def test_any_address_is_found_whole_in_any_text(address, head, tail):
    text = head + address + tail
    assert find_url(text) == address
    shared = shared_link("", "", text)
    assert shared.url == address
    assert address not in shared.title
