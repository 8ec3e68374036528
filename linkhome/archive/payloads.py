"""The PayloadIndex behind WARC revisit records, kept in the database.

A revisit record is only as good as the record it points at, so:
- it points only into WARCs of the same owner (another person's private asset URL must
  never appear in my WARC), and a public snapshot only into public ones;
- a payload is remembered only once the WARC that holds it is stored (commit()).
"""

from django.db import IntegrityError, transaction

from linkhome.archive.models import (
    ArchivedPayload,
    Artifact,
    ArtifactKind,
    ArtifactStatus,
    Snapshot,
)


class RevisitTargetGone(RuntimeError):
    """A WARC this capture's revisit records point into was deleted during the capture;
    the capture is tried again and then records those payloads in full."""


class DatabasePayloadIndex:
    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        self._pending: list[ArchivedPayload] = []
        self._pointed_at: set[int] = set()  # snapshots whose WARCs hold the originals

    def prior(self, sha256: str) -> tuple[str, str, str] | None:
        row = self._candidates().filter(sha256=sha256).first()
        if row is None:
            return None
        self._pointed_at.add(row.snapshot_id)
        return (row.url, row.warc_date, row.payload_digest)

    def _candidates(self):  # noqa: ANN202 - a QuerySet
        link = self.snapshot.link
        rows = ArchivedPayload.objects.filter(snapshot__link__owner_id=link.owner_id)
        if not link.is_private:
            rows = rows.filter(snapshot__link__visibility=link.visibility)
        return rows

    def remember(self, sha256: str, url: str, date: str, payload_digest: str) -> None:
        self._pending.append(
            ArchivedPayload(
                sha256=sha256,
                url=url,
                warc_date=date,
                payload_digest=payload_digest,
                snapshot=self.snapshot,
            )
        )

    def commit(self) -> None:
        """Call once the WARC holding the remembered records is stored."""
        for row in self._pending:
            _save_first(row)
        self._pending.clear()

    def pointed_at(self) -> set[str]:
        """The WARC blobs holding the originals of this capture's revisit records."""
        if not self._pointed_at:
            return set()
        warcs = Artifact.objects.filter(
            snapshot_id__in=self._pointed_at, kind=ArtifactKind.WARC, status=ArtifactStatus.OK
        )
        found = dict(warcs.values_list("snapshot_id", "sha256"))
        if found.keys() != self._pointed_at:
            raise RevisitTargetGone("a WARC these revisit records point into was deleted")
        return set(found.values())


def _save_first(row: ArchivedPayload) -> None:
    # The same payload may be archived by two owners, or twice at once: the first row stays.
    try:
        with transaction.atomic():
            row.save(force_insert=True)
    except IntegrityError:
        pass
