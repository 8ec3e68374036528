import pytest
from django.core.files.base import ContentFile

from linkhome.storage.blobs import blob_path, blob_storage, put_blob, read_blob, sha256_hex
from linkhome.storage.models import Blob

# Every test here runs against a folder and against a real S3 server (moto, 127.0.0.1).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("blob_store")]


def test_identical_bytes_are_stored_once_and_read_back():
    data = "中文内容 ".encode() * 500
    first, second = put_blob(data, "text/plain"), put_blob(data, "text/plain")
    assert first.created and not second.created
    assert Blob.objects.count() == 1 and read_blob(first.sha256) == data


def test_text_is_compressed_and_images_are_not():
    text = put_blob(b"hello world " * 1000, "text/html")
    image = put_blob(bytes(range(256)) * 40, "image/png")
    assert Blob.objects.get(sha256=text.sha256).compression == "zstd"
    assert Blob.objects.get(sha256=image.sha256).compression == ""


def test_a_half_written_file_from_a_killed_worker_is_replaced():
    data = b"x" * 25600
    # What a killed worker left, with no Blob row (on S3: an object written by hand).
    blob_storage().save(blob_path(sha256_hex(data)), ContentFile(data[:1000]))
    stored = put_blob(data, "application/octet-stream")
    assert read_blob(stored.sha256) == data


def test_a_blob_made_mostly_of_another_is_stored_as_the_difference():
    page = "".join(
        f"<p>第{n}段：经济体制改革是一项复杂的系统工程。</p>" for n in range(400)
    ).encode()
    base = put_blob(page, "text/html")
    derived = page.replace(b"<p>", b"<p class=x>", 3)
    stored = put_blob(derived, "text/html", base=base.sha256)
    row = Blob.objects.get(sha256=stored.sha256)
    assert row.base == base.sha256 and row.stored_size < 200
    assert read_blob(stored.sha256) == derived
