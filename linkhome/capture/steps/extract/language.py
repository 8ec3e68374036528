"""The page's language: declared (``<html lang>``, meta) unless its script says otherwise.

No language-identification model: the declaration is trusted for Latin-script text, and
the script decides for CJK text, where templates often declare ``lang="en"`` on Chinese
pages. Han share → zh, any kana → ja, Hangul → ko.
"""

from __future__ import annotations

import re

from lxml.html import HtmlElement

_HAN_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_KANA_RE = re.compile(r"[\u3040-\u30ff\u31f0-\u31ff]")
_HANGUL_RE = re.compile(r"[\uac00-\ud7af\u1100-\u11ff\u3130-\u318f]")
_LETTER_RE = re.compile(r"[^\W\d_]")
_TAG_RE = re.compile(r"^[a-z]{2,3}(?=$|[-_])", re.IGNORECASE)
SAMPLE = 2000  # characters of text looked at: enough to see the script, cheap
SCRIPT_SHARE = 0.3  # of letters; below it CJK is quotes or names inside other text
META_LANG_KEYS = ("content-language", "og:locale", "dc:language", "language")


def detect_language(tree: HtmlElement, meta: dict[str, str], text: str) -> str:
    """Primary language subtag ("zh", "en", "ja"…), "" if unknown."""
    declared = declared_language(tree, meta)
    by_script = script_language(text[:SAMPLE])
    if by_script and by_script != declared:
        return by_script
    return declared


def declared_language(tree: HtmlElement, meta: dict[str, str]) -> str:
    values = [tree.get("lang", ""), tree.get("{http://www.w3.org/XML/1998/namespace}lang", "")]
    values += [meta.get(key, "") for key in META_LANG_KEYS]
    for value in values:
        match = _TAG_RE.match(value.strip())
        if match:
            return match.group(0).lower()
    return ""


def script_language(text: str) -> str:
    """zh/ja/ko when CJK script makes up a good share of the letters, else ""."""
    letters = len(_LETTER_RE.findall(text))
    if not letters:
        return ""
    kana, han = len(_KANA_RE.findall(text)), len(_HAN_RE.findall(text))
    hangul = len(_HANGUL_RE.findall(text))
    if hangul / letters >= SCRIPT_SHARE:
        return "ko"
    if (kana + han) / letters < SCRIPT_SHARE:
        return ""
    # Japanese mixes kana into every sentence; Chinese has none.
    return "ja" if kana >= 0.1 * (kana + han) else "zh"
