"""The index follows every change without anyone calling it: a capture that finishes, tags
added, removed, renamed, merged or deleted, a title edited, a link or its snapshot deleted."""

import pytest
from django.test import override_settings

from linkhome.archive.models import Snapshot
from linkhome.links.deletion import delete_link
from linkhome.links.models import Link
from linkhome.links.services import add_link, edit_link, set_tags
from linkhome.links.tags import delete_tag, merge_tags, rename_tag, tag_links, undo
from linkhome.search import api
from linkhome.testing.factories import finished, kept
from linkhome.worker.sequence import capture_and_follow
from tests.search_support import found
from tests.test_it_captures_a_page import serve_gbk_site


@pytest.mark.django_db(transaction=True)
def test_a_page_captured_by_the_real_pipeline_is_found_with_a_highlight(http_server, owner):
    added = add_link(owner, serve_gbk_site(http_server), tags=["新闻"])
    assert found(None, "改革") == []  # queued: nothing to search yet
    with override_settings(CAPTURE_ASSETS=False):
        snapshot = capture_and_follow(added.snapshot.pk)
    assert snapshot.status == "succeeded"
    hit = api.search(None, "经济体制").hits[0]
    assert hit.snapshot_id == snapshot.pk
    assert "<mark>经济体制</mark>改革是一项复杂的系统工程" in hit.snippet
    assert "朱镕基" in hit.title and "<mark>" not in hit.title
    assert found(None, "tag:新闻 张喆") == [snapshot.pk]


@pytest.mark.django_db
class TestTags:
    def test_adding_and_removing_tags(self, owner):
        page = kept(owner, "https://a.test/p", text="正文")
        set_tags(page.link, ["旅行"])
        assert found(None, "tag:旅行") == [page.pk] and found(None, "旅行") == [page.pk]
        set_tags(page.link, [])
        assert found(None, "旅行") == []

    def test_bulk_tagging(self, owner):
        pages = [kept(owner, f"https://a.test/{n}", text="正文") for n in range(3)]
        tag_links(owner, [p.link for p in pages], ["摄影"])
        assert len(found(None, "摄影")) == 3
        tag_links(owner, [pages[0].link], ["摄影"], remove=True)
        assert sorted(found(None, "摄影")) == [pages[1].pk, pages[2].pk]

    def test_renaming_merging_and_deleting_a_tag(self, owner):
        page = kept(owner, "https://a.test/p", text="正文", tags=["编成"])
        other = kept(owner, "https://a.test/q", text="正文", tags=["编程"])
        rename_tag(owner, "编成", "程序设计")
        assert found(None, "程序设计") == [page.pk] and found(None, "tag:编成") == []
        merge_tags(owner, "程序设计", "编程")
        assert sorted(found(None, "tag:编程")) == sorted([page.pk, other.pk])
        deleted = delete_tag(owner, "编程")
        assert found(None, "编程") == []
        undo(owner, deleted.undo)
        assert sorted(found(None, "tag:编程")) == sorted([page.pk, other.pk])

    def test_tagging_from_the_tag_side(self, owner):
        page = kept(owner, "https://a.test/p", text="正文", tags=["甲"])
        tag = page.link.tags.get()
        tag.links.clear()
        assert found(None, "甲") == []
        tag.links.add(page.link)
        assert found(None, "甲") == [page.pk]


@pytest.mark.django_db
def test_editing_the_title(owner):
    page = kept(owner, "https://a.test/p", title="网页自己的标题", text="正文")
    edit_link(page.link, title="我起的名字", note="", tags=[], visibility="public")
    assert found(None, "我起的名字") == [page.pk]
    assert api.search(None, "名字").hits[0].title == "我起的名字"
    assert found(None, "网页") == [page.pk]  # the page's own title stays findable
    edit_link(page.link, title="第二个名字", note="", tags=[], visibility="public")
    assert found(None, "我起的") == []


@pytest.mark.django_db
def test_deleting_a_link_removes_it(owner):
    page = kept(owner, "https://a.test/p", text="即将删除的页面")
    delete_link(page.link)
    assert found(owner, "删除") == []
    assert api.document_count() == 0


@pytest.mark.django_db
def test_deleting_an_account_removes_its_links(owner, other_user):
    kept(owner, "https://a.test/p", text="账户注销")
    owner.delete()
    assert found(other_user, "注销") == [] and api.document_count() == 0


@pytest.mark.django_db
def test_deleting_the_indexed_snapshot_falls_back_to_the_previous_one(
    owner, django_capture_on_commit_callbacks
):
    old = kept(owner, "https://a.test/p", text="旧版本")
    new = add_link(owner, "https://a.test/p", recapture=True).snapshot
    new.text = "新版本"
    finished(new, "succeeded")
    assert found(None, "版本") == [new.pk]
    with django_capture_on_commit_callbacks(execute=False) as pending:
        Snapshot.objects.filter(pk=new.pk).delete()
    assert found(None, "版本") == []  # until the re-index after commit: never the gone one
    with django_capture_on_commit_callbacks(execute=True):
        pending[0]()
    assert found(None, "版本") == [old.pk]
    with django_capture_on_commit_callbacks(execute=True):
        Snapshot.objects.filter(pk=old.pk).delete()
    assert found(None, "版本") == [] and Link.objects.filter(pk=old.link_id).exists()
