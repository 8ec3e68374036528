"""What changed between two versions (issue 15): word level for English, jieba's words for
Chinese, main text only, paragraphs counted; the same comparison on the web, the API and the
CLI, both snapshots visible to the reader."""

import json
from datetime import UTC, datetime

import pytest
from django.utils import translation
from hypothesis import example, given, settings
from hypothesis import strategies as st

from linkhome.archive.models import Snapshot
from linkhome.archive.services import finish
from linkhome.cli.main import main
from linkhome.history import textdiff
from linkhome.history.compare import CompareError, compare_snapshots, summary
from linkhome.history.textdiff import compare_texts
from linkhome.links.services import add_link
from linkhome.testing.factories import client_for, kept

URL = "https://news.example.cn/2026/kaixue.html"
BEFORE = (
    "北京大学今天举行了开学典礼。\n新生代表发言。\nThe quick brown fox jumps over the lazy dog."
)
AFTER = "北京大学昨天举行了隆重的开学典礼。\n新生代表发言。\nThe quick red fox jumps over the lazy dog.\n新增一段。"


def ops(diff) -> list[tuple[str, str]]:
    return [(p.op, p.text) for h in diff.hunks for p in h.parts if p.op != "equal"]


# --- the comparison itself -------------------------------------------------------------------


def test_chinese_changes_are_whole_words_and_english_whole_words():
    diff = compare_texts(BEFORE, AFTER)
    changes = ops(diff)
    # jieba's words, as the search analyzer cuts them: 今天 → 昨天, not 今 → 昨
    assert ("delete", "今天") in changes and ("insert", "昨天") in changes
    assert ("insert", "隆重的") in changes or ("insert", "隆重") in changes
    assert ("delete", "brown ") in changes and ("insert", "red ") in changes
    assert all("新生代表发言" not in text for _, text in changes)  # an unchanged paragraph
    assert diff.changed is True


def test_paragraphs_are_counted_as_git_counts_lines_and_the_summary_says_so():
    diff = compare_texts(BEFORE, AFTER)
    # paragraph 1 edited (−1 +1), paragraph 3 edited and one added after it (−1 +2)
    assert (diff.added, diff.removed) == (3, 2)
    assert 0 < diff.ratio < 0.5
    with translation.override("zh-hans"):
        assert summary(diff).startswith("+3 段 −2 段, ")
        assert summary(diff).endswith("% 改动")
    with translation.override("en"):
        assert summary(diff).startswith("+3 paragraphs −2 paragraphs, ")


def test_identical_text_and_changes_of_spacing_alone_are_no_change():
    assert compare_texts(BEFORE, BEFORE).as_dict() == {
        "changed": False,
        "ratio": 0.0,
        "added": 0,
        "removed": 0,
        "hunks": [],
    }
    spaced = "  北京大学今天举行了开学典礼。 \n\n\n新生代表发言。\nThe quick  brown fox jumps over the lazy dog.\n"
    assert not compare_texts(BEFORE, spaced).changed
    # Spacing between Chinese words is no change either, and leaves one unchanged stretch.
    unspaced = compare_texts(BEFORE, BEFORE.replace("今天举行", "今天 举行"))
    assert not unspaced.changed and [b[0] for b in unspaced.blocks] == ["equal"]
    with translation.override("zh-hans"):
        assert summary(compare_texts(BEFORE, spaced)) == "正文没有改动"


def test_a_page_rewritten_from_end_to_end_is_all_changed():
    diff = compare_texts(BEFORE, "完全不同的另一篇文章。\nNothing alike here.")
    assert diff.ratio > 0.9
    assert compare_texts("", "新的内容。").ratio == 1.0
    assert compare_texts("旧的内容。", "").as_dict()["removed"] == 1


def test_a_huge_changed_stretch_is_shown_as_whole_paragraphs(monkeypatch):
    monkeypatch.setattr(textdiff, "MAX_BLOCK_TOKENS", 5)
    diff = compare_texts(BEFORE, AFTER)
    assert {h.detail for h in diff.hunks} == {"paragraphs"}
    assert diff.ratio == pytest.approx(
        1
        - 2
        * len("新生代表发言。")
        / (textdiff._chars(diff.a_paragraphs) + textdiff._chars(diff.b_paragraphs)),
        abs=1e-3,
    )
    monkeypatch.setattr(textdiff, "MAX_BLOCK_TOKENS", 50_000)
    monkeypatch.setattr(textdiff, "MAX_WORD_DIFF_CHARS", 40)  # the first stretch (31) uses it up
    details = [h.detail for h in compare_texts(BEFORE, AFTER).hunks]
    assert details == ["words", "paragraphs"]


WORDS = st.sampled_from(
    ["北京", "大学", "今天", "的", "hello", "world", "，", "。", " ", "2026", "\n"]
)


@settings(max_examples=60, deadline=None)
@given(st.lists(WORDS, max_size=40), st.lists(WORDS, max_size=40))
@example(["北京", "北京"], ["北京", "\n", "北京"])  # only a paragraph break: not a change
def test_the_parts_spell_out_both_texts(a_words, b_words):
    a, b = "".join(a_words), "".join(b_words)
    diff = compare_texts(a, b)
    for hunk in diff.hunks:
        old = "".join(p.text for p in hunk.parts if p.op != "insert")
        new = "".join(p.text for p in hunk.parts if p.op != "delete")
        assert new == "\n".join(diff.b_paragraphs[hunk.b_start : hunk.b_end])
        spaceless = "".join("".join(diff.a_paragraphs[hunk.a_start : hunk.a_end]).split())
        assert "".join(old.split()) == spaceless
    words = [
        [t.strip() for row in textdiff.tokenize(textdiff.paragraphs(x)) for t in row]
        for x in (a, b)
    ]
    assert diff.changed == (words[0] != words[1])


# --- two snapshots, as a reader may see them -------------------------------------------------


def two_versions(owner, visibility="public"):
    first = kept(
        owner,
        URL,
        BEFORE,
        title="开学",
        visibility=visibility,
        captured=datetime(2026, 9, 1, 8, 0, tzinfo=UTC),
    )
    second = kept(owner, URL, AFTER, title="开学", visibility=visibility, again=True)
    return first, second


@pytest.mark.django_db
def test_versions_of_a_public_link_are_compared_for_anyone(owner, other_user, anonymous):
    first, second = two_versions(owner)
    for viewer in (owner, other_user, anonymous):
        result = compare_snapshots(viewer, first.pk, second.pk).as_dict()
        assert list(result) == ["a", "b", "changed", "ratio", "added", "removed", "hunks"]
        assert (result["a"], result["b"], result["changed"]) == (first.pk, second.pk, True)


@pytest.mark.django_db
def test_a_private_version_does_not_exist_for_others(owner, other_user, anonymous):
    first, second = two_versions(owner, visibility="private")
    assert compare_snapshots(owner, first.pk, second.pk).diff.changed
    for viewer in (other_user, anonymous):
        with pytest.raises(CompareError) as caught:
            compare_snapshots(viewer, first.pk, second.pk)
        assert caught.value.status == 404


@pytest.mark.django_db
def test_the_same_address_kept_by_two_people_compares_only_while_both_are_visible(
    owner, other_user, anonymous
):
    mine = kept(owner, URL, BEFORE)
    theirs = kept(other_user, URL.replace("https://", "http://"), AFTER)
    assert compare_snapshots(anonymous, mine.pk, theirs.pk).diff.changed
    theirs.link.visibility = "private"
    theirs.link.save()
    with pytest.raises(CompareError) as caught:
        compare_snapshots(owner, mine.pk, theirs.pk)
    assert caught.value.status == 404
    assert compare_snapshots(other_user, mine.pk, theirs.pk).diff.changed


@pytest.mark.django_db
def test_different_addresses_unfinished_and_failed_captures_are_refused(owner):
    first, second = two_versions(owner)
    elsewhere = kept(owner, "https://other.example.com/", "别的页面。")
    queued = add_link(owner, URL, recapture=True).snapshot
    failed = add_link(owner, "https://broken.example.com/").snapshot
    finish(failed, "failed", "connection refused")
    cases = {elsewhere.pk: 400, queued.pk: 409, failed.pk: 409, 2**62: 404}
    for other, status in cases.items():
        with pytest.raises(CompareError) as caught:
            compare_snapshots(owner, first.pk, other)
        assert caught.value.status == status, other


# --- the API, the CLI and the web ------------------------------------------------------------


@pytest.mark.django_db
def test_the_api_answers_the_contract_and_errors_in_the_readers_language(owner, other_user):
    first, second = two_versions(owner)
    client = client_for(other_user)
    response = client.get(f"/api/snapshots/{first.pk}/diff/{second.pk}")
    assert response.status_code == 200
    body = response.json()
    assert list(body) == ["a", "b", "changed", "ratio", "added", "removed", "hunks"]
    assert body["changed"] is True and (body["added"], body["removed"]) == (3, 2)
    parts = [p for h in body["hunks"] for p in h["parts"]]
    assert {"op": "delete", "text": "今天"} in parts
    first.link.visibility = "private"
    first.link.save()
    missing = client.get(
        f"/api/snapshots/{first.pk}/diff/{second.pk}", HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert missing.status_code == 404
    assert missing.json()["detail"] == f"没有快照 {first.pk}"
    other = kept(other_user, "https://else.example.org/", "x")
    refused = client_for(owner).get(
        f"/api/snapshots/{first.pk}/diff/{other.pk}", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert refused.status_code == 400
    assert "different addresses" in refused.json()["detail"]


@pytest.mark.django_db
def test_the_cli_prints_the_contract_or_a_word_diff(owner, other_user, capsys, monkeypatch):
    first, second = two_versions(owner)
    assert main(["diff", str(first.pk), str(second.pk), "--json", "--user", "other"]) == 0
    body = json.loads(capsys.readouterr().out)
    assert list(body) == ["a", "b", "changed", "ratio", "added", "removed", "hunks"]
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert main(["diff", str(first.pk), str(second.pk)]) == 0
    out = capsys.readouterr().out
    assert "+3 段 −2 段" in out and "[-今天-]{+昨天+}" in out and "[-brown -]{+red +}" in out
    Snapshot.objects.filter(pk=first.pk).update(status="queued")
    assert main(["diff", str(first.pk), str(second.pk)]) == 1
    assert f"快照 {first.pk} 还没有抓取完成" in capsys.readouterr().err


@pytest.mark.django_db
def test_the_diff_page_shows_both_views_and_the_versions_list_links_to_it(owner, other_user):
    first, second = two_versions(owner)
    client = client_for(other_user)
    page = client.get(f"/s/{second.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert f'href="/s/{first.pk}/diff/{second.pk}/"' in page
    assert 'action="/diff/"' in page
    side = client.get(f"/s/{first.pk}/diff/{second.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert side.status_code == 200
    html = side.content.decode()
    assert "<del>今天</del>" in html and "<ins>昨天</ins>" in html
    assert "+3 段 −2 段" in html and 'class="diff side"' in html
    inline = client.get(f"/s/{first.pk}/diff/{second.pk}/?view=inline").content.decode()
    assert 'class="diff inline"' in inline and "<del>brown </del><ins>red </ins>" in inline
    picked = client.get(f"/diff/?a={first.pk}&b={second.pk}")
    assert picked["Location"] == f"/s/{first.pk}/diff/{second.pk}/"


@pytest.mark.django_db
def test_the_diff_page_escapes_the_text_and_hides_private_versions(owner, other_user):
    first = kept(owner, URL, "<script>alert(1)</script>旧")
    second = kept(owner, URL, "<script>alert(2)</script>新", again=True)
    html = client_for(owner).get(f"/s/{first.pk}/diff/{second.pk}/").content.decode()
    assert "<script>alert" not in html and "&lt;script&gt;" in html
    second.link.visibility = "private"
    second.link.save()
    hidden = client_for(other_user).get(
        f"/s/{first.pk}/diff/{second.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert hidden.status_code == 404
    assert "alert" not in hidden.content.decode()


@pytest.mark.django_db
def test_the_snapshot_page_says_what_changed_since_the_version_before(owner, monkeypatch):
    from linkhome.history import compare

    first, second = two_versions(owner)
    client = client_for(owner)
    html = client.get(f"/s/{second.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "与上一版本相比：" in html
    assert f'<a href="/s/{first.pk}/diff/{second.pk}/">+3 段 −2 段, ' in html
    assert 'id="since-previous"' not in client.get(f"/s/{first.pk}/").content.decode()
    monkeypatch.setattr(compare, "PAGE_COMPARE_CHARS", 10)  # long texts: the link alone
    assert 'id="since-previous"' not in client.get(f"/s/{second.pk}/").content.decode()
