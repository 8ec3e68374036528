"""Chinese byline lines: ``发布时间：2023-01-16 10:30``, ``作者：张三``, ``来源：新华网``.

Chinese news and CMS pages rarely put dates or authors in machine-readable markup; they
print them as labelled lines near the title. htmldate reads no ``2023年1月16日`` and
trafilatura drops one-word (space-less) authors, so these lines are read here.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

_SEP = r"\s*[:：︰︱|/]\s*"
_DATE = r"(?P<y>(?:19|20)\d\d)\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})(?!\d)日?"
# A label starts a line or follows a space, bracket or bar: "【作者：…" "| 来源：…".
_START = r"(?:^|(?<=[\s\[【（(|｜,，]))"
_DATE_LABEL = r"(?:发布|发表|发稿|出版|创建|刊发)?(?:时间|日期)|发布于|发表于"
# "时间：…", or a bare date printed right before the source: "2024年05月10日06:58 | 来源：".
DATE_RES = (
    re.compile(_START + f"(?:{_DATE_LABEL}){_SEP}{_DATE}"),
    re.compile(_DATE + r"[\s\d:：]*(?:[|｜]\s*)?(?:来源|作者)\s*[:：]"),
)
AUTHOR_RE = re.compile(_START + r"(?:作\s*者|撰\s*文|记\s*者|文)" + _SEP + r"(?P<name>[^\n]*)")
# Where a name ends: the next label, punctuation or a bracket.
_NAME_END_RE = re.compile(
    r"责任编辑|编辑|来源|时间|日期|发布|通讯员|摄影|字号|[\s,，;；。|｜()（）\[\]【】<>《》:：]"
)
NO_AUTHOR = frozenset({"佚名", "匿名", "未知", "不详", "本站", "admin"})
MAX_NAME = 20
# Bylines read by other means sometimes still carry their label ("作者：白居易") or are
# really the editor's ("责编：…", "选稿：…"): the first is trimmed, the second dropped.
_AUTHOR_LABEL_RE = re.compile(r"^(?:作\s*者|撰\s*文|记\s*者|文)\s*[:：︰︱|/]\s*")
_NOT_AUTHOR_RE = re.compile(r"^(?:责任编辑|责编|编辑|选稿|校对|审核|监制|来源|时间|日期|字号)")
_LABEL_WORDS = frozenset({"作者", "撰文", "记者", "文", "来源"})
_CJK_START_RE = re.compile(r"^[\u3400-\u9fff\uf900-\ufaff\u3040-\u30ff]")


@dataclass(frozen=True)
class Labels:
    published: datetime.date | None
    author: str


def read_labels(text: str) -> Labels:
    """The first labelled publish date and author in ``text`` (one block per line)."""
    return Labels(find_date(text), find_author(text))


def find_date(text: str) -> datetime.date | None:
    for pattern in DATE_RES:
        for match in pattern.finditer(text):
            day = _to_date(match)
            if day is not None:
                return day
    return None


def find_author(text: str) -> str:
    for match in AUTHOR_RE.finditer(text):
        name = _NAME_END_RE.split(match["name"].strip(), maxsplit=1)[0]
        if name and len(name) <= MAX_NAME and name.lower() not in NO_AUTHOR:
            return name
    return ""


def clean_zh_author(name: str) -> str:
    """A byline as a Chinese name: label trimmed, editors dropped, profile words cut."""
    name = _AUTHOR_LABEL_RE.sub("", name.strip())
    if _NOT_AUTHOR_RE.match(name) or name.lower() in NO_AUTHOR or name in _LABEL_WORDS:
        return ""
    # Chinese names have no spaces; what follows one is "关注", "粉丝", a bio…
    return name.split()[0] if name and _CJK_START_RE.match(name) else name


def _to_date(match: re.Match[str]) -> datetime.date | None:
    try:
        day = datetime.date(int(match["y"]), int(match["m"]), int(match["d"]))
    except ValueError:  # "2023-13-45" in a page is not a date
        return None
    # A publish date lies in the past (a day of slack for time zones).
    return day if day <= datetime.date.today() + datetime.timedelta(days=1) else None
