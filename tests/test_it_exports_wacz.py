"""WACZ export of a snapshot, a tag and a whole account: valid by `wacz validate`, with the
pages listed for replay tools, complete on its own, and never another person's private link."""

import io
import json
import socket
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.test import Client
from warcio.archiveiterator import ArchiveIterator

from linkhome.accounts.services import create_token
from linkhome.cli.main import main as cli
from linkhome.links import exports
from linkhome.links.services import add_link
from linkhome.testing.factories import captured
from tests.archive_support import serve_site, warcio_check

pytestmark = pytest.mark.django_db(transaction=True)


def wacz_validate(path: Path) -> subprocess.CompletedProcess:
    command = [str(Path(sys.executable).with_name("wacz")), "validate", "-f", str(path)]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


def pages_of(path: Path) -> list[dict]:
    with zipfile.ZipFile(path) as wacz:
        lines = wacz.read("pages/pages.jsonl").decode().splitlines()
    return [json.loads(line) for line in lines[1:]]


def warc_records(path: Path) -> list:
    """Every record of every WARC in the package."""
    with zipfile.ZipFile(path) as wacz:
        names = [n for n in wacz.namelist() if n.startswith("archive/")]
        data = [wacz.read(name) for name in names]
    return [record for warc in data for record in _records(warc)]


def _records(warc: bytes) -> list:
    return [
        (r.rec_type, r.rec_headers.get_header("WARC-Target-URI") or "", r.content_stream().read())
        for r in ArchiveIterator(io.BytesIO(warc))
    ]


def test_a_snapshot_exports_as_a_valid_wacz_with_its_page(http_server, owner, tmp_path):
    url = serve_site(http_server, title="档案 Page")
    snapshot = captured(owner, url)
    out = tmp_path / "one.wacz"
    done = exports.export_snapshot(owner, snapshot.pk, out)
    assert done.filename == f"linkhome-snapshot-{snapshot.pk}.wacz" and done.snapshots == 1
    validated = wacz_validate(out)
    assert validated.returncode == 0, validated.stdout + validated.stderr
    [page] = pages_of(out)
    assert page["url"] == url and page["title"] == "档案 Page" and page["ts"].startswith("20")
    with zipfile.ZipFile(out) as wacz:
        package = json.loads(wacz.read("datapackage.json"))
        assert wacz.getinfo(f"archive/snapshot-{snapshot.pk}.warc.gz").compress_type == 0
    assert package["mainPageURL"] == url and package["title"] == "档案 Page"


def test_the_archive_in_the_package_passes_warcio_check(http_server, owner, tmp_path):
    snapshot = captured(owner, serve_site(http_server))
    out = tmp_path / "one.wacz"
    exports.export_snapshot(owner, snapshot.pk, out)
    with zipfile.ZipFile(out) as wacz:
        wacz.extract(f"archive/snapshot-{snapshot.pk}.warc.gz", tmp_path)
    assert warcio_check(tmp_path / "archive" / f"snapshot-{snapshot.pk}.warc.gz").returncode == 0


def test_a_tag_export_holds_only_the_makers_links(http_server, owner, other_user, tmp_path):
    mine = captured(owner, serve_site(http_server, path="/mine.html"), tags=["读书"])
    hidden = captured(
        owner, serve_site(http_server, path="/hidden.html"), tags=["读书"], visibility="private"
    )
    captured(owner, serve_site(http_server, path="/untagged.html"))
    captured(other_user, serve_site(http_server, path="/theirs.html"), tags=["读书"])
    secret = serve_site(http_server, path="/their-secret.html")
    captured(other_user, secret, tags=["读书"], visibility="private")
    out = tmp_path / "tag.wacz"
    done = exports.export_tag(owner, "读书", out)
    assert done.filename == "linkhome-owner-读书.wacz" and done.snapshots == 2
    assert wacz_validate(out).returncode == 0
    assert sorted(p["url"] for p in pages_of(out)) == sorted([mine.url, hidden.url])
    uris = {uri for _, uri, _ in warc_records(out)}
    assert not any("theirs" in uri or "their-secret" in uri or "untagged" in uri for uri in uris)


def test_an_account_export_has_the_owners_private_links_only(
    http_server, owner, other_user, tmp_path
):
    public = captured(owner, serve_site(http_server, path="/public.html"))
    private = captured(owner, serve_site(http_server, path="/private.html"), visibility="private")
    captured(other_user, serve_site(http_server, path="/their-secret.html"), visibility="private")
    out = tmp_path / "all.wacz"
    assert exports.export_account(owner, out).snapshots == 2
    assert wacz_validate(out).returncode == 0
    assert sorted(p["url"] for p in pages_of(out)) == sorted([public.url, private.url])
    with zipfile.ZipFile(out) as wacz:
        everything = b"".join(wacz.read(name) for name in wacz.namelist())
    assert b"their-secret" not in everything
    assert not any("their-secret" in uri for _, uri, _ in warc_records(out))


def test_another_persons_private_snapshot_cannot_be_exported(http_server, owner, other_user):
    secret = captured(owner, serve_site(http_server), visibility="private")
    with pytest.raises(exports.ExportError, match=f"no snapshot {secret.pk}"):
        exports.export_snapshot(other_user, secret.pk, Path("/nonexistent/x.wacz"))


def test_an_empty_or_unknown_tag_says_so(owner, tmp_path):
    add_link(owner, "https://example.com/queued", tags=["later"])
    with pytest.raises(exports.ExportError, match="you have no tag named 'nothing'"):
        exports.export_tag(owner, "nothing", tmp_path / "x.wacz")
    with pytest.raises(exports.ExportError, match="no snapshot here has finished"):
        exports.export_tag(owner, "later", tmp_path / "x.wacz")
    assert not (tmp_path / "x.wacz").exists()


def test_revisits_into_a_warc_left_out_become_full_records(http_server, owner, tmp_path):
    captured(owner, serve_site(http_server))  # keeps the image in full; not exported
    second = captured(owner, serve_site(http_server, path="/second.html"), tags=["only"])
    exports.export_tag(owner, "only", tmp_path / "only.wacz")
    records = warc_records(tmp_path / "only.wacz")
    assert "revisit" not in {kind for kind, _, _ in records}
    image = next(body for kind, uri, body in records if kind == "response" and "photo" in uri)
    assert image.startswith(b"\x89PNG") and second.status == "succeeded"


def test_revisits_into_a_warc_in_the_package_stay_revisits(http_server, owner, tmp_path):
    captured(owner, serve_site(http_server), tags=["both"])
    captured(owner, serve_site(http_server, path="/second.html"), tags=["both"])
    exports.export_tag(owner, "both", tmp_path / "both.wacz")
    assert "revisit" in {kind for kind, _, _ in warc_records(tmp_path / "both.wacz")}
    assert wacz_validate(tmp_path / "both.wacz").returncode == 0


def test_exporting_makes_no_network_request(http_server, owner, tmp_path, monkeypatch):
    snapshot = captured(owner, serve_site(http_server))
    http_server.close()

    def refuse(*args, **kwargs):
        raise AssertionError(f"a network request during the export: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    exports.export_snapshot(owner, snapshot.pk, tmp_path / "offline.wacz")
    assert pages_of(tmp_path / "offline.wacz")


def test_the_cli_writes_the_file_and_reports_errors(http_server, owner, tmp_path, capsys):
    snapshot = captured(owner, serve_site(http_server), tags=["t"])
    out = tmp_path / "cli.wacz"
    assert cli(["export-wacz", "--snapshot", str(snapshot.pk), "-o", str(out)]) == 0
    assert wacz_validate(out).returncode == 0
    assert cli(["export-wacz", "--tag", "t", "--user", "owner", "-o", str(out)]) == 0
    assert cli(["export-wacz", "--tag", "none", "-o", str(tmp_path / "no.wacz")]) == 1
    assert "you have no tag named 'none'" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cli.wacz"]  # nothing half-written


def test_the_api_streams_an_attachment(http_server, owner, other_user):
    snapshot = captured(owner, serve_site(http_server), tags=["读书"])
    client = Client(HTTP_AUTHORIZATION=f"Bearer {create_token(owner).key}")
    one = client.get(f"/api/snapshots/{snapshot.pk}/wacz")
    assert one.status_code == 200 and one["Content-Type"] == "application/wacz"
    assert f'filename="linkhome-snapshot-{snapshot.pk}.wacz"' in one["Content-Disposition"]
    assert zipfile.is_zipfile(io.BytesIO(b"".join(one.streaming_content)))
    tagged = client.get("/api/export.wacz", {"tag": "读书"})
    assert tagged.status_code == 200
    assert (
        "filename*=utf-8''linkhome-owner-%E8%AF%BB%E4%B9%A6.wacz" in tagged["Content-Disposition"]
    )
    assert client.get("/api/export.wacz", {"tag": "none"}).status_code == 404
    theirs = Client(HTTP_AUTHORIZATION=f"Bearer {create_token(other_user).key}")
    assert theirs.get("/api/export.wacz").status_code == 404  # they have no links


def test_the_snapshot_page_offers_the_wacz_to_whoever_may_see_it(
    http_server, owner, other_user, tmp_path
):
    from linkhome.testing.factories import client_for

    public = captured(owner, serve_site(http_server, path="/public.html"))
    secret = captured(owner, serve_site(http_server, path="/secret.html"), visibility="private")
    href = f"/s/{public.pk}/wacz/"
    page = client_for(other_user).get(f"/s/{public.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert f'href="{href}"' in page.content.decode() and "WACZ 网页档案" in page.content.decode()
    download = client_for(None).get(href)
    assert download.status_code == 200 and download["Content-Type"] == "application/wacz"
    out = tmp_path / "page.wacz"
    out.write_bytes(b"".join(download.streaming_content))
    assert wacz_validate(out).returncode == 0
    assert client_for(other_user).get(f"/s/{secret.pk}/wacz/").status_code == 404
    assert client_for(owner).get(f"/s/{secret.pk}/wacz/").status_code == 200
