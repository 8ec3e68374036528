"""Removing blobs nothing needs any more, without breaking one that is still read.

A blob is needed while
- a row outside storage names it (an artifact): the caller says which, storage knows none;
- another blob is compressed against it (`Blob.base`): without it that one cannot be read;
- another blob's content refers to it (`BlobReference`): a packed single file's assets,
  the WARC that revisit records point into.
What a blob needs stays as long as the blob does, so deleting one can free what only it
needed (a single file's assets, a WARC's page body): the candidates grow along base and
references, and everything a surviving blob needs survives with it.
"""

import contextlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial

from django.core.files.storage import Storage
from django.db import transaction

from linkhome.storage.blobs import blob_path, blob_storage
from linkhome.storage.models import Blob, BlobReference

# Given blob names, the ones that rows outside storage (artifacts) still name.
InUse = Callable[[set[str]], set[str]]


@dataclass(frozen=True)
class Collected:
    blobs: int
    stored_bytes: int


def collect(candidates: Iterable[str], in_use: InUse) -> Collected:
    """Delete the candidate blobs nobody needs, and then what only they needed.

    Call it inside the transaction that dropped the references, after dropping them: the
    rows go with that transaction and the files once it commits, so a rollback leaves
    every blob readable."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("collect() must run inside the transaction that dropped references")
    needs = _needs_from(set(candidates) - {""})
    rows = _lock(set(needs))
    keep = _kept(set(rows), needs, in_use)
    doomed = [row for sha, row in rows.items() if sha not in keep]
    _delete(doomed)
    return Collected(len(doomed), sum(row.stored_size for row in doomed))


def _needs_from(start: set[str]) -> dict[str, set[str]]:
    """Every stored blob reachable from `start` along base and references, with its needs.

    A few rounds at most (WARC → WARC it revisits → its page body), not one per blob."""
    needs: dict[str, set[str]] = {}
    frontier = start
    while frontier:
        found = _needs_of(frontier)
        needs.update(found)
        frontier = set().union(*found.values()) - needs.keys()
    return needs


def _needs_of(shas: set[str]) -> dict[str, set[str]]:
    rows = Blob.objects.filter(sha256__in=shas).values_list("sha256", "base")
    needs = {sha: {base} - {""} for sha, base in rows}
    refs = BlobReference.objects.filter(source_id__in=needs.keys())
    for source, target in refs.values_list("source_id", "target_id"):
        needs[source].add(target)
    return needs


def _lock(shas: set[str]) -> dict[str, Blob]:
    # Two deletions sharing a blob take turns (in one order, so they cannot deadlock): the
    # second sees what the first removed and frees what both had used.
    rows = Blob.objects.select_for_update().filter(sha256__in=shas).order_by("sha256")
    return {row.sha256: row for row in rows.only("sha256", "stored_size")}


def _kept(shas: set[str], needs: dict[str, set[str]], in_use: InUse) -> set[str]:
    keep = in_use(shas) | _needed_from_outside(shas)
    todo = list(keep)
    while todo:  # what a kept blob needs is kept too
        for needed in needs.get(todo.pop(), ()):
            if needed in shas and needed not in keep:
                keep.add(needed)
                todo.append(needed)
    return keep


def _needed_from_outside(shas: set[str]) -> set[str]:
    """Candidates a blob outside the candidates is compressed against or refers to."""
    bases = Blob.objects.filter(base__in=shas).exclude(sha256__in=shas)
    refs = BlobReference.objects.filter(target_id__in=shas).exclude(source_id__in=shas)
    return set(bases.values_list("base", flat=True)) | set(refs.values_list("target_id", flat=True))


def _delete(doomed: list[Blob]) -> None:
    if not doomed:
        return
    shas = [row.sha256 for row in doomed]
    Blob.objects.filter(sha256__in=shas).delete()
    # robust: the rows are gone for good by then; a file left over is only disk space.
    transaction.on_commit(partial(_remove_files, shas), robust=True)


def _remove_files(shas: list[str]) -> None:
    # A capture may have stored the same bytes again since the commit: that file stays.
    stored_again = set(Blob.objects.filter(sha256__in=shas).values_list("sha256", flat=True))
    storage = blob_storage()
    for sha in shas:
        if sha not in stored_again:
            _remove_file(storage, blob_path(sha))


def _remove_file(storage: Storage, path: str) -> None:
    # FileSystemStorage already ignores a missing file; for any backend, gone is the goal.
    with contextlib.suppress(FileNotFoundError):
        storage.delete(path)
