"""What one check of a link found: its health, and what changed since the capture before.

Run by the worker's sequence after every finished capture (worker/sequence.py); the answer
is written by archive.services.record_check (on the snapshot) and links.watching.record_health
(on the link), so lists and the API show it without comparing again.

Health of the original address, from this capture alone:
- failed with 404, 410 or 451: gone; another answer of 400 or more: unreachable;
- failed before an answer: unreachable, with what broke (DNS, TLS, the connection);
- a 200 page redirected to another site, or to the site's home page: moved;
- a 200 page that says the content is gone (a soft 404: "页面不存在", "该内容已被发布者删除",
  "Page not found"…) or that is the site's generic error page (the same short text as
  another address of the site, where this address said something else before): gone;
- otherwise changed when the text differs from the capture before, else ok. A difference
  only in the numbers of short lines (a visit counter, the time of the visit) is no change.

Of a browser-mode capture whose capture before has a screenshot too, also whether the
screenshot changed visibly (history.screenshots); it does not change the health or the
change, which are read in the text: a rotating advertisement is a visible change.

A soft 404 is read in the title and the short lines of a short text only (`soft_404`): an
article that mentions "404" or quotes "页面不存在" in its sentences is not a dead page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from linkhome.archive.models import Snapshot, SnapshotStatus
from linkhome.history import screenshots
from linkhome.history.textdiff import TextDiff, compare_texts
from linkhome.lib.screenshot_diff import ScreenshotDiff
from linkhome.lib.urls import site_of
from linkhome.links import queries

GONE_STATUSES = {404, 410, 451}
# Texts longer than this, or with a line longer than ARTICLE_LINE, are articles, whatever
# they mention; a dead page says little. Phrases count in lines up to SHORT_LINE long; in
# the title, when the text is at most TITLED_MAX_CHARS long.
SOFT_404_MAX_CHARS = 300
TITLED_MAX_CHARS = 1000
ARTICLE_LINE = 120
SHORT_LINE = 60
BARE_404_LINE = 40
# A site's generic error page: a text this short that another address of the site shows too.
GENERIC_PAGE_MAX_CHARS = 2000
GENERIC_CANDIDATES = 20  # the newest captures of the site with the same title

GONE_PHRASES = (
    # Chinese sites, as they say it (Weibo, WeChat, Zhihu, news portals, forums).
    "页面不存在",
    "页面没有找到",
    "页面找不到",
    "找不到页面",
    "找不到该页面",
    "内容已被删除",
    "内容不存在",
    "已被发布者删除",
    "该内容已被删除",
    "文章已下架",
    "内容已下架",
    "已被删除",
    "链接已失效",
    "此内容因违规无法查看",
    "该文章已被删除",
    "该帖子已被删除",
    "您访问的页面",
    "抱歉，页面",
    # English.
    "page not found",
    "page cannot be found",
    "page could not be found",
    "page you requested",
    "page you are looking for",
    "page you're looking for",
    "page does not exist",
    "page doesn't exist",
    "no longer available",
    "this post has been removed",
    "this post has been deleted",
    "this content has been removed",
    "this article has been removed",
    "this page has been removed",
    "content is unavailable",
    "content unavailable",
    "not found",
)
_404 = re.compile(r"(?<![\d.,])404(?![\d.,])")
_SPACES = re.compile(r"\s+")
_DIGITS = re.compile(r"\d+(?:[.,:]\d+)*")
# A line this short whose only difference is its numbers is a counter or a visit's date.
NOISE_LINE = 40


@dataclass(frozen=True)
class Check:
    health: str  # links.models.Health values
    status: int | None
    detail: str  # English, for logs and the API; the web shows the state translated
    change: str  # "" (nothing to compare with), unchanged, changed, gone
    compared_with: Snapshot | None
    diff: TextDiff | None
    # Both captures have a screenshot (browser mode): whether it changed visibly.
    screenshot: ScreenshotDiff | None = None


def check(snapshot: Snapshot) -> Check:
    """What this finished capture says about the link (see the module's docstring)."""
    previous = queries.previous_capture(snapshot)
    if previous is not None:
        previous.refresh_from_db(fields=["text", "content_hash"])
    health, detail = _health(snapshot, previous)
    if previous is None:
        return Check(health, snapshot.http_status, detail, "", None, None)
    if health == "gone":
        return Check(health, snapshot.http_status, detail, "gone", previous, None)
    if snapshot.status not in queries.KEPT_STATUSES:
        return Check(health, snapshot.http_status, detail, "", previous, None)
    if previous.content_hash and previous.content_hash == snapshot.content_hash:
        diff = None
        change = "unchanged"
    else:
        diff = compare_texts(previous.text, snapshot.text)
        change = "changed" if diff.changed and not only_noise(diff) else "unchanged"
    if change == "changed" and health == "ok":
        health = "changed"
    seen = screenshots.compare(previous, snapshot)
    return Check(health, snapshot.http_status, detail, change, previous, diff, seen)


def only_noise(diff: TextDiff) -> bool:
    """Whether every difference is what changes on every load: a short line whose numbers
    differ and nothing else ("阅读 12345", "2026-12-07 10:23", "1,024 views")."""
    for hunk in diff.hunks:
        before = diff.a_paragraphs[hunk.a_start : hunk.a_end]
        after = diff.b_paragraphs[hunk.b_start : hunk.b_end]
        if len(before) != len(after):
            return False
        for a, b in zip(before, after, strict=True):
            if max(len(a), len(b)) > NOISE_LINE or _DIGITS.sub("0", a) != _DIGITS.sub("0", b):
                return False
    return True


def _health(snapshot: Snapshot, previous: Snapshot | None) -> tuple[str, str]:
    status = snapshot.http_status
    if snapshot.status == SnapshotStatus.FAILED:
        return _failed(snapshot)
    moved = _moved(snapshot.url, snapshot.final_url)
    if moved:
        return "moved", moved
    said = soft_404(snapshot.title, snapshot.text)
    if said:
        return "gone", f"the page says the content is gone ({said!r})"
    generic = _generic_page(snapshot, previous)
    if generic:
        return "gone", f"the site's generic page (the same text as {generic})"
    return "ok", f"the server answered {status}" if status else ""


def _failed(snapshot: Snapshot) -> tuple[str, str]:
    status, error = snapshot.http_status, snapshot.error
    if status in GONE_STATUSES:
        return "gone", f"the server answered {status}"
    if status and status >= 400:
        return "unreachable", f"the server answered {status}"
    if "could not be resolved" in error or "has no addresses" in error:
        return "unreachable", f"DNS: {error}"
    if "TLS" in error or "certificate" in error:
        return "unreachable", f"TLS: {error}"
    return "unreachable", error


def _moved(url: str, final_url: str) -> str:
    if not final_url or final_url == url:
        return ""
    before, after = urlsplit(url), urlsplit(final_url)
    if site_of(url) != site_of(final_url):
        return f"redirected to another site ({after.hostname})"
    home = after.path in ("", "/") and not after.query
    if home and before.path not in ("", "/"):
        return "redirected to the site's home page"
    return ""


def soft_404(title: str, text: str) -> str:
    """The phrase that says a 200 page's content is gone, or "" (see the docstring).

    A dead page says little: its text is short and made of short lines. A phrase counts in
    the title or in a line of at most SHORT_LINE characters; a bare "404" only when no line
    is longer than BARE_404_LINE (an article about errors has sentences around its "404")."""
    title = _SPACES.sub(" ", title or "").strip().lower()
    lines = [_SPACES.sub(" ", line).strip().lower() for line in (text or "").splitlines()]
    lines = [line for line in lines if line]
    size = sum(map(len, lines))
    if any(len(x) > ARTICLE_LINE for x in lines) or size > TITLED_MAX_CHARS:
        return ""
    if len(title) <= SHORT_LINE:
        for phrase in GONE_PHRASES:
            if phrase in title:
                return phrase
    if size > SOFT_404_MAX_CHARS:
        return ""
    short = [line for line in lines if len(line) <= SHORT_LINE]
    for phrase in GONE_PHRASES:
        if any(phrase in x for x in short):
            return phrase
    terse = all(len(line) <= BARE_404_LINE for line in lines)
    if terse and any(_404.search(x) for x in [title, *lines] if len(x) <= BARE_404_LINE):
        return "404"
    return ""


def _generic_page(snapshot: Snapshot, previous: Snapshot | None) -> str:
    """Another address of the site that shows the same short text (numbers aside: a
    counter on the page differs per load), when this address said something else before:
    the site answers dead addresses with one page. Candidates share the host and the title."""
    if previous is None or not snapshot.text or len(snapshot.text) > GENERIC_PAGE_MAX_CHARS:
        return ""
    masked = _masked(snapshot.text)
    if _masked(previous.text) == masked:
        return ""
    candidates = (
        Snapshot.objects.filter(
            link__host=snapshot.link.host,
            title=snapshot.title,
            status__in=queries.KEPT_STATUSES,
        )
        .exclude(link__normalized_url=snapshot.link.normalized_url)
        .order_by("-created_at")
        .values_list("url", "text")[:GENERIC_CANDIDATES]
    )
    for url, text in candidates:
        if len(text) <= GENERIC_PAGE_MAX_CHARS and _masked(text) == masked:
            return url
    return ""


def _masked(text: str) -> str:
    return _DIGITS.sub("0", _SPACES.sub(" ", text).strip())
