"""The backend suite: ranking, pagination, one row per link, and the term-level calls that
recommendations build on. `make test` runs it on SQLite (FTS5) and on PostgreSQL."""

import pytest

from linkhome.links.services import add_link
from linkhome.search import api
from linkhome.search.backends import backend
from linkhome.testing.factories import finished, kept
from tests.search_support import found

pytestmark = pytest.mark.django_db


def test_a_word_in_the_title_ranks_above_the_same_word_in_the_text(owner):
    in_text = kept(
        owner,
        "https://a.test/1",
        title="周末随笔",
        text="今天去公园散步，顺便聊了聊量子计算的未来。",
    )
    in_title = kept(
        owner, "https://a.test/2", title="量子计算入门", text="这是一篇入门文章，讲基本概念。"
    )
    assert found(None, "量子计算") == [in_title.pk, in_text.pk]


def test_more_occurrences_rank_higher(owner):
    once = kept(owner, "https://a.test/1", text="数据库 一次。" + "其他内容。" * 20)
    often = kept(
        owner, "https://a.test/2", text="数据库 数据库 数据库，还是数据库。" + "其他内容。" * 20
    )
    assert found(None, "数据库") == [often.pk, once.pk]
    scores = [hit.score for hit in api.search(None, "数据库").hits]
    assert scores[0] > scores[1] > 0


def test_pages_cover_every_result_once_with_a_total(owner):
    ids = {kept(owner, f"https://a.test/{n}", text=f"分页测试 第{n}篇").pk for n in range(25)}
    pages = [api.search(None, "分页测试", offset=offset, limit=10) for offset in (0, 10, 20)]
    assert [len(p.hits) for p in pages] == [10, 10, 5]
    assert [p.has_more for p in pages] == [True, True, False]
    assert {p.total for p in pages} == {25}
    assert {h.snapshot_id for p in pages for h in p.hits} == ids
    assert api.search(None, "分页测试", limit=10, count=False).total is None


def test_one_row_per_link_from_its_newest_finished_capture(owner):
    first = kept(owner, "https://a.test/p", title="旧标题", text="第一版的内容")
    again = add_link(owner, "https://a.test/p", recapture=True).snapshot
    assert found(None, "第一版") == [first.pk]  # the recapture is still queued
    again.title, again.text = "新标题", "第二版的内容"
    finished(again, "succeeded")
    assert found(None, "内容") == [again.pk]
    assert found(None, "第一版") == []


def test_a_failed_recapture_keeps_the_last_good_text(owner):
    good = kept(owner, "https://a.test/p", text="保留下来的正文")
    failed = add_link(owner, "https://a.test/p", recapture=True).snapshot
    finished(failed, "failed", "503")
    assert found(None, "正文") == [good.pk]


def test_document_tokens_frequencies_and_count(owner):
    page = kept(owner, "https://news.test/a", title="北京大学", text="北京 北京", tags=["教育"])
    kept(owner, "https://news.test/b", text="北京的天气")
    tokens = api.document_tokens(page.link_id)
    assert tokens["title"] == ["北京", "大学", "北京大学"]
    assert tokens["body"] == ["北京", "北京"] and tokens["tags"] == ["教育"]
    assert tokens["site"] == ["news", "test"] and tokens["url"] == ["news", "test", "a"]
    assert api.document_frequencies(["北京", "大学", "不存在"]) == {
        "北京": 2,
        "大学": 1,
        "不存在": 0,
    }
    assert api.document_count() == 2
    assert api.document_tokens(10_000) is None
    stored = api.documents([page.link_id, 10_000])
    assert list(stored) == [page.link_id] and stored[page.link_id].snapshot_id == page.pk
    assert page.link_id in api.indexed_link_ids()
    assert api.analyze("北京大学") == ["北京", "大学", "北京大学"]


def test_document_frequencies_follow_recaptures_and_deletions(owner):
    first = kept(owner, "https://news.test/a", text="北京 天气")
    kept(owner, "https://news.test/b", text="北京 交通")
    again = add_link(owner, "https://news.test/a", recapture=True).snapshot
    again.text = "上海 天气"
    finished(again, "succeeded")
    assert api.document_frequencies(["北京", "上海", "天气", "交通"]) == {
        "北京": 1,
        "上海": 1,
        "天气": 1,
        "交通": 1,
    }
    api.remove(first.link_id)
    assert api.document_frequencies(["北京", "上海", "天气"]) == {"北京": 1, "上海": 0, "天气": 0}


def test_search_terms_ranks_by_weight_and_leaves_out_what_is_excluded(owner):
    a = kept(owner, "https://a.test/a", text="足球 比赛 足球")
    b = kept(owner, "https://a.test/b", text="篮球 比赛 篮球")
    kept(owner, "https://a.test/c", text="天气 晴朗")
    ranked = api.search_terms(None, {"足球": 5.0, "篮球": 1.0}, limit=5)
    assert [r.snapshot_id for r in ranked] == [a.pk, b.pk]
    ranked = api.search_terms(None, {"足球": 1.0, "篮球": 5.0}, limit=5)
    assert [r.snapshot_id for r in ranked] == [b.pk, a.pk]
    ranked = api.search_terms(None, {"比赛": 1.0}, exclude_link_ids=[a.link_id])
    assert [r.snapshot_id for r in ranked] == [b.pk]
    assert api.search_terms(None, {}) == []


def test_a_rebuild_restores_what_the_index_lost(owner):
    page = kept(owner, "https://a.test/a", text="重建索引")
    backend().delete([page.link_id])
    assert found(None, "重建索引") == []
    assert api.rebuild() == 1
    assert found(None, "重建索引") == [page.pk]


def test_stale_rows_of_vanished_snapshots_are_pruned_and_never_shown(owner):
    page = kept(owner, "https://a.test/a", text="幽灵文档")
    doc = backend().stored([page.link_id])[page.link_id]
    ghost = doc.__class__(**{**doc.__dict__, "link_id": 99999, "snapshot_id": 99999})
    backend().write([ghost])  # a row whose link and snapshot do not exist
    assert found(None, "幽灵文档") == [page.pk]
    assert backend().prune() == 1
    assert backend().link_ids() == {page.link_id}


def test_the_total_is_counted_up_to_a_limit(owner, monkeypatch):
    for n in range(7):
        kept(owner, f"https://a.test/{n}", text="计数上限")
    monkeypatch.setattr(api, "COUNT_LIMIT", 5)
    results = api.search(None, "计数上限", limit=2)
    assert (results.total, results.total_capped, results.has_more) == (5, True, True)
    results = api.search(None, "计数上限", limit=10)
    assert (results.total, results.total_capped, results.has_more) == (7, False, False)
