"""Chinese byline lines: ``发布时间：2023-01-16 10:30``, ``作者：张三``, ``来源：新华网``.

Chinese news and CMS pages rarely put dates or authors in machine-readable markup; they
print them as labelled lines near the title. htmldate reads no ``2023年1月16日`` and
trafilatura drops one-word (space-less) authors, so these lines are read here.

Also bylines without a colon ("光明日报记者 王建宏 张文攀", "文/张三"), forum posters, and
who counts as an author (``is_person``): a person, not a sentence, an agency or an editor,
unless the page names no one else (``find_fallback_author``). More dates: ``zh_dates.py``.
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
        if name and is_person(name):
            return name
    return ""


# --- bylines without a colon, forum posters, and who counts as the author -----------------

_HAN = "\u3400-\u9fff\uf900-\ufaff"
_NAME = f"[{_HAN}]{{2,4}}(?:·[{_HAN}]{{1,8}})?"
_NAMES = f"{_NAME}(?:[ \u3000、，,&＆]+{_NAME})*"
# What a byline name is followed by: the line's end, "/文", "报道", a bracket, another label.
_AFTER_NAME = r"(?=\s*(?:$|[/／|｜)）】\]]|报道|摄|通讯员|实习生|编辑|责任编辑|来源))"
# Ordered: the first kind that names someone wins.
BYLINE_RES = (
    # "光明日报记者 王建宏 张文攀", "河南商报记者马俊峰/文", "采写：南都见习记者林子沛",
    # "执笔/叨叨姐、胡一刀&李小飞刀"
    re.compile(
        rf"(?:记者|撰稿|采写|执笔)[\s:：/／|｜]*(?P<names>{_NAMES}){_AFTER_NAME}", re.MULTILINE
    ),
    # "文/张三", "文｜张三", "张三/文"
    re.compile(rf"(?:^|\s)文\s*[/／|｜]\s*(?P<names>{_NAMES}){_AFTER_NAME}", re.MULTILINE),
    re.compile(rf"(?:^|\s)(?P<names>{_NAMES})\s*[/／]\s*文(?:$|\s)", re.MULTILINE),
    # forum and blog posters: "由海姑娘张贴 @", "本贴由大卫于2005年…", "ggjjzhzz 发表于 2005-9-15"
    re.compile(r"由(?P<names>[^\s@]{2,20}?)(?:张贴|于(?:19|20)\d\d)"),
    re.compile(
        r"(?:^|\s)(?P<names>[A-Za-z][\w.\-]{1,30}|[^\s]{2,12})\s+发表于\s*(?:19|20)\d\d", re.M
    ),
    re.compile(r"发布时间\s*[\d/\-: ]+by\s+(?P<names>\S{2,20})"),
)
SOURCE_RE = re.compile(rf"来\s*源\s*[:：]\s*(?P<names>{_NAMES}){_AFTER_NAME}", re.MULTILINE)
EDITOR_RE = re.compile(
    rf"(?:责任编辑|责编|编辑)\s*[:：]?\s*(?P<names>{_NAMES}){_AFTER_NAME}", re.MULTILINE
)
_AUTHOR_FIELD_RE = re.compile(r"作\s*者\s*[:：︰]")
PHOTO_RE = re.compile(rf"(?:^|\s)(?P<names>{_NAMES})\s*[/／]\s*摄", re.MULTILINE)
# Organisations and agencies: a source, never a person ("新华社", "人民网", "巴彦淖尔日报").
_ORG_RE = re.compile(
    r"(?:网|报|社|台|站|刊|志|中心|新闻|日报|晚报|时报|频道|政府|委员会|办公室|集团|公司|媒体|出版社|研究院|大学|学院|协会|局|部|厅|处|所|营|班|团|队|组|会|版|栏目|历史)$"
    r"|^(?:本报|本站|本网|本刊|记者|编辑|通讯员|实习生|网友|作者|admin)"
)
_HAN_RUN_RE = re.compile(f"[{_HAN}]+")
MAX_HAN_NAME = 6
# Names hold letters, "·", "&", "_", "-", "." and spaces; anything else is a sentence or debris.
_NOT_NAME_RE = re.compile(r"[^\w\s·&.\-()（）]|https?:|www\.")


def is_person(name: str, organisations: bool = False) -> bool:
    """A name a person goes by: not a sentence or template debris, nor (unless
    ``organisations``) an organisation or agency."""
    name = name.strip()
    if _HAN_RUN_RE.fullmatch(name) and len(name) > MAX_HAN_NAME:  # a sentence, not a name
        return False
    return (
        1 < len(name) <= MAX_NAME
        and not _NOT_NAME_RE.search(name)
        and (organisations or not _ORG_RE.search(name))
        and name.lower() not in NO_AUTHOR
    )


def find_byline(text: str) -> str:
    """The author named by a byline line, with or without a colon ("记者 张三"), or ""."""
    return _first_names(BYLINE_RES, text)


def find_fallback_author(text: str) -> str:
    """Whom the page names when it names no author: a person as source, editor, photographer.

    Not the editor where the page has an author field left empty ("作者：" then "责任编辑：…"):
    there the site says the author is unknown, and the editor is someone else.
    """
    empty_author_field = _AUTHOR_FIELD_RE.search(text) is not None
    patterns = (SOURCE_RE, PHOTO_RE) if empty_author_field else (SOURCE_RE, EDITOR_RE, PHOTO_RE)
    return _first_names(patterns, text)


_NAMES_LINE_RE = re.compile(rf"(?P<names>{_NAMES})")
# What follows a name set alone under a title: a subtitle ("——当代中国的精神危机") or the
# article itself (a long line); a short line after it is a menu, a tag list, a caption.
_SUBTITLE_RE = re.compile(r"^(?:——|--|─)")
MIN_BODY_LINE = 30


def name_under_title(lines: list[str], title_lines: list[int]) -> str:
    """Names alone on the line under the title, right above the text ("犬儒病 / 胡平 /
    ——当代中国的精神危机", "…再就业 / 赵延东、风笑天 / 近年来…"), or ""."""
    for at in title_lines:
        if at + 2 >= len(lines):
            continue
        candidate, after = lines[at + 1].strip(), lines[at + 2].strip()
        match = _NAMES_LINE_RE.fullmatch(candidate)
        if not match or not (_SUBTITLE_RE.match(after) or len(after) >= MIN_BODY_LINE):
            continue
        names = [n for n in re.split(r"[ \u3000、，,&＆]+", match["names"]) if n]
        if names and all(is_person(n) for n in names):
            return " ".join(names)
    return ""


def _first_names(patterns: tuple[re.Pattern[str], ...], text: str) -> str:
    for pattern in patterns:
        for match in pattern.finditer(text):
            names = [n for n in re.split(r"[ \u3000、，,&＆]+", match["names"].strip()) if n]
            if names and all(is_person(n) for n in names):
                return " ".join(names)
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
