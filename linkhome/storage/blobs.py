"""Content-addressed blob store over a Django Storage backend.

Identical bytes are stored once: the name is the sha256 of the content. Blobs that
compress well are kept zstd-compressed; a blob derived from another one (its "base") is
compressed with the base as a dictionary, so a page's decoded copy, its single file and
its WARC cost little more than what they add to the page body. Readers always get the
original bytes.

The store is a Django Storage: a folder (FileSystemStorage) or an S3 bucket (django-storages).
Bytes go to it and come back as streams: a blob is hashed, compressed and uploaded from a
(spooled) temporary file, and read back through one, so a 50 MB WARC is never whole in
memory here. A blob's row is written only once its object is complete in the store, so a row
always names something readable; an object without a row (an upload cut short, a worker
killed between the two) is never trusted and is written again by the next put.
"""

import functools
import hashlib
import io
import os
import secrets
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO, BinaryIO, cast

from backports import zstd  # Python 3.14's compression.zstd, for 3.11+
from django.core.files.base import File
from django.core.files.storage import FileSystemStorage, Storage, storages
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
# Streams move in pieces this big; what is bigger than SPOOL_BYTES waits on disk, not in memory.
CHUNK_BYTES = 1024 * 1024
SPOOL_BYTES = 8 * 1024 * 1024


class StoreUnavailable(OSError):
    """The blob store did not answer (S3 unreachable, timing out, or failing with a 5xx).
    Nothing was recorded for the blob being written: a capture is retried later."""


@contextmanager
def _store_io(what: str) -> Iterator[None]:
    try:
        yield
    except Exception as exc:
        if _is_outage(exc):
            raise StoreUnavailable(f"the blob store is unavailable ({what}: {exc})") from exc
        raise


def _is_outage(exc: Exception) -> bool:
    if isinstance(exc, ConnectionError | TimeoutError):
        return True
    if not type(exc).__module__.startswith(("botocore", "boto3", "s3transfer", "urllib3")):
        return False
    from botocore.exceptions import BotoCoreError, ClientError  # only with S3 in use

    if isinstance(exc, ClientError):
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
        return status >= 500 or status == 429
    return isinstance(exc, BotoCoreError)


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
    return _compressible(len(data), mime)


def _compressible(size: int, mime: str) -> bool:
    if size < MIN_COMPRESS_SIZE:
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
    return put_blob_file(io.BytesIO(data), mime, base=base, refs=refs)


def put_blob_file(
    source: IO[bytes],
    mime: str = "application/octet-stream",
    *,
    base: str = "",
    refs: Iterable[str] = (),
) -> StoredBlob:
    """put_blob for a seekable binary file, read from its start in pieces (a spooled WARC)."""
    digest, size = _hash(source)
    if Blob.objects.filter(sha256=digest).exists():
        return StoredBlob(digest, size, created=False)
    compression, stored_size = "", size
    if not _compressible(size, mime):  # stored as it is, straight from the source
        base = ""
        write_object(blob_storage(), blob_path(digest), source)
    else:
        base = base if _usable_base(base, digest) else ""
        with _spooled() as payload:
            compression = _compress_into(source, size, payload, base=base)
            stored_size = payload.tell()
            write_object(blob_storage(), blob_path(digest), payload)
    row = Blob(
        sha256=digest,
        size=size,
        stored_size=stored_size,
        compression=compression,
        base=base,
    )
    created = _record(row, set(refs) - {digest, ""})
    return StoredBlob(digest, size, created=created)


def _chunks(source: IO[bytes]) -> Iterator[bytes]:
    while chunk := source.read(CHUNK_BYTES):
        yield chunk


def _hash(source: IO[bytes]) -> tuple[str, int]:
    source.seek(0)
    digest, size = hashlib.sha256(), 0
    for chunk in _chunks(source):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


@contextmanager
def _spooled() -> Iterator[BinaryIO]:
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as spool:
        yield spool  # type: ignore[misc]  # a SpooledTemporaryFile is a binary file


def _usable_base(base: str, digest: str) -> bool:
    if not base or base == digest:
        return False
    return Blob.objects.filter(sha256=base, size__gte=MIN_BASE_SIZE).exists()


def _compress_into(source: IO[bytes], size: int, out: IO[bytes], *, base: str) -> str:
    """Compress `source` into `out` with zstd (against `base`, if any); the method."""
    source.seek(0)
    compressor = (
        zstd.ZstdCompressor(level=ZSTD_LEVEL, zstd_dict=_dictionary(base))
        if base
        else zstd.ZstdCompressor(level=ZSTD_LEVEL)
    )
    compressor.set_pledged_input_size(size)  # the frame then says how large the content is
    for chunk in _chunks(source):
        out.write(compressor.compress(chunk))
    out.write(compressor.flush())
    return "zstd"


@functools.lru_cache(maxsize=16)
def _dictionary(base: str) -> zstd.ZstdDict:
    # A capture compresses four or five blobs against the same page body: read it once.
    return zstd.ZstdDict(read_blob(base), is_raw=True)


def is_local(storage: Storage) -> bool:
    return isinstance(storage, FileSystemStorage)


def write_object(storage: Storage, path: str, payload: IO[bytes]) -> None:
    """Put a stored form in place whole, or not at all.

    A folder: written under a temporary name, then renamed into place (atomic), since a
    file without a Blob row may be half-written by a worker that was killed. S3: one upload
    (multipart past s3transfer's threshold) makes the object appear only when it is complete;
    one cut short leaves nothing under the name."""
    payload.seek(0)
    with _store_io(f"writing {path}"):
        _write(storage, path, payload)


def _write(storage: Storage, path: str, payload: IO[bytes]) -> None:
    if is_local(storage):
        temporary = storage.save(f"{path}.{secrets.token_hex(8)}.part", File(payload))
        os.replace(storage.path(temporary), storage.path(path))
    else:
        storage.save(path, File(payload))


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
    with open_blob(sha256) as handle:
        return handle.read()


@contextmanager
def open_blob(sha256: str, storage: Storage | None = None) -> Iterator[IO[bytes]]:
    """The blob's original bytes as a stream, decompressed as it is read."""
    blob = Blob.objects.get(sha256=sha256)
    with open_stored(blob, storage or blob_storage()) as stream:
        yield stream


@contextmanager
def open_stored(blob: Blob, storage: Storage) -> Iterator[IO[bytes]]:
    """The original bytes of `blob`'s stored form in `storage` (a base comes from the store in
    use: it is only a dictionary, and every store holds the same bytes under a name)."""
    with _store_io(f"reading {blob_path(blob.sha256)}"):
        stored = storage.open(blob_path(blob.sha256), "rb")
        stored.file  # noqa: B018 - S3 fetches the object here (to a spooled file), guarded
    with stored:
        if blob.compression != "zstd":
            yield stored
            return
        dictionary = _dictionary(blob.base) if blob.base else None
        with zstd.ZstdFile(cast(BinaryIO, stored), "rb", zstd_dict=dictionary) as stream:
            yield cast(IO[bytes], stream)
