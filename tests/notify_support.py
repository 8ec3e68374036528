"""Helpers for the notification tests: a watched page served from 127.0.0.1 that really
changes, checked by the worker's own sequence, so each notification comes from a real check."""

from linkhome.links.models import Link
from linkhome.links.services import add_link, recapture
from linkhome.notify import preferences
from linkhome.notify.models import Notification
from linkhome.worker.sequence import capture_and_follow

HTML = [("Content-Type", "text/html; charset=utf-8")]
ARTICLE = [
    "今天上午，市政府召开新闻发布会，介绍了今年城市更新的最新进展。发言人表示，"
    "全市已经完成老旧小区改造一百二十个，惠及居民三万余户。",
    "发布会上，住建部门负责人详细介绍了加装电梯、管网改造和社区养老设施建设的情况。"
    "他说，下一步将继续推动改造项目向纵深发展，让更多居民受益。",
    "多位居民代表也在现场分享了改造前后的生活变化，称小区环境明显改善，出行更加方便。",
]
EDITED = [ARTICLE[0], ARTICLE[1].replace("下一步", "今年下半年"), "（本文已更新）"]


def page(title: str, *paragraphs: str) -> bytes:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{title}</title></head>"
        f"<body><nav>首页 | 新闻</nav><article><h1>{title}</h1>{body}</article></body></html>"
    ).encode()


def watched(
    http_server, owner, path: str = "/news/1", title: str = "城市更新", **link_options
) -> Link:
    """A link to a page on the local server, captured once, that notifies its owner."""
    http_server.route(path, body=page(title, *ARTICLE), headers=HTML)
    added = add_link(owner, http_server.url(path), **link_options)
    snapshot = capture_and_follow(added.snapshot.pk)
    link = Link.objects.get(pk=snapshot.link_id)
    preferences.set_link_notify(link, True)
    return link


def check_again(link: Link):
    return capture_and_follow(recapture(link).pk)


def changed_event(
    http_server, owner, path: str = "/news/1", title: str = "城市更新", **link_options
) -> Notification:
    """A watched page edited on the server, checked again: its one notification. (Two pages
    of one site edited alike need different titles, or the second looks like the site's
    generic page: history.changes.)"""
    link = watched(http_server, owner, path, title, **link_options)
    http_server.route(path, body=page(title, *EDITED), headers=HTML)
    snapshot = check_again(link)
    return Notification.objects.get(snapshot_id=snapshot.pk)
