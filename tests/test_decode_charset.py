"""Unit cases for linkhome.capture.steps.decode: charset decisions and the utf-8 rewrite."""

from __future__ import annotations

import dataclasses
import random

import pytest

from linkhome.capture.steps.decode import (
    Decoded,
    decode_document,
    normalize_label,
    rewrite_meta_charset,
)

# Real-looking Chinese prose: 镕 and 喆 are GBK-only (outside GB2312).
ZH = (
    "朱镕基总理在记者招待会上回答了关于经济改革的问题。张喆说，今年的工作重点是稳定物价、"
    "扩大内需、深化国有企业改革，同时加强环境保护和社会保障体系建设。"
    "他还表示，政府将继续推进对外开放，欢迎外国投资者来华投资兴业，共同分享发展机遇。"
)
# Cantonese with HKSCS-only characters (嘅, 咗, 冇, 啲 are not in plain Big5).
HK = (
    "香港天文台今日發出暴雨警告，市民出入要小心。我哋今日去咗茶樓飲茶，"
    "啲點心好好食，冇乜人排隊。呢度嘅服務好好，下次再嚟。"
    "政府發言人表示，各部門已經做好準備，會密切留意天氣變化。"
)
RU = (
    "Правительство Москвы объявило о начале строительства новой линии метро. "
    "По словам мэра, работы будут завершены в течение трёх лет, а пассажиры получат "
    "удобный доступ к центру города из отдалённых районов."
)
FR = "Le gouvernement français a annoncé une réforme des retraites très contestée. " * 3


def page(text: str, head: str = "") -> str:
    return f"<html><head>{head}<title>t</title></head><body><p>{text}</p></body></html>"


GB2312_META = '<meta charset="gb2312">'
GB2312_HTTP_EQUIV = '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">'


# --- declared charsets that tell the truth ---------------------------------------------


def test_a_gb2312_meta_is_read_as_gb18030_so_gbk_only_characters_survive() -> None:
    html = page(ZH, GB2312_META)
    body = html.encode("gbk")
    with pytest.raises(UnicodeDecodeError):
        body.decode("gb2312")  # strict GB2312 cannot read 镕 or 喆
    assert decode_document(body) == Decoded(html, "gb18030", "meta")


def test_an_http_equiv_meta_counts_as_a_meta() -> None:
    html = page(ZH, GB2312_HTTP_EQUIV)
    assert decode_document(html.encode("gb18030")) == Decoded(html, "gb18030", "meta")


def test_a_big5_meta_is_read_as_big5hkscs_so_hong_kong_characters_survive() -> None:
    html = page(HK, '<meta charset="big5">')
    body = html.encode("big5hkscs")
    with pytest.raises(UnicodeDecodeError):
        body.decode("big5")
    assert decode_document(body) == Decoded(html, "big5hkscs", "meta")


def test_a_true_header_wins_and_says_so() -> None:
    html = page(ZH)
    assert decode_document(html.encode("gbk"), "GBK") == Decoded(html, "gb18030", "http-header")
    russian = page(RU)
    got = decode_document(russian.encode("cp1251"), "windows-1251")
    assert got == Decoded(russian, "cp1251", "http-header")


def test_a_latin1_header_over_western_text_is_windows_1252() -> None:
    html = page(FR + " “Quotes” – 5 €")
    got = decode_document(html.encode("cp1252"), "ISO-8859-1")
    assert got == Decoded(html, "cp1252", "http-header")


def test_an_xml_declaration_is_a_declaration() -> None:
    feed = f'<?xml version="1.0" encoding="big5"?>\n<rss><item><title>{HK}</title></item></rss>'
    assert decode_document(feed.encode("big5hkscs")) == Decoded(
        feed, "big5hkscs", "xml-declaration"
    )


def test_a_meta_inside_a_comment_is_not_a_declaration() -> None:
    html = page(ZH, "<!-- <meta charset=big5> -->" + GB2312_META)
    assert decode_document(html.encode("gb18030")).source == "meta"
    assert decode_document(html.encode("gb18030")).text == html


# --- declared charsets that lie --------------------------------------------------------


def test_a_gb2312_meta_over_utf8_bytes_is_read_as_utf8() -> None:
    # Transcoded copies keep their old meta (6 of the magic-html pages do).
    html = page(ZH, GB2312_META)
    assert decode_document(html.encode("utf-8")) == Decoded(html, "utf-8", "detected")


def test_a_latin1_header_over_utf8_bytes_is_read_as_utf8() -> None:
    html = page(ZH, '<meta charset="utf-8">')
    assert decode_document(html.encode("utf-8"), "iso-8859-1") == Decoded(html, "utf-8", "meta")


def test_a_latin1_header_over_gbk_bytes_is_not_believed() -> None:
    # windows-1252 decodes (almost) any bytes: the clean decode must not make it win.
    html = page(ZH * 2)
    got = decode_document(html.encode("gbk"), "iso-8859-1")
    assert (got.text, got.charset, got.source) == (html, "gb18030", "detected")


def test_a_latin1_header_loses_to_the_pages_own_true_meta() -> None:
    html = page(ZH, GB2312_HTTP_EQUIV)
    assert decode_document(html.encode("gbk"), "iso-8859-1") == Decoded(html, "gb18030", "meta")


def test_a_utf8_header_over_gbk_bytes_is_not_believed() -> None:
    html = page(ZH, GB2312_META)
    assert decode_document(html.encode("gbk"), "utf-8") == Decoded(html, "gb18030", "meta")


def test_a_single_byte_header_for_the_wrong_script_is_not_believed() -> None:
    html = page(RU * 2)
    got = decode_document(html.encode("cp1251"), "koi8-r")
    assert (got.text, got.charset) == (html, "cp1251")


def test_a_gb2312_meta_over_big5_bytes_is_not_believed() -> None:
    html = page(HK * 2, GB2312_META)
    got = decode_document(html.encode("big5hkscs"))
    assert (got.text, got.charset, got.source) == (html, "big5hkscs", "detected")


def test_an_unknown_label_is_ignored() -> None:
    html = page(ZH, '<meta charset="no-such-charset">')
    got = decode_document(html.encode("gbk"), "x-bogus")
    assert (got.text, got.charset, got.source) == (html, "gb18030", "detected")


# --- nothing declared: detection -------------------------------------------------------

JA = (
    "東京都は今日、新しい防災計画を発表しました。地震や台風などの自然災害に備えて、"
    "避難所の数を増やし、住民への情報提供を強化するということです。"
)
KO = (
    "서울시는 오늘 새로운 교통 정책을 발표했습니다. 시민들의 출퇴근 시간을 줄이기 위해 "
    "버스 노선을 개편하고 지하철 운행 횟수를 늘릴 계획입니다."
)
TH = (
    "กรุงเทพมหานครประกาศแผนพัฒนาระบบขนส่งสาธารณะใหม่ "
    "เพื่อลดปัญหาการจราจรติดขัดในเขตเมือง และส่งเสริมการใช้พลังงานสะอาด"
)
PL = "Rząd ogłosił dziś nową reformę, która ma zwiększyć wydatki na służbę zdrowia i edukację."
EL = "Η κυβέρνηση ανακοίνωσε σήμερα νέα μέτρα για την ενίσχυση της οικονομίας και της απασχόλησης."


# One paragraph is enough; a few words are not always (five Big5 characters can read as
# cp932 half-width katakana just as cleanly), which is why declarations still come first.
@pytest.mark.parametrize(
    ("text", "codec", "charset"),
    [
        (ZH, "gbk", "gb18030"),
        (HK, "big5hkscs", "big5hkscs"),
        (JA, "cp932", "cp932"),
        (JA, "euc_jp", "euc_jp"),
        (JA, "iso2022_jp", "iso2022_jp"),
        (KO, "cp949", "cp949"),
        (TH, "cp874", "cp874"),
        (RU, "cp1251", "cp1251"),
        (RU, "koi8_r", "koi8-r"),
        (FR, "cp1252", "cp1252"),
        (PL, "cp1250", "cp1250"),
        (PL, "iso8859_2", "iso8859-2"),
        (EL, "cp1253", "cp1253"),
    ],
)
def test_an_undeclared_paragraph_is_detected(text: str, codec: str, charset: str) -> None:
    html = page(text)
    assert decode_document(html.encode(codec)) == Decoded(html, charset, "detected")


# --- byte order marks and UTF-16 -------------------------------------------------------


@pytest.mark.parametrize(
    ("codec", "bom", "charset"),
    [
        ("utf-8", b"\xef\xbb\xbf", "utf-8"),
        ("utf-16-le", b"\xff\xfe", "utf-16-le"),
        ("utf-16-be", b"\xfe\xff", "utf-16-be"),
    ],
)
def test_a_bom_wins_over_any_declaration_and_is_dropped(
    codec: str, bom: bytes, charset: str
) -> None:
    html = page(ZH, GB2312_META)
    got = decode_document(bom + html.encode(codec), "iso-8859-1")
    assert got == Decoded(html, charset, "bom")


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_detected_by_its_nul_pattern(codec: str) -> None:
    html = page(ZH)
    assert decode_document(html.encode(codec)) == Decoded(html, codec, "detected")
    assert decode_document(html.encode(codec), "windows-1252").charset == codec


def test_a_utf16_header_over_ascii_bytes_is_not_believed() -> None:
    html = page("plain English")
    assert decode_document(html.encode("ascii"), "utf-16").text == html


# --- edge bytes ---------------------------------------------------------------------------


def test_an_empty_body_is_empty_text() -> None:
    assert decode_document(b"") == Decoded("", "utf-8", "fallback")
    assert decode_document(b"", "gbk").text == ""


def test_ascii_keeps_its_declared_charset_and_otherwise_is_utf8() -> None:
    html = page("plain English")
    assert decode_document(html.encode(), "iso-8859-1") == Decoded(html, "cp1252", "http-header")
    assert decode_document(html.encode()) == Decoded(html, "utf-8", "detected")


def test_utf8_cut_in_the_middle_of_a_character_is_still_utf8() -> None:
    body = page(ZH)[:-40].encode("utf-8") + "镕".encode()[:2]
    got = decode_document(body, "gb2312")
    assert got.charset == "utf-8"
    assert got.text.endswith("\ufffd") and got.text.count("\ufffd") == 1


def test_iso_2022_jp_is_detected_from_its_escapes() -> None:
    text = "日本語のテキストです。今日はいい天気ですね。明日も晴れるでしょう。"
    got = decode_document(text.encode("iso2022_jp"), "windows-1252")
    assert (got.text, got.charset) == (text, "iso2022_jp")


@pytest.mark.parametrize("size", [1, 2, 3, 7, 64, 513, 4096, 70000])
def test_binary_garbage_never_raises(size: int) -> None:
    noise = random.Random(size).randbytes(size)
    for header in (None, "utf-8", "gb2312", "utf-16", "iso-2022-jp", "x-user-defined"):
        got = decode_document(noise, header)
        assert isinstance(got.text, str) and got.charset and got.source


def test_binary_with_a_bom_or_markup_never_raises() -> None:
    noise = random.Random(1).randbytes(3000)
    for prefix in (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"<meta charset=gb2312>"):
        assert isinstance(decode_document(prefix + noise).text, str)
    assert isinstance(decode_document(b"\x89PNG\r\n\x1a\n" + noise, "utf-8").text, str)


def test_decoded_is_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        decode_document(b"x").text = "y"  # type: ignore[misc]


# --- labels ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "codec"),
    [
        ("gb2312", "gb18030"),
        ("GBK", "gb18030"),
        ("x-gbk", "gb18030"),
        ("gb_2312-80", "gb18030"),
        ("GB18030", "gb18030"),
        ("big5", "big5hkscs"),
        ("shift_jis", "cp932"),
        ("sjis", "cp932"),
        ("x-sjis", "cp932"),
        ("euc-kr", "cp949"),
        ("ks_c_5601-1987", "cp949"),
        ("iso-8859-1", "cp1252"),
        ("latin1", "cp1252"),
        ("us-ascii", "cp1252"),
        ("utf8", "utf-8"),
        (" UTF-8 ", "utf-8"),
        ('"gb2312"', "gb18030"),
        ("utf-16", "utf-16-le"),
        ("tis-620", "cp874"),
        ("euc-jp", "euc_jp"),
        ("koi8-r", "koi8-r"),
        ("johab", "johab"),  # no WHATWG label, but a real charset Python reads
        ("no-such-charset", None),
        ("", None),
        ("utf-7", None),  # browsers refuse it: it hides markup from filters
        ("base64", None),  # a Python codec, but not a charset
        ("x-user-defined", None),
    ],
)
def test_labels_widen_as_browsers_widen_them(label: str, codec: str | None) -> None:
    assert normalize_label(label) == codec


# --- rewrite_meta_charset --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (
            '<html><head><meta charset="gb2312"><title>t</title></head><body>x</body></html>',
            '<html><head><meta charset="utf-8"><title>t</title></head><body>x</body></html>',
        ),
        (
            "<head>\n  <meta charset=gbk />\n</head>",
            "<head>\n  <meta charset=utf-8 />\n</head>",
        ),
        (
            '<head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head>',
            '<head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"></head>',
        ),
        (
            "<HEAD><META HTTP-EQUIV='CONTENT-TYPE' CONTENT='TEXT/HTML;CHARSET=GB2312'></HEAD>",
            "<HEAD><META HTTP-EQUIV='CONTENT-TYPE' CONTENT='TEXT/HTML;CHARSET=utf-8'></HEAD>",
        ),
        (
            '<HEAD><META CHARSET="BIG5"><TITLE>t</TITLE></HEAD>',
            '<HEAD><META CHARSET="utf-8"><TITLE>t</TITLE></HEAD>',
        ),
    ],
    ids=["charset", "unquoted", "http-equiv", "uppercase-http-equiv", "uppercase-charset"],
)
def test_rewrite_replaces_the_declared_charset_only(before: str, after: str) -> None:
    assert rewrite_meta_charset(before) == after


def test_rewrite_replaces_both_kinds_when_a_head_has_both() -> None:
    before = (
        '<head><meta charset="gbk">'
        '<meta http-equiv="content-type" content="text/html; charset=gb2312"></head>'
    )
    after = (
        '<head><meta charset="utf-8">'
        '<meta http-equiv="content-type" content="text/html; charset=utf-8"></head>'
    )
    assert rewrite_meta_charset(before) == after


def test_rewrite_inserts_a_meta_right_after_head_when_there_is_none() -> None:
    before = (
        '<!DOCTYPE html><html><head lang="zh"><title>标题</title></head><body>正文</body></html>'
    )
    after = (
        '<!DOCTYPE html><html><head lang="zh"><meta charset="utf-8">'
        "<title>标题</title></head><body>正文</body></html>"
    )
    assert rewrite_meta_charset(before) == after


def test_rewrite_without_a_head_inserts_after_html_or_doctype_or_at_the_start() -> None:
    assert rewrite_meta_charset("<html><p>x</p></html>") == (
        '<html><meta charset="utf-8"><p>x</p></html>'
    )
    assert rewrite_meta_charset("<!doctype html><p>x</p>") == (
        '<!doctype html><meta charset="utf-8"><p>x</p>'
    )
    assert rewrite_meta_charset("<p>x</p>") == '<meta charset="utf-8"><p>x</p>'


def test_rewrite_leaves_metas_in_comments_and_in_the_body_alone() -> None:
    before = (
        "<head><!-- <meta charset=big5> --><title>t</title></head>"
        '<body><meta charset="gbk"><p>charset=gbk</p></body>'
    )
    after = (
        '<head><meta charset="utf-8"><!-- <meta charset=big5> --><title>t</title></head>'
        '<body><meta charset="gbk"><p>charset=gbk</p></body>'
    )
    assert rewrite_meta_charset(before) == after


def test_rewrite_ignores_a_description_that_mentions_charset() -> None:
    before = '<head><meta name="description" content="how to set charset=gbk"></head>'
    after = (
        '<head><meta charset="utf-8">'
        '<meta name="description" content="how to set charset=gbk"></head>'
    )
    assert rewrite_meta_charset(before) == after


def test_rewrite_fixes_a_leading_xml_declaration_too() -> None:
    before = '<?xml version="1.0" encoding="gb2312"?><html><head></head></html>'
    after = '<?xml version="1.0" encoding="utf-8"?><html><head><meta charset="utf-8"></head></html>'
    assert rewrite_meta_charset(before) == after


def test_a_decoded_and_rewritten_page_reads_back_as_the_same_utf8_text() -> None:
    original = page(ZH, GB2312_HTTP_EQUIV)
    stored = rewrite_meta_charset(decode_document(original.encode("gbk")).text)
    assert stored == original.replace("charset=gb2312", "charset=utf-8")
    assert decode_document(stored.encode("utf-8")) == Decoded(stored, "utf-8", "meta")


def test_rewrite_treats_a_valueless_charset_attribute_as_no_declaration() -> None:
    assert rewrite_meta_charset("<head><meta charset></head>") == (
        '<head><meta charset="utf-8"><meta charset></head>'
    )
