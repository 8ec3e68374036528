"""An exported WARC replays in pywb, the reference open-source replay tool: the page, its
stylesheet and its image come back at their original URLs with their original bytes, also
when the image of a later capture is a revisit record pointing into the first WARC, and
from an exported WACZ.

pywb lives in its own virtualenv (scripts/ensure-pywb.sh; it pins redis 2.x, which rq
cannot share). `wb-manager` builds a collection from the downloaded .warc.gz files and
`wayback` serves it on a free port of 127.0.0.1, stopped after the module's tests.
"""

import io
import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from warcio.archiveiterator import ArchiveIterator
from warcio.timeutils import iso_date_to_timestamp

from linkhome.archive.artifacts import artifact_bytes
from linkhome.archive.warc_export import gzip_per_record
from linkhome.links.exports import export_tag
from linkhome.testing.factories import captured
from linkhome.testing.fixtures import require_installed
from tests.archive_support import CSS, image, serve_site

pytestmark = pytest.mark.django_db(transaction=True)

PYWB_BIN = Path(__file__).resolve().parents[1] / ".venv-pywb" / "bin"
COLLECTION = "linkhome"
STARTUP_SECONDS = 30


@dataclass
class Wayback:
    root: Path
    base: str  # http://127.0.0.1:PORT/linkhome

    def add(self, warc: bytes, name: str) -> None:
        path = self.root / name
        path.write_bytes(warc)
        _wb_manager(self.root, "add", COLLECTION, str(path))

    def add_wacz(self, path: Path) -> None:
        _wb_manager(self.root, "add", "--unpack-wacz", COLLECTION, str(path))

    def get(self, timestamp: str, mode: str, url: str) -> httpx.Response:
        return httpx.get(f"{self.base}/{timestamp}{mode}/{url}", timeout=20)


@pytest.fixture(scope="module")
def pywb_installed() -> None:
    require_installed(PYWB_BIN / "wayback", "scripts/ensure-pywb.sh")


@pytest.fixture
def wayback(pywb_installed: None, tmp_path: Path) -> Iterator[Wayback]:
    _wb_manager(tmp_path, "init", COLLECTION)
    port = _free_port()
    process = subprocess.Popen(
        [str(PYWB_BIN / "wayback"), "-b", "127.0.0.1", "-p", str(port), "-a"],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: teardown stops it and its children
    )
    try:
        _wait_for_port(port, process)
        yield Wayback(tmp_path, f"http://127.0.0.1:{port}/{COLLECTION}")
    finally:
        _stop(process)


def _wb_manager(root: Path, *args: str) -> None:
    subprocess.run(
        [str(PYWB_BIN / "wb-manager"), *args], cwd=root, check=True, capture_output=True, timeout=60
    )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for_port(port: int, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"wayback exited with {process.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"wayback did not listen on {port} within {STARTUP_SECONDS} s")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def captured_warc(owner, url: str, **kwargs) -> bytes:
    """The snapshot's WARC as a person downloads it: gzip per record."""
    snapshot = captured(owner, url, **kwargs)
    return gzip_per_record(artifact_bytes(snapshot.artifacts.get(kind="warc")))


def timestamp_of(warc: bytes, url: str) -> str:
    for record in ArchiveIterator(io.BytesIO(warc)):
        if record.rec_type == "response" and record.rec_headers["WARC-Target-URI"] == url:
            return iso_date_to_timestamp(record.rec_headers["WARC-Date"])
    raise AssertionError(f"no response for {url}")


def test_the_page_and_its_assets_come_back_byte_for_byte(http_server, owner, wayback):
    url = serve_site(http_server)
    warc = captured_warc(owner, url)
    original = httpx.get(url).content
    http_server.close()  # from here on, only the archive can answer
    wayback.add(warc, "page.warc.gz")
    ts = timestamp_of(warc, url)
    page = wayback.get(ts, "id_", url)
    assert page.status_code == 200 and page.content == original
    assert wayback.get(ts, "id_", url.replace("page.html", "photo.png")).content == image()
    assert wayback.get(ts, "id_", url.replace("page.html", "site.css")).content == CSS


def test_the_rewritten_page_points_its_image_into_the_archive(http_server, owner, wayback):
    url = serve_site(http_server)
    warc = captured_warc(owner, url)
    wayback.add(warc, "page.warc.gz")
    ts = timestamp_of(warc, url)
    # mp_: the framed page itself, rewritten (no modifier answers the frame around it).
    rewritten = wayback.get(ts, "mp_", url)
    assert rewritten.status_code == 200
    assert "档案馆保存网页的原样" in rewritten.text
    image_url = url.replace("page.html", "photo.png")
    assert f"/{COLLECTION}/{ts}im_/{image_url}" in rewritten.text


def test_a_revisit_replays_from_the_first_capture(http_server, owner, wayback):
    first = captured_warc(owner, serve_site(http_server))
    second_url = serve_site(http_server, path="/second.html", title="Second")
    second = captured_warc(owner, second_url)
    assert "revisit" in {record.rec_type for record in ArchiveIterator(io.BytesIO(second))}
    wayback.add(first, "first.warc.gz")
    wayback.add(second, "second.warc.gz")
    image_url = second_url.replace("second.html", "photo.png")
    revisited = wayback.get(timestamp_of(second, second_url), "id_", image_url)
    assert revisited.status_code == 200 and revisited.content == image()


def test_an_exported_wacz_replays_its_pages(http_server, owner, wayback, tmp_path):
    first = serve_site(http_server, title="First")
    second = serve_site(http_server, path="/second.html", title="Second")
    for url in (first, second):
        captured_warc(owner, url, tags=["kept"])
    originals = {url: httpx.get(url).content for url in (first, second)}
    http_server.close()
    export_tag(owner, "kept", tmp_path / "kept.wacz")
    wayback.add_wacz(tmp_path / "kept.wacz")
    for url, body in originals.items():
        assert wayback.get("2", "id_", url).content == body  # any time: the nearest capture
    assert wayback.get("2", "id_", second.replace("second.html", "photo.png")).content == image()
