"""Publish dates where Chinese sites put them: meta names, byline lines, bare date lines near
the title, relative forms ("3小时前") and the address (``/2023-01/16/``, ``t20230116_``).

A visit date ("今天是…星期一"), a copyright year, an update date ("更新时间") and the dates of
comments or related links below the article are not publish dates: labels must say publish,
bare dates count only on a short line just after the title, and the first candidate wins.
Tuned on the ``tune`` half of ``tests/data/zh-metadata`` only (see its README).
"""

from __future__ import annotations

import datetime
import re
import unicodedata

# <meta name=…> keys (lower-cased, "." read as ":") that Chinese CMSs use for the publish time.
META_KEYS = (
    "pubdate",
    "publishdate",
    "articlepublishdate",
    "publish_date",
    "publishtime",
    "publish_time",
    "pubtime",
    "firstpublishedtime",
    "article:published_time",
    "og:article:published_time",
    "og:release_date",
    "weibo:article:create_at",
    "datepublished",
    "dc:date",
    "dcterms:created",
)
_YMD = r"(?P<y>(?:19|20)\d\d)\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})(?!\d)日?"
_MDY = r"(?P<m>\d{1,2})/(?P<d>\d{1,2})/(?P<y>(?:19|20)\d\d)(?!\d)"  # "9/17/2004 5:54 AM"
YMD_RE = re.compile(_YMD)
# A label starts a line or follows a space, bracket, bar or "〓": "【发布时间：…" "| 时间：…".
_START = r"(?:^|(?<=[\s\[【（(|｜,，〓]))"
_LABEL = (
    r"(?:发布|发表|发稿|出版|创建|刊发|上传|录入|添加)?(?:时间|日期)|发布于|发表于|张贴于|发表在"
)
# After a label: a colon, or only spaces ("发布时间 2005/05/17"), the value may be on the next line.
_AFTER = r"\s*[:：︰]?\s*(?:\n\s*)?"
LABELLED_RES = (
    re.compile(_START + f"(?:{_LABEL}){_AFTER}{_YMD}", re.MULTILINE),
    re.compile(_START + f"(?:{_LABEL}){_AFTER}{_MDY}", re.MULTILINE),
    # a bare date printed right before the source or author: "2024年05月10日06:58 | 来源："
    re.compile(_YMD + r"[\s\d:]*(?:[|｜]\s*)?(?:来源|作者|记者)\s*:"),
    # forum posts: "本贴由大卫于2005年8月12日16:12:21…发表", "由海姑娘张贴 @ 2005-06-14"
    re.compile(r"由\S{1,20}?(?:于|张贴\s*@)\s*" + _YMD),
)
_LABEL_ONLY_RE = re.compile(rf"\s*(?:{_LABEL})\s*[:：︰]?\s*")
# Lines that hold a date that is not the publish date.
_NOT_PUBLISH_RE = re.compile(
    r"更新|修改|修订|访问|浏览|今天|今日|星期|礼拜|周[一二三四五六日天]|copyright|版权|©|备案|回复|评论|截止|至今"
    r"|\d\s*[-—~至到]\s*(?:19|20)\d\d",
    re.IGNORECASE,
)
BARE_LINE_MAX = 60  # a date line beside the source or a read count is short
BARE_WINDOW = 12  # lines after the title where the byline line sits
_RELATIVE_RE = re.compile(
    r"(?:^|[\s|｜])(?:(?P<n>\d{1,3})\s*(?P<unit>秒|分钟|小时|天|日)前|(?P<word>刚刚|今天|昨天|前天))"
    r"(?=\s|$|\d|[|｜])",
    re.MULTILINE,
)
_UNIT_DAYS = {"秒": 0.0, "分钟": 1 / 1440, "小时": 1 / 24, "天": 1.0, "日": 1.0}
_WORD_DAYS = {"刚刚": 0, "今天": 0, "昨天": 1, "前天": 2}
# Address forms: /2023-01/16/, /2023/01/16/, /20230116/, t20230116_, /2005-03-21/
URL_RES = (
    re.compile(r"[/_-](?P<y>(?:19|20)\d\d)[-/_]?(?P<m>[01]\d)[-/_]?(?P<d>[0-3]\d)(?=[/_.\-]|$)"),
    re.compile(r"[/_-](?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)/(?P<d>[0-3]\d)(?=/)"),
    re.compile(r"[/t](?P<y>(?:19|20)\d\d)(?P<m>[01]\d)(?P<d>[0-3]\d)_"),
    re.compile(r"/(?P<y>(?:19|20)\d\d)(?P<m>[01]\d)(?P<d>[0-3]\d)/"),
)


def normalize(text: str) -> str:
    """Full-width digits, colons and slashes as ASCII ("２０２３／０１" → "2023/01")."""
    return unicodedata.normalize("NFKC", text)


def meta_date(meta: dict[str, str], today: datetime.date) -> datetime.date | None:
    for key in META_KEYS:
        match = YMD_RE.search(normalize(meta.get(key, "")))
        day = _to_date(match, today) if match else None
        if day is not None:
            return day
    return None


def page_date(lines: list[str], title_at: int, now: datetime.datetime) -> datetime.date | None:
    """The first publish date in the page's lines (normalised), ``title_at`` the title's line."""
    today = now.date()
    for at, line in enumerate(lines):
        if _LABEL_ONLY_RE.fullmatch(line) and at + 1 < len(lines):  # "发布日期：" ⏎ "9/17/2004"
            line = f"{line} {lines[at + 1]}"
        day = _labelled(line, today)
        if day is None and title_at <= at <= title_at + BARE_WINDOW:
            day = _bare(line, today) or _relative(line, now)
        if day is not None:
            return day
    return None


def url_date(url: str, today: datetime.date) -> datetime.date | None:
    path = url.split("?", 1)[0].split("//", 1)[-1]
    path = path[path.find("/") :] if "/" in path else ""
    for pattern in URL_RES:
        for match in pattern.finditer(path):
            day = _to_date(match, today)
            if day is not None:
                return day
    return None


def _labelled(line: str, today: datetime.date) -> datetime.date | None:
    if "更新" in line and not re.search("发布|发表", line):
        return None
    for pattern in LABELLED_RES:
        for match in pattern.finditer(line):
            day = _to_date(match, today)
            if day is not None:
                return day
    return None


def _bare(line: str, today: datetime.date) -> datetime.date | None:
    match = YMD_RE.search(line)
    if match is None or len(line) > BARE_LINE_MAX or _NOT_PUBLISH_RE.search(line):
        return None
    return _to_date(match, today)


def _relative(line: str, now: datetime.datetime) -> datetime.date | None:
    match = _RELATIVE_RE.search(line)
    if match is None or len(line) > BARE_LINE_MAX:
        return None
    if match["word"]:
        return now.date() - datetime.timedelta(days=_WORD_DAYS[match["word"]])
    return (now - datetime.timedelta(days=int(match["n"]) * _UNIT_DAYS[match["unit"]])).date()


def _to_date(match: re.Match[str], today: datetime.date) -> datetime.date | None:
    try:
        day = datetime.date(int(match["y"]), int(match["m"]), int(match["d"]))
    except ValueError:  # "2023-13-45" in a page is not a date
        return None
    # A publish date lies in the past (a day of slack for time zones) and after the web began.
    if day > today + datetime.timedelta(days=1) or day.year < 1990:
        return None
    return day
