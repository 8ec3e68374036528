"""Content-addressed blob store over a Django Storage backend.

Identical bytes are stored once: the name is the sha256 of the content. Blobs that
compress well are kept zstd-compressed; a blob derived from another one (its "base") is
compressed with the base as a dictionary, so a page's decoded copy, its single file and
its WARC cost little more than what they add to the page body. Readers always get the
original bytes.
"""

import functools
import hashlib
import os
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from backports import zstd  # Python 3.14's compression.zstd, for 3.11+
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages
from django.db import IntegrityError, transaction

from linkhome.storage.models import Blob, BlobReference

# Below this size compression costs more than it saves (headers, per-file overhead).
MIN_COMPRESS_SIZE = 512
COMPRESSIBLE_PREFIXES = ("text/", "application/json", "application/xml", "image/svg")
COMPRESSIBLE_TYPES = {"application/javascript", "application/warc", "application/xhtml+xml"}
# zstd refuses a dictionary shorter than this; an empty or tiny page body has nothing to
# share with what is derived from it anyway, so those are compressed on their own.
MIN_BASE_SIZE = 8
# Level 9 is ~1.5x gzip -6's speed on HTML here and ~10% smaller; higher levels cost
# more than they save on the capture hot path.
ZSTD_LEVEL = 9


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
    mime = mime.split(";")[0].strip().lower()
    return mime.startswith(COMPRESSIBLE_PREFIXES) or mime in COMPRESSIBLE_TYPES


def put_blob(
    data: bytes,
    mime: str = "application/octet-stream",
    *,
    base: str = "",
    refs: Iterable[str] = (),
) -> StoredBlob:
    """Store bytes once; a second put of the same bytes only returns the existing name.

    `base` names a stored blob this one is mostly made of (a decoded or trimmed copy);
    `refs` the stored blobs its content cannot be read whole without (BlobReference)."""
    digest = sha256_hex(data)
    if Blob.objects.filter(sha256=digest).exists():
        return StoredBlob(digest, len(data), created=False)
    base = base if _usable_base(base, digest) and should_compress(data, mime) else ""
    payload, compression = _compress(data, mime, base)
    _write_file(blob_path(digest), payload)
    row = Blob(
        sha256=digest,
        size=len(data),
        stored_size=len(payload),
        compression=compression,
        base=base,
    )
    created = _record(row, set(refs) - {digest, ""})
    return StoredBlob(digest, len(data), created=created)


def _usable_base(base: str, digest: str) -> bool:
    if not base or base == digest:
        return False
    return Blob.objects.filter(sha256=base, size__gte=MIN_BASE_SIZE).exists()


def _compress(data: bytes, mime: str, base: str) -> tuple[bytes, str]:
    if base:
        return zstd.compress(data, level=ZSTD_LEVEL, zstd_dict=_dictionary(base)), "zstd"
    if should_compress(data, mime):
        return zstd.compress(data, level=ZSTD_LEVEL), "zstd"
    return data, ""


@functools.lru_cache(maxsize=16)
def _dictionary(base: str) -> zstd.ZstdDict:
    # A capture compresses four or five blobs against the same page body: read it once.
    return zstd.ZstdDict(read_blob(base), is_raw=True)


def _write_file(path: str, payload: bytes) -> None:
    """Write under a temporary name, then rename into place.

    A file without a Blob row may be half-written by a worker that was killed, so it is
    never trusted: it is replaced. The rename is atomic, so readers see all or nothing."""
    storage = blob_storage()
    temporary = storage.save(f"{path}.{secrets.token_hex(8)}.part", ContentFile(payload))
    os.replace(storage.path(temporary), storage.path(path))


def _record(row: Blob, refs: set[str]) -> bool:
    try:
        with transaction.atomic():
            row.save(force_insert=True)
            BlobReference.objects.bulk_create(
                [BlobReference(source_id=row.sha256, target_id=target) for target in sorted(refs)]
            )
    except IntegrityError:
        # Two workers may store the same asset at the same moment; the loser just reuses
        # it. A reference to a blob deleted meanwhile (storage.collect) is not that case:
        # the caller must fail rather than keep something unreadable.
        if not Blob.objects.filter(sha256=row.sha256).exists():
            raise
        return False
    return True


def read_blob(sha256: str) -> bytes:
    blob = Blob.objects.get(sha256=sha256)
    with blob_storage().open(blob_path(sha256), "rb") as handle:
        payload = handle.read()
    if blob.compression != "zstd":
        return payload
    if blob.base:
        return zstd.decompress(payload, zstd_dict=_dictionary(blob.base))
    return zstd.decompress(payload)
