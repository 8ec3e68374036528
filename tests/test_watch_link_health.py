"""Every check records the link's health and what changed since the capture before
(history.changes, through the worker's sequence): real pages served from 127.0.0.1, written
here to look like what Chinese and English sites answer for content that is gone, and
articles that merely mention "404" or quote "页面不存在" (which must stay ok)."""

import json

import pytest

from linkhome.archive.models import Snapshot
from linkhome.history.changes import soft_404
from linkhome.links.models import Link
from linkhome.links.services import add_link, recapture
from linkhome.worker.sequence import capture_and_follow

pytestmark = pytest.mark.django_db

HTML = [("Content-Type", "text/html; charset=utf-8")]


def page(title: str, *paragraphs: str, chrome: str = "") -> bytes:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{title}</title></head>"
        f"<body><nav>首页 | 新闻 | 关于</nav>{chrome}<article><h1>{title}</h1>{body}</article>"
        "<footer>© 2026 示例网</footer></body></html>"
    ).encode()


ARTICLE_ZH = [
    "今天上午，市政府召开新闻发布会，介绍了今年城市更新的最新进展。发言人表示，"
    "全市已经完成老旧小区改造一百二十个，惠及居民三万余户。",
    "发布会上，住建部门负责人详细介绍了加装电梯、管网改造和社区养老设施建设的情况。"
    "他说，下一步将继续推动改造项目向纵深发展，让更多居民受益。",
    "多位居民代表也在现场分享了改造前后的生活变化，称小区环境明显改善，出行更加方便。",
]
# An article about web errors: says "404" and quotes "页面不存在", and is no dead page.
ARTICLE_ABOUT_404 = [
    "网站运维中最常见的问题之一是死链。用户点击一个旧链接，服务器返回 404 状态码，"
    "浏览器上显示“页面不存在”。这篇文章介绍如何定期检查站内链接。",
    "第一步，导出站点地图，逐个请求每个地址，记录返回的状态码。凡是返回 404 或 410 的地址，"
    "都应该设置跳转到新的位置，或者从站点地图中删除。",
    "第二步，检查“软 404”：有些网站对不存在的页面也返回 200，只在正文里写一句提示。"
    "这种页面会被搜索引擎收录，影响网站的质量评分，应当改为返回真正的 404 状态码。",
    "最后，建议把检查脚本放进定时任务，每周运行一次，并把结果发给负责网站内容的同事。",
]
ARTICLE_EN = [
    "Why your 404 page matters. When a visitor follows a broken link, the server answers "
    "with a 404 status and a page that should help them find their way back.",
    "A good error page keeps the site's navigation, offers a search box and links to the "
    "most popular articles. It should never answer 200, or crawlers keep the dead address.",
    "We tested forty sites in March 2026: eleven of them served their error page with a 200 "
    "status, which search engines call a soft 404 and report in their consoles.",
]


def serve(http_server, path: str, body: bytes, status: int = 200) -> str:
    http_server.route(path, body=body, status=status, headers=HTML)
    return http_server.url(path)


def check_again(link: Link) -> Snapshot:
    snapshot = capture_and_follow(recapture(link).pk)
    assert snapshot is not None
    return snapshot


@pytest.mark.parametrize(
    ("title", "paragraphs"),
    [
        ("页面不存在", ["抱歉，您访问的页面不存在或已被删除。", "返回首页"]),
        ("微博", ["该内容已被发布者删除", "返回首页"]),
        ("公众号文章", ["此内容因违规无法查看", "内容已被删除"]),
        ("某某网", ["文章已下架", "您可以看看其他精彩内容。"]),
        ("404", ["出错了", "返回首页"]),
        ("Page not found", ["Sorry, the page you are looking for does not exist."]),
        ("Example News", ["This article is no longer available."]),
        ("Error", ["404. That's an error.", "The requested URL was not found on this server."]),
        ("Forum", ["This post has been deleted by its author."]),
    ],
)
def test_a_200_page_that_says_the_content_is_gone_is_gone(http_server, owner, title, paragraphs):
    url = serve(http_server, "/post/1", page("原来的文章", *ARTICLE_ZH))
    first = capture_and_follow(add_link(owner, url).snapshot.pk)
    assert first.change == ""  # nothing to compare with yet
    link = Link.objects.get(pk=first.link_id)
    assert link.health == "ok"

    serve(http_server, "/post/1", page(title, *paragraphs))
    again = check_again(link)
    assert again.status == "succeeded"
    again.refresh_from_db()
    assert (again.change, again.health) == ("gone", "gone"), again.health_detail
    link.refresh_from_db()
    assert link.health == "gone"
    assert link.health_status == 200
    assert "gone" in link.health_detail


@pytest.mark.parametrize("paragraphs", [ARTICLE_ABOUT_404, ARTICLE_EN])
def test_an_article_that_mentions_404_is_not_gone(http_server, owner, paragraphs):
    url = serve(http_server, "/blog/404", page("如何检查网站死链 404", *paragraphs))
    link = Link.objects.get(pk=capture_and_follow(add_link(owner, url).snapshot.pk).link_id)
    again = check_again(link)
    again.refresh_from_db()
    assert (again.change, again.health) == ("unchanged", "ok")
    assert again.change_ratio == 0
    link.refresh_from_db()
    assert link.health == "ok"


def test_an_edited_article_is_changed_with_how_much(http_server, owner):
    url = serve(http_server, "/news/1", page("城市更新", *ARTICLE_ZH))
    link = Link.objects.get(pk=capture_and_follow(add_link(owner, url).snapshot.pk).link_id)
    edited = [ARTICLE_ZH[0], ARTICLE_ZH[1].replace("下一步", "今年下半年"), "（本文已更新）"]
    first = link.snapshots.get()
    serve(http_server, "/news/1", page("城市更新", *edited))
    again = check_again(link)
    again.refresh_from_db()
    assert again.change == "changed" and again.health == "changed"
    assert again.compared_with_id == first.pk
    assert 0 < again.change_ratio < 0.5
    assert again.change_added == 2 and again.change_removed == 2
    link.refresh_from_db()
    assert link.health == "changed"


def test_404_and_410_are_gone_and_5xx_unreachable(http_server, owner):
    url = serve(http_server, "/a", page("城市更新", *ARTICLE_ZH))
    link = Link.objects.get(pk=capture_and_follow(add_link(owner, url).snapshot.pk).link_id)
    serve(http_server, "/a", page("Not Found", "nothing here"), status=410)
    again = check_again(link)
    assert again.status == "failed"
    again.refresh_from_db()
    assert (again.change, again.health) == ("gone", "gone")
    link.refresh_from_db()
    assert (link.health, link.health_status) == ("gone", 410)


def test_a_redirect_to_the_home_page_or_another_site_is_moved(http_server, owner):
    serve(http_server, "/", page("示例网首页", "欢迎来到示例网。"))
    url = serve(http_server, "/article/7", page("城市更新", *ARTICLE_ZH))
    link = Link.objects.get(pk=capture_and_follow(add_link(owner, url).snapshot.pk).link_id)
    http_server.redirect("/article/7", to="/")
    check_again(link)
    link.refresh_from_db()
    assert link.health == "moved"
    assert "home page" in link.health_detail

    # Another site: the same server under its other name (localhost is not 127.0.0.1).
    other = http_server.url("/").replace("127.0.0.1", "localhost")
    http_server.redirect("/article/7", to=other)
    check_again(link)
    link.refresh_from_db()
    assert link.health == "moved" and "another site" in link.health_detail


def test_a_dns_failure_is_unreachable(owner, settings):
    settings.CAPTURE_MAX_ATTEMPTS = 1
    link = add_link(owner, "http://no-such-host.invalid/page").link
    capture_and_follow(link.snapshots.get().pk)
    link.refresh_from_db()
    assert link.health == "unreachable"
    assert link.health_detail.startswith("DNS:")


def test_a_sites_generic_error_page_is_gone(http_server, owner):
    def generic(visits: int) -> bytes:  # a counter on the page differs on every load
        return page("示例网", "系统繁忙，请稍后再试。", "返回首页", chrome=f"<p>阅读 {visits}</p>")

    url = serve(http_server, "/story/1", page("城市更新", *ARTICLE_ZH))
    link = Link.objects.get(pk=capture_and_follow(add_link(owner, url).snapshot.pk).link_id)
    # Another dead address of the site was kept showing the same page.
    capture_and_follow(add_link(owner, serve(http_server, "/story/2", generic(41))).snapshot.pk)
    serve(http_server, "/story/1", generic(42))
    check_again(link)
    link.refresh_from_db()
    assert link.health == "gone" and "generic" in link.health_detail


def test_show_json_says_the_links_health(http_server, owner, capsys):
    from linkhome.cli.main import main

    url = serve(http_server, "/p", page("城市更新", *ARTICLE_ZH))
    snapshot = capture_and_follow(add_link(owner, url).snapshot.pk)
    assert main(["show", str(snapshot.pk), "--json"]) == 0
    health = json.loads(capsys.readouterr().out)["link"]["health"]
    assert set(health) == {"state", "checked_at", "status", "detail"}
    assert health["state"] == "ok" and health["status"] == 200 and health["checked_at"]


def test_soft_404_reads_the_opening_of_short_texts_only():
    long_article = "。".join(ARTICLE_ABOUT_404 * 3)
    assert soft_404("运维笔记", long_article) == ""
    assert soft_404("HTTP 404 错误详解", "\n".join(ARTICLE_ABOUT_404)) == ""
    assert soft_404("Why your 404 page matters", "\n".join(ARTICLE_EN)) == ""
    assert soft_404("404 Not Found", "") != ""
    assert soft_404("新闻", "该内容已被发布者删除") == "已被发布者删除"


def test_a_visit_counter_that_changes_on_every_load_is_no_change(http_server, owner):
    url = serve(http_server, "/c", page("城市更新", *ARTICLE_ZH, chrome="<p>阅读 12345</p>"))
    link = Link.objects.get(pk=capture_and_follow(add_link(owner, url).snapshot.pk).link_id)
    serve(http_server, "/c", page("城市更新", *ARTICLE_ZH, chrome="<p>阅读 12,399</p>"))
    again = check_again(link)
    again.refresh_from_db()
    assert (again.change, again.health) == ("unchanged", "ok")
    # A number changed inside the article's own sentences is an edit.
    edited = [ARTICLE_ZH[0].replace("一百二十", "一百五十"), *ARTICLE_ZH[1:]]
    serve(http_server, "/c", page("城市更新", *edited, chrome="<p>阅读 12400</p>"))
    again = check_again(link)
    again.refresh_from_db()
    assert again.change == "changed"
