"""`linkhome storage migrate --to s3|file` in real processes, against a real S3 server (moto on
127.0.0.1): killed half-way and run again it finishes, every blob verified by sha256; an
object damaged in the destination is found and copied again; and back to a folder."""

import json
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time

from linkhome.testing.processes import linkhome_env, run_cli

# Puts blobs into the instance's store in use: page bodies, copies compressed against them
# (base), binary ones, and one past the 8 MiB spool. Run in the instance's own process.
FILL = """
import os, random
from linkhome.bootstrap import ready
ready()
from linkhome.storage.blobs import put_blob
random.seed(13)
for n in range(20):
    page = ("<p>第%d页：经济体制改革是一项复杂的系统工程。</p>" % n * 30).encode()
    base = put_blob(page, "text/html").sha256
    put_blob(page.replace(b"<p>", b"<p class=x>", 3), "text/html", base=base)
    put_blob(random.randbytes(3000), "image/png")
put_blob(random.randbytes(9 * 1024 * 1024), "application/octet-stream")
"""
# Reads every blob back from the store in use and checks its name; prints how many.
CHECK = """
import json
from linkhome.bootstrap import ready
ready()
from linkhome.storage.blobs import read_blob, sha256_hex
from linkhome.storage.models import Blob
names = list(Blob.objects.values_list("sha256", flat=True))
bad = [sha for sha in names if sha256_hex(read_blob(sha)) != sha]
print(json.dumps({"blobs": len(names), "bad": bad}))
"""
TOTAL = 20 * 3 + 1


def run_python(env: dict, code: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def check(env: dict) -> dict:
    return json.loads(run_python(env, CHECK).splitlines()[-1])


def test_migrate_to_s3_resumes_after_a_kill_verifies_and_comes_back(tmp_path, s3_server):
    bucket = f"migrate-{secrets.token_hex(4)}"
    s3_server.create_bucket(bucket)
    on_s3 = linkhome_env(tmp_path / "data", LANGUAGE="en", **s3_server.env(bucket))
    on_disk = {**on_s3, "LINKHOME_STORAGE": "file"}
    run_python(on_disk, FILL)

    command = [sys.executable, "-m", "linkhome.cli.main", "storage", "migrate", "--to", "s3"]
    first = subprocess.Popen(command, env=on_disk, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while len(s3_server.keys(bucket)) < 10 and time.monotonic() < deadline:
        time.sleep(0.02)
    first.send_signal(signal.SIGKILL)
    first.wait()
    copied_before_the_kill = len(s3_server.keys(bucket))
    assert 10 <= copied_before_the_kill < TOTAL

    second = counts(run_cli(on_disk, "storage", "migrate", "--to", "s3"))
    assert second["total"] == TOTAL and second["copied"] + second["there"] == TOTAL
    assert second["there"] >= copied_before_the_kill - 1  # at most one cut short is redone
    assert len(s3_server.keys(bucket)) == TOTAL

    # A damaged object in the destination is not "already there": it is copied again.
    damaged = sorted(s3_server.keys(bucket))[5]
    s3_server.client().put_object(Bucket=bucket, Key=damaged, Body=b"not the blob")
    third = counts(run_cli(on_disk, "storage", "migrate", "--to", "s3"))
    assert (third["copied"], third["there"]) == (1, TOTAL - 1)

    shutil.rmtree(tmp_path / "data" / "blobs")  # from now on only the bucket has them
    assert check(on_s3) == {"blobs": TOTAL, "bad": []}
    back = run_cli(on_s3, "storage", "migrate", "--to", "file")
    assert counts(back)["copied"] == TOTAL and "set LINKHOME_STORAGE=file" in back.stdout
    assert check(on_disk) == {"blobs": TOTAL, "bad": []}


def counts(result: subprocess.CompletedProcess) -> dict[str, int]:
    assert result.returncode == 0, result.stderr
    found = re.search(r"(\d+) blobs: (\d+) copied .*, (\d+) already there", result.stdout)
    assert found, result.stdout
    return dict(zip(("total", "copied", "there"), map(int, found.groups()), strict=True))


def test_s3_without_a_bucket_fails_loudly(tmp_path):
    env = linkhome_env(tmp_path / "data", LINKHOME_STORAGE="s3")
    env.pop("LINKHOME_S3_BUCKET", None)
    result = run_cli(env, "list")
    assert result.returncode == 1 and "LINKHOME_S3_BUCKET" in result.stderr
    no_store = run_cli(linkhome_env(tmp_path / "data"), "storage", "migrate", "--to", "s3")
    assert no_store.returncode == 1 and "LINKHOME_S3_BUCKET" in no_store.stderr
