"""The 导入 and 导出 pages, POST /api/imports, GET /api/imports/{id}, GET /api/export and
`linkhome import` / `linkhome export`: thin adapters over imports.services and
imports.exports. The job itself is run as the worker runs it (run_import)."""

import csv
import io
import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings

from linkhome.accounts.services import create_token
from linkhome.cli.main import main
from linkhome.imports.models import ImportJob
from linkhome.imports.services import run_import
from linkhome.links.models import Link
from linkhome.links.services import add_link

pytestmark = pytest.mark.django_db(transaction=True)
DATA = Path(__file__).parent / "data" / "bookmarks"


def signed_in(user, language: str = "zh-hans") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def upload(name: str, content: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content if content is not None else (DATA / name).read_bytes())


def test_the_import_page_uploads_and_shows_progress_until_done(owner):
    client = signed_in(owner)
    page = client.get("/imports/")
    assert "导入书签" in page.content.decode()
    response = client.post(
        "/imports/", {"file": upload("firefox.html"), "tags": "浏览器, 旧", "visibility": ""}
    )
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/imports/{job.pk}/"
    queued = client.get(f"/imports/{job.pk}/progress/", HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 1s"' in queued  # it polls while the job waits
    run_import(job.pk, "test")
    done = client.get(f"/imports/{job.pk}/").content.decode()
    assert 'id="count-added">4<' in done
    assert 'id="count-refused">1<' in done
    assert "不是 http 或 https 地址" in done  # the place: bookmark, said in Chinese
    report = client.get(f"/imports/{job.pk}/report.csv")
    rows = list(csv.reader(io.StringIO(b"".join(report.streaming_content).decode())))
    assert rows[0] == ["outcome", "line", "entry", "reason"]
    assert rows[1][:2] == ["拒收", "13"]
    essay = Link.objects.get(url="https://example.org/essay")
    assert {t.name for t in essay.tags.all()} == {"Reading", "longread", "essays", "浏览器", "旧"}


@pytest.mark.parametrize(
    ("language", "content", "status", "message"),
    [
        ("zh-hans", b"", 400, "文件是空的"),
        ("en", b"", 400, "the file is empty"),
        ("zh-hans", b"%PDF-1.5 ...", 400, "这不是 LinkHome 能读取的书签文件"),
        ("en", b"hello", 400, "this is not a bookmark file LinkHome can read"),
    ],
)
def test_a_wrong_file_is_told_at_once_in_the_readers_language(
    owner, language, content, status, message
):
    response = signed_in(owner, language).post("/imports/", {"file": upload("x.html", content)})
    assert response.status_code == status
    assert message in response.content.decode()
    assert not ImportJob.objects.exists()


@override_settings(IMPORT_MAX_BYTES=50)
def test_a_file_too_large_is_refused_at_once(owner):
    response = signed_in(owner).post("/imports/", {"file": upload("chrome.html")})
    assert response.status_code == 413
    assert "文件超过了 50 bytes 的上限" in response.content.decode()
    api = Client(HTTP_AUTHORIZATION=f"Bearer {create_token(owner, 't').key}")
    response = api.post("/api/imports", {"file": upload("chrome.html")})
    assert response.status_code == 413


def test_nobody_else_sees_an_import(owner, other_user):
    job = ImportJob.objects.create(owner=owner, stored_name="x", format="netscape")
    client = signed_in(other_user)
    for path in (
        f"/imports/{job.pk}/",
        f"/imports/{job.pk}/progress/",
        f"/imports/{job.pk}/report.csv",
    ):
        assert client.get(path).status_code == 404
    assert Client().get(f"/imports/{job.pk}/").status_code == 302  # to sign in
    assert Client().get("/imports/").status_code == 302  # to sign in
    token = create_token(other_user, "t").key
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api.get(f"/api/imports/{job.pk}").status_code == 404


def test_the_api_takes_a_file_and_reports_the_job(owner):
    api = Client(HTTP_AUTHORIZATION=f"Bearer {create_token(owner, 't').key}")
    response = api.post(
        "/api/imports",
        {"file": upload("pinboard.json"), "tags": ["pb", "api"], "visibility": "private"},
    )
    assert response.status_code == 201, response.content
    job = response.json()
    assert (job["status"], job["format"]) == ("queued", "pinboard-json")
    run_import(job["id"], "test")
    job = api.get(f"/api/imports/{job['id']}").json()
    assert (job["status"], job["added"], job["refused"], job["progress"]) == ("done", 2, 1, 1.0)
    assert job["captures_queued"] == 2 and job["captures_finished"] == 0
    report = api.get(job["report_url"])
    assert b"no address in this entry" in b"".join(report.streaming_content)
    assert set(Link.objects.values_list("visibility", flat=True)) == {"private"}
    bad = api.post(
        "/api/imports", {"file": upload("x", b"not bookmarks")}, HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert bad.status_code == 400 and "这不是" in bad.json()["detail"]


def test_the_api_exports_only_your_links(owner, other_user):
    add_link(owner, "https://example.com/mine", tags=["a"], visibility="private", note="n")
    add_link(other_user, "https://example.com/theirs", tags=["a"])
    api = Client(HTTP_AUTHORIZATION=f"Bearer {create_token(owner, 't').key}")
    for kind in ("netscape", "json", "csv"):
        response = api.get(f"/api/export?format={kind}&tag=a")
        body = b"".join(response.streaming_content).decode()
        assert response.status_code == 200
        assert "example.com/mine" in body and "theirs" not in body
        assert response["Content-Disposition"].startswith("attachment")
    assert Client().get("/api/export").status_code == 401
    assert (
        json.loads(b"".join(api.get("/api/export?format=json").streaming_content))["links"][0][
            "visibility"
        ]
        == "private"
    )


def test_the_export_page_streams_a_download(owner):
    add_link(owner, "https://example.com/page", tags=["x"], title="标题")
    client = signed_in(owner)
    assert "导出书签" in client.get("/export/").content.decode()
    response = client.get("/export/download/?format=netscape&tags=%20x%2C")
    body = b"".join(response.streaming_content).decode()
    assert '<A HREF="https://example.com/page"' in body and "标题" in body


def test_the_cli_imports_and_exports(owner, tmp_path, capsys):
    assert main(["import", str(DATA / "linkding.html"), "--tag", "cli", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert (result["status"], result["added"], result["format"]) == ("done", 2, "netscape")
    assert main(["import", str(DATA / "list.txt")]) == 0
    out, err = capsys.readouterr()
    assert "not an address" in err  # the refused line, with its reason
    target = tmp_path / "out.csv"
    assert main(["export", "--format", "csv", "--tag", "cli", "-o", str(target)]) == 0
    rows = list(csv.DictReader(target.open(encoding="utf-8")))
    assert {row["url"] for row in rows} == {
        "https://github.com/sissbruecker/linkding",
        "https://example.com/private",
    }
    assert main(["export", "--format", "json", "-o", "-"]) == 0
    exported = json.loads(capsys.readouterr().out)
    assert len(exported["links"]) == 4  # mailto: and a line of words were refused
    assert main(["import", str(tmp_path / "missing.html")]) == 1
    assert main(["import", str(DATA / "README.md")]) == 1
