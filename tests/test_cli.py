"""The `linkhome` command, run as a person would: a real process on a fresh data dir."""

import json
import subprocess
from pathlib import Path

import pytest

from linkhome.testing.processes import linkhome_env, run_cli
from tests.test_it_captures_a_page import serve_gbk_site


def linkhome(data_dir: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    # These tests read the English messages; without a locale the CLI speaks Chinese.
    return run_cli(linkhome_env(data_dir, LANGUAGE="en_US"), *args, stdin=stdin)


def test_add_wait_json_on_a_fresh_instance(http_server, tmp_path):
    result = linkhome(
        tmp_path, "add", serve_gbk_site(http_server), "--tag", "新闻", "--wait", "--json"
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == {"link", "snapshot"}
    assert data["link"]["tags"] == ["新闻"]
    snap = data["snapshot"]
    assert snap["status"] == "succeeded" and snap["charset"] == "gb18030"
    assert "朱镕基与张喆" in snap["title"] and snap["published"] == "2023-01-16"
    assert {a["kind"] for a in snap["artifacts"]} >= {
        "warc",
        "raw_html",
        "html",
        "single_file",
        "readable",
    }
    assert "created the account 'local'" in result.stderr


def test_show_and_list(http_server, tmp_path):
    added = json.loads(
        linkhome(tmp_path, "add", serve_gbk_site(http_server), "--wait", "--json").stdout
    )
    shown = json.loads(linkhome(tmp_path, "show", str(added["snapshot"]["id"]), "--json").stdout)
    assert shown["snapshot"]["text"] == added["snapshot"]["text"]
    listed = linkhome(tmp_path, "list", "--json").stdout.splitlines()
    assert json.loads(listed[0])["id"] == added["link"]["id"]


def test_many_urls_from_stdin(http_server, tmp_path):
    for n in range(3):
        http_server.route(
            f"/p{n}",
            body=f"<html><title>p{n}</title><p>page {n}</p></html>".encode(),
            headers=[("Content-Type", "text/html")],
        )
    urls = "\n".join(http_server.url(f"/p{n}") for n in range(3))
    result = linkhome(tmp_path, "add", "--file", "-", "--wait", "--json", stdin=urls)
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["snapshot"]["status"] for line in lines] == ["succeeded"] * 3


def test_errors_go_to_stderr_with_non_zero_exit(tmp_path):
    result = linkhome(tmp_path, "add", "javascript:alert(1)")
    assert result.returncode != 0 and "only http and https" in result.stderr
    missing = linkhome(tmp_path, "show", "999")
    assert missing.returncode == 1 and "no snapshot 999" in missing.stderr


@pytest.mark.parametrize("value", ["maybe", "2"])
def test_a_malformed_setting_stops_with_its_name(tmp_path, value):
    env_result = run_cli(linkhome_env(tmp_path, LINKHOME_ALLOW_PRIVATE_NETWORKS=value), "list")
    assert env_result.returncode != 0
    assert "LINKHOME_ALLOW_PRIVATE_NETWORKS" in env_result.stderr


def test_show_keeps_a_private_snapshot_from_other_accounts(http_server, tmp_path):
    http_server.route(
        "/p",
        body=b"<html><title>secret</title><p>x</p></html>",
        headers=[("Content-Type", "text/html")],
    )
    assert linkhome(tmp_path, "createuser", "alice", "--no-password").returncode == 0
    assert linkhome(tmp_path, "createuser", "bob", "--no-password").returncode == 0
    added = json.loads(
        linkhome(tmp_path, "add", http_server.url("/p"), "--private", "--json").stdout
    )
    sid = str(added["snapshot"]["id"])
    assert linkhome(tmp_path, "show", sid, "--user", "alice", "--json").returncode == 0
    other = linkhome(tmp_path, "show", sid, "--user", "bob", "--json")
    assert other.returncode == 1 and f"no snapshot {sid}" in other.stderr


def test_a_missing_url_file_is_a_clear_error(tmp_path):
    result = linkhome(tmp_path, "add", "--file", str(tmp_path / "nope.txt"))
    assert result.returncode == 1
    assert "cannot read" in result.stderr and "Traceback" not in result.stderr


def test_a_bad_port_setting_names_itself(tmp_path, monkeypatch):
    monkeypatch.setenv("LINKHOME_PORT", "abc")
    result = linkhome(tmp_path, "serve")
    assert (
        result.returncode == 1
        and "LINKHOME_PORT" in result.stderr
        and "Traceback" not in result.stderr
    )


def test_wait_requeues_a_capture_abandoned_by_a_dead_worker(http_server, tmp_path):
    """No worker alive and a snapshot stuck "running": --wait must finish it, not spin."""
    import sqlite3

    http_server.route(
        "/s", body=b"<html><title>s</title><p>x</p></html>", headers=[("Content-Type", "text/html")]
    )
    sid = json.loads(linkhome(tmp_path, "add", http_server.url("/s"), "--json").stdout)["snapshot"][
        "id"
    ]
    with sqlite3.connect(tmp_path / "linkhome.sqlite3") as db:
        db.execute(
            "UPDATE capture_snapshot SET status='running', worker_id='dead' WHERE id=?", (sid,)
        )
    result = linkhome(tmp_path, "add", http_server.url("/s"), "--wait", "--json")
    assert json.loads(result.stdout)["snapshot"]["status"] == "succeeded"


def test_a_very_long_address_is_not_echoed_back_whole(tmp_path):
    url = "https://example.com/" + "a" * 10_000
    result = linkhome(tmp_path, "add", url)
    assert result.returncode != 0 and "longer than" in result.stderr
    assert url[:120] + "… (10,020 characters)" in result.stderr
    assert len(result.stderr) < 400
