"""Peak Python allocations (tracemalloc) storing and reading back one 48 MB blob
(`application/warc`, half random bytes, so zstd compresses it to about half), in a folder and
on S3 (moto in server mode on 127.0.0.1). Each store runs in its own process, whose S3 client
is made before measuring (boto3 loads its S3 model, ~12 MiB, once per process).
Prints one JSON line per store; asserts nothing. Usage: python bench/storage_alloc.py
"""

import json
import os
import subprocess
import sys
import tempfile
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def measure() -> dict:
    from linkhome.bootstrap import ready

    ready()
    from linkhome.storage.blobs import blob_storage, open_blob, put_blob_file

    blob_storage().exists("warm/up")
    with tempfile.TemporaryFile() as source:
        for _ in range(48):
            source.write(os.urandom(512 * 1024) + b"<p>text</p>" * 47662)
        tracemalloc.start()
        stored = put_blob_file(source, "application/warc")
        put_peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    tracemalloc.start()
    size = 0
    with open_blob(stored.sha256) as stream:
        while chunk := stream.read(1024 * 1024):
            size += len(chunk)
    read_peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return {
        "store": os.environ["LINKHOME_STORAGE"],
        "blob_mib": round(size / 2**20, 1),
        "put_peak_mib": round(put_peak / 2**20, 1),
        "read_peak_mib": round(read_peak / 2**20, 1),
    }


def main() -> None:
    from linkhome.testing.s3 import S3Server

    with S3Server() as s3:
        s3.create_bucket("alloc-bench")
        for kind in ("file", "s3"):
            env = {
                **os.environ,
                **s3.env("alloc-bench"),
                "LINKHOME_STORAGE": kind,
                "LINKHOME_DATA_DIR": tempfile.mkdtemp(prefix="linkhome-alloc-"),
                "DJANGO_SETTINGS_MODULE": "linkhome.settings",
            }
            env.pop("DATABASE_URL", None)
            run = subprocess.run(
                [sys.executable, __file__, "--measure"], env=env, capture_output=True, text=True
            )
            print(run.stdout.strip() or run.stderr[-2000:])


if __name__ == "__main__":
    if "--measure" in sys.argv:
        print(json.dumps(measure()))
    else:
        main()
