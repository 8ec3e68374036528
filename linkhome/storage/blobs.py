"""Content-addressed blob store over a Django Storage backend.

Identical bytes are stored once: the name is the sha256 of the content. Blobs that
compress well are kept gzip-compressed on disk; readers always get the original bytes.
"""

import gzip
import hashlib
import os
import secrets
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages
from django.db import IntegrityError, transaction

from linkhome.storage.models import Blob

# Below this size compression costs more than it saves (headers, per-file overhead).
MIN_COMPRESS_SIZE = 512
COMPRESSIBLE_PREFIXES = ("text/", "application/json", "application/xml", "image/svg")
COMPRESSIBLE_TYPES = {"application/javascript", "application/warc", "application/xhtml+xml"}


@dataclass(frozen=True)
class StoredBlob:
    sha256: str
    size: int
    created: bool


def blob_storage() -> Storage:
    return storages["blobs"]


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def blob_path(sha256: str) -> str:
    return f"{sha256[:2]}/{sha256[2:4]}/{sha256}"


def should_compress(data: bytes, mime: str) -> bool:
    if len(data) < MIN_COMPRESS_SIZE:
        return False
    return mime.startswith(COMPRESSIBLE_PREFIXES) or mime in COMPRESSIBLE_TYPES


def put_blob(data: bytes, mime: str = "application/octet-stream") -> StoredBlob:
    """Store bytes once; a second put of the same bytes only returns the existing name."""
    digest = sha256_hex(data)
    if Blob.objects.filter(sha256=digest).exists():
        return StoredBlob(digest, len(data), created=False)
    compression = "gzip" if should_compress(data, mime) else ""
    payload = gzip.compress(data, compresslevel=6, mtime=0) if compression else data
    _write_file(blob_path(digest), payload)
    return StoredBlob(digest, len(data), created=_record(digest, data, payload, compression))


def _write_file(path: str, payload: bytes) -> None:
    """Write under a temporary name, then rename into place.

    A file without a Blob row may be half-written by a worker that was killed, so it is
    never trusted: it is replaced. The rename is atomic, so readers see all or nothing."""
    storage = blob_storage()
    temporary = storage.save(f"{path}.{secrets.token_hex(8)}.part", ContentFile(payload))
    os.replace(storage.path(temporary), storage.path(path))


def _record(digest: str, data: bytes, payload: bytes, compression: str) -> bool:
    # Two workers may store the same asset at the same moment; the loser just reuses it.
    try:
        with transaction.atomic():
            Blob.objects.create(
                sha256=digest, size=len(data), stored_size=len(payload), compression=compression
            )
    except IntegrityError:
        return False
    return True


def read_blob(sha256: str) -> bytes:
    blob = Blob.objects.get(sha256=sha256)
    with blob_storage().open(blob_path(sha256), "rb") as handle:
        payload = handle.read()
    return gzip.decompress(payload) if blob.compression == "gzip" else payload


def delete_blob(sha256: str) -> None:
    blob_storage().delete(blob_path(sha256))
    Blob.objects.filter(sha256=sha256).delete()
