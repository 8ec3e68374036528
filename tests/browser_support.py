"""What the browser-mode tests share: Chromium required in CI, pages, artifact readers."""

import io
import struct
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from linkhome.archive.artifacts import artifact_bytes
from linkhome.archive.models import Snapshot
from linkhome.testing.fixtures import require_installed

CHROMIUM = Path("/usr/bin/chromium")
HTML = [("Content-Type", "text/html; charset=utf-8")]
PNG_1PX = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000185d4c1e90000000049454e44ae426082"
)


def require_chromium() -> None:
    require_installed(CHROMIUM, "scripts/ensure-chromium.sh")


@pytest.fixture
def browser_mode(settings):  # noqa: ANN001, ANN201 - pytest-django's settings fixture
    """Browser mode on for every HTML page (tests/django_settings.py turns it off)."""
    require_chromium()
    settings.BROWSER = "always"
    return settings


def artifacts_of(snapshot: Snapshot) -> dict:
    return {a.kind: a for a in snapshot.artifacts.all()}


def content_of(snapshot: Snapshot, kind: str) -> bytes:
    artifact = artifacts_of(snapshot)[kind]
    assert artifact.status == "ok", (kind, artifact.status, artifact.error)
    return artifact_bytes(artifact)


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", data[:16]
    return struct.unpack(">II", data[16:24])


def webp_width(data: bytes) -> int:
    """Width of a WebP: extended (VP8X, with an ICC profile), lossy (VP8) or lossless."""
    assert data[:4] == b"RIFF" and data[8:12] == b"WEBP", data[:16]
    chunk = data[12:16]
    if chunk == b"VP8X":
        return int.from_bytes(data[24:27], "little") + 1
    if chunk == b"VP8 ":
        return struct.unpack("<H", data[26:28])[0] & 0x3FFF
    assert chunk == b"VP8L", chunk
    bits = int.from_bytes(data[21:25], "little")
    return (bits & 0x3FFF) + 1


def warc_records(data: bytes) -> list[tuple[str, str]]:
    """(record type, target URI) of every record of a WARC."""
    return [
        (record.rec_type, record.rec_headers.get_header("WARC-Target-URI") or "")
        for record in ArchiveIterator(io.BytesIO(data))
    ]


def served(server, path: str) -> int:  # noqa: ANN001 - LocalHTTPServer
    """How many times the fixture server was asked for `path`."""
    return sum(1 for _method, asked, _headers in server.requests if asked.split("?")[0] == path)


def chromium_pids(ancestor: int) -> list[int]:
    """Browser (not renderer) processes of Chromium started under process `ancestor`."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue  # gone meanwhile
        is_browser = b"--remote-debugging-pipe" in cmdline and not any(
            arg.startswith(b"--type=")
            for arg in cmdline  # renderers, GPU, zygotes
        )
        if is_browser and ancestor in _ancestors(int(entry.name)):
            found.append(int(entry.name))
    return found


def _ancestors(pid: int) -> list[int]:
    chain = []
    while pid > 1:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            break
        pid = int(stat.rsplit(")", 1)[1].split()[1])
        chain.append(pid)
    return chain
