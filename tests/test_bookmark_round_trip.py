"""Export, then import into a fresh instance: the same links, tags, notes, visibility and
saved dates, for each export format. Real `linkhome` processes on two data directories;
the exported HTML is also read with lxml, a parser independent of the importer's."""

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from lxml import etree

from linkhome.lib.bookmarks import Entry, netscape_document
from linkhome.testing.processes import linkhome_env, run_cli

ENTRIES = [
    Entry(
        url="https://example.com/a?q=1&x=中文",
        title='第一篇 & <特殊> "引号"',
        note="一条笔记\n第二行 & <b>",
        tags=("技术", "Python", "a/b %20"),
        saved_at=datetime(2012, 3, 4, 5, 6, 7, tzinfo=UTC),
        private=True,
    ),
    Entry(
        url="https://example.org/plain", title="Plain", saved_at=datetime(2020, 1, 1, tzinfo=UTC)
    ),
    Entry(
        url="http://例子.测试/路径",
        title="IDN host",
        tags=("emoji 🎉",),
        saved_at=datetime(2015, 6, 7, 8, 9, 10, tzinfo=UTC),
        private=False,
    ),
]


def links_of(env: dict, tmp: Path, name: str) -> list[dict]:
    out = tmp / f"{name}.json"
    result = run_cli(env, "export", "--format", "json", "-o", str(out))
    assert result.returncode == 0, result.stderr
    links = json.loads(out.read_text(encoding="utf-8"))["links"]
    for link in links:
        link.pop("snapshots")
        link["tags"] = sorted(link["tags"])
    return sorted(links, key=lambda link: link["url"])


@pytest.fixture
def source(tmp_path) -> tuple[dict, list[dict]]:
    env = linkhome_env(tmp_path / "a")
    path = tmp_path / "source.html"
    path.write_text("".join(netscape_document(ENTRIES)), encoding="utf-8")
    result = run_cli(env, "import", str(path), "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["added"] == len(ENTRIES)
    return env, links_of(env, tmp_path, "a")


@pytest.mark.parametrize("kind", ["netscape", "json", "csv"])
def test_export_then_import_gives_the_same_links(tmp_path, source, kind):
    env, original = source
    assert len(original) == len(ENTRIES)
    assert {link["visibility"] for link in original} == {"public", "private"}
    exported = tmp_path / f"export.{kind}"
    assert run_cli(env, "export", "--format", kind, "-o", str(exported)).returncode == 0
    fresh = linkhome_env(tmp_path / f"b-{kind}")
    result = run_cli(fresh, "import", str(exported), "--json")
    assert result.returncode == 0, result.stderr
    job = json.loads(result.stdout)
    assert (job["added"], job["refused"], job["duplicates"]) == (len(ENTRIES), 0, 0)
    assert links_of(fresh, tmp_path, f"b-{kind}") == original


def test_the_exported_html_reads_the_same_in_lxml(tmp_path, source):
    env, original = source
    exported = tmp_path / "export.html"
    assert run_cli(env, "export", "-o", str(exported)).returncode == 0
    anchors = etree.parse(str(exported), etree.HTMLParser(encoding="utf-8")).iter("a")
    seen = sorted(
        (
            a.get("href"),
            " ".join("".join(a.itertext()).split()),
            sorted(t for t in a.get("tags").split(",") if t),
            datetime.fromtimestamp(int(a.get("add_date")), UTC).isoformat(),
            "private" if a.get("private") == "1" else "public",
        )
        for a in anchors
    )
    assert seen == [
        (
            link["url"],
            link["title"],
            link["tags"],
            datetime.fromisoformat(link["saved_at"]).astimezone(UTC).isoformat(),
            link["visibility"],
        )
        for link in original
    ]
