"""Rename, merge, delete and undo each end with a success message in the reader's language."""

import re

import pytest

from linkhome.links.services import add_link
from linkhome.testing.factories import client_for

pytestmark = pytest.mark.django_db

SAID = {
    "zh-hans": [
        "标签「a」已重命名为「b」。",
        "标签「b」已合并到「c」（1 个链接）。",
        "已撤销：标签「b」已回到 1 个链接上。",
        "标签「c」已删除；原来带它的 1 个链接都还在。",
        "已撤销：标签「c」已回到 1 个链接上。",
    ],
    "en": [
        "Tag a renamed to b.",
        "Tag b merged into c (1 link).",
        "Undone: tag b is back on 1 link.",
        "Tag c deleted; the 1 link it was on stays.",
        "Undone: tag c is back on 1 link.",
    ],
}


@pytest.mark.parametrize("language", SAID)
def test_every_tag_change_says_what_it_did(owner, language):
    add_link(owner, "https://example.com/1", tags=["a"])
    add_link(owner, "https://example.com/2", tags=["c"])
    client = client_for(owner)
    lang = {"HTTP_ACCEPT_LANGUAGE": language, "follow": True}

    def said(response) -> str:
        return response.content.decode()

    def undo_token(response) -> str:  # the undo form the tags page shows once
        return re.search(r'name="token" value="([^"]*)"', said(response))[1]

    pages = [client.post("/tags/a/edit/", {"action": "rename", "other": "b"}, **lang)]
    pages.append(client.post("/tags/b/edit/", {"action": "merge-confirmed", "other": "c"}, **lang))
    pages.append(client.post("/tag-undo/", {"token": undo_token(pages[-1])}, **lang))
    pages.append(client.post("/tags/c/edit/", {"action": "delete-confirmed"}, **lang))
    pages.append(client.post("/tag-undo/", {"token": undo_token(pages[-1])}, **lang))
    for page, message in zip(pages, SAID[language], strict=True):
        assert message in said(page)
