import pytest

from linkhome.archive.artifacts import artifact_bytes
from linkhome.links.services import add_link
from linkhome.worker.sequence import capture_and_follow
from tests.search_support import found

pytestmark = pytest.mark.django_db(transaction=True)


def minimal_pdf(text: str) -> bytes:
    """A tiny real PDF with one line of Helvetica text, offsets computed, not faked."""
    stream = f"BT /F1 24 Tf 72 720 Td ({text}) Tj ET".encode()
    return pdf_file([b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"], stream)


def cmap_pdf(text: str) -> bytes:
    """A PDF whose font maps glyph i to the i-th character of ``text`` through its ToUnicode
    CMap, as subset CJK fonts do: the text layer is exactly ``text``, radicals included."""
    codes = [f"{i:04X}" for i in range(1, len(text) + 1)]
    pairs = "\n".join(
        f"<{code}> <{char.encode('utf-16-be').hex().upper()}>"
        for code, char in zip(codes, text, strict=True)
    )
    cmap = (
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def /CMapType 2 def\n"
        "1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
        f"{len(codes)} beginbfchar\n{pairs}\nendbfchar\n"
        "endcmap CMapName currentdict /CMap defineresource pop end end"
    ).encode()
    font = [
        b"<< /Type /Font /Subtype /Type0 /BaseFont /SubsetSong /Encoding /Identity-H "
        b"/DescendantFonts [6 0 R] /ToUnicode 7 0 R >>",
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /SubsetSong /DW 1000 "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
        b"/FontDescriptor 8 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(cmap) + cmap + b"\nendstream",
        b"<< /Type /FontDescriptor /FontName /SubsetSong /Flags 4 /FontBBox [0 -120 1000 880] "
        b"/ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 700 /StemV 80 >>",
    ]
    return pdf_file(font, f"BT /F1 24 Tf 72 720 Td <{''.join(codes)}> Tj ET".encode())


def pdf_file(font: list[bytes], stream: bytes) -> bytes:
    """One page showing ``stream`` with font objects ``font`` (the first is /F1, object 5)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        *font,
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def test_a_pdf_is_kept_with_its_text(http_server, owner):
    pdf = minimal_pdf("Quarterly report 2024")
    http_server.route("/report.pdf", body=pdf, headers=[("Content-Type", "application/pdf")])
    snapshot = capture_and_follow(add_link(owner, http_server.url("/report.pdf")).snapshot.pk)
    kinds = {a.kind: a for a in snapshot.artifacts.all()}
    assert snapshot.status == "succeeded", snapshot.error
    assert artifact_bytes(kinds["document"]) == pdf
    assert "Quarterly report 2024" in snapshot.text


def test_a_pdf_whose_font_maps_to_radicals_reads_and_is_found_as_its_ideographs(http_server, owner):
    """Issue 16: 国⺠经济 (U+2EA0 CJK RADICAL C-SIMPLIFIED PEOPLE, a Supplement radical NFKC
    leaves alone) and ⼈ (U+2F08 KANGXI RADICAL MAN) in the PDF's text layer."""
    pdf = cmap_pdf("⻰岗区国⺠经济和社会发展统计公报⼈口")
    http_server.route("/gongbao.pdf", body=pdf, headers=[("Content-Type", "application/pdf")])
    snapshot = capture_and_follow(add_link(owner, http_server.url("/gongbao.pdf")).snapshot.pk)
    assert snapshot.status == "succeeded", snapshot.error
    assert snapshot.text == "龙岗区国民经济和社会发展统计公报人口"
    kinds = {a.kind: a for a in snapshot.artifacts.all()}
    assert artifact_bytes(kinds["text"]).decode() == snapshot.text
    assert found(owner, "国民经济") == [snapshot.pk]
    assert found(owner, "⻰岗区") == [snapshot.pk]  # typed with a radical, too


def test_a_damaged_pdf_is_kept_and_the_text_step_fails(http_server, owner):
    http_server.route(
        "/bad.pdf", body=b"%PDF-1.4 garbage", headers=[("Content-Type", "application/pdf")]
    )
    snapshot = capture_and_follow(add_link(owner, http_server.url("/bad.pdf")).snapshot.pk)
    kinds = {a.kind: a for a in snapshot.artifacts.all()}
    assert snapshot.status == "partial"
    assert kinds["document"].status == "ok"
    assert kinds["text"].status == "failed" and "PDF" in kinds["text"].error


def test_plain_text_in_big5_is_decoded(http_server, owner):
    body = "香港天文台發出暴雨警告，市民應留在安全地方。".encode("big5hkscs")
    http_server.route(
        "/notice.txt", body=body, headers=[("Content-Type", "text/plain; charset=big5")]
    )
    snapshot = capture_and_follow(add_link(owner, http_server.url("/notice.txt")).snapshot.pk)
    assert snapshot.text == "香港天文台發出暴雨警告，市民應留在安全地方。"


def test_an_image_is_kept_as_is(http_server, owner):
    from tests.test_it_captures_a_page import PNG

    http_server.route("/pic.png", body=PNG, headers=[("Content-Type", "image/png")])
    snapshot = capture_and_follow(add_link(owner, http_server.url("/pic.png")).snapshot.pk)
    kinds = {a.kind: a for a in snapshot.artifacts.all()}
    assert snapshot.status == "succeeded"
    assert artifact_bytes(kinds["document"]) == PNG and kinds["document"].mime == "image/png"
