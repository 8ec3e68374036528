"""Moving an archive's blobs from one store to the other (`linkhome storage migrate`).

Every blob named by a row is copied in its stored form (compressed as it is, under the same
name) and then read back from the destination, decompressed and hashed: it counts as moved
only when its content's sha256 is its name. A blob already in the destination is verified
the same way and left alone when it is right (copied again when it is not), so a migration
that was killed is simply run again: what it had done is checked, not redone. Each object is
written whole or not at all (storage.blobs.write_object), so a kill never leaves a
destination object that looks complete. The source is never changed.

Blobs that no base depends on go first, so a blob compressed against a page body is only
ever verified after that body (its dictionary) is in place.
"""

import hashlib
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import Storage, storages

from linkhome.storage.blobs import (
    CHUNK_BYTES,
    SPOOL_BYTES,
    StoreUnavailable,
    blob_path,
    open_stored,
    write_object,
)
from linkhome.storage.models import Blob

KINDS = ("file", "s3")


@dataclass
class Migration:
    total: int = 0
    copied: int = 0
    already_there: int = 0  # found in the destination and verified
    copied_bytes: int = 0  # stored (compressed) bytes written
    missing: list[str] = field(default_factory=list)  # not in the source: nothing to copy


class NotVerified(RuntimeError):
    """A copied object did not read back as its blob: the destination is not to be trusted."""


Progress = Callable[[int, int], None]  # (blobs done, all blobs)


def store(kind: str) -> Storage:
    if kind not in settings.BLOB_STORES:
        raise ImproperlyConfigured(
            f"the {kind} blob store is not configured (for s3: LINKHOME_S3_BUCKET)"
        )
    return storages.create_storage(settings.BLOB_STORES[kind])


def migrate_blobs(to: str, progress: Progress | None = None) -> Migration:
    """Copy every blob from the other store into `to` ("file" or "s3"), verifying each."""
    if to not in KINDS:
        raise ValueError(f"unknown blob store {to!r}")
    source, target = store(KINDS[1 - KINDS.index(to)]), store(to)
    result = Migration(total=Blob.objects.count())
    for done, blob in enumerate(_in_order(), start=1):
        if _verified(blob, target):
            result.already_there += 1
        elif _copy(blob, source, target):
            result.copied += 1
            result.copied_bytes += blob.stored_size
        else:
            result.missing.append(blob.sha256)
        if progress:
            progress(done, result.total)
    return result


def _in_order() -> Iterator[Blob]:
    # Bases first (see the module's doc); by name, so a second run walks the same order.
    yield from Blob.objects.filter(base="").order_by("sha256").iterator(chunk_size=500)
    yield from Blob.objects.exclude(base="").order_by("sha256").iterator(chunk_size=500)


def _verified(blob: Blob, storage: Storage) -> bool:
    """The object in `storage` decompresses to content whose sha256 is the blob's name."""
    try:
        digest, size = _digest(blob, storage)
    except StoreUnavailable:
        raise
    except Exception:  # noqa: BLE001 - not there (one request fewer than asking first), or
        return False  # damaged: garbage, or a frame that does not inflate
    return digest == blob.sha256 and size == blob.size


def _digest(blob: Blob, storage: Storage) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with open_stored(blob, storage) as stream:
        while chunk := stream.read(CHUNK_BYTES):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def _copy(blob: Blob, source: Storage, target: Storage) -> bool:
    path = blob_path(blob.sha256)
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as spool:
        try:
            with source.open(path, "rb") as stored:
                shutil.copyfileobj(stored, spool, CHUNK_BYTES)
        except Exception:
            if source.exists(path):
                raise
            return False
        write_object(target, path, spool)
    if not _verified(blob, target):
        raise NotVerified(f"blob {blob.sha256} does not read back as itself from the destination")
    return True
