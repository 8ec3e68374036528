"""The PayloadIndex behind WARC revisit records, kept in the database."""

from django.db import IntegrityError, transaction

from linkhome.capture.models import ArchivedPayload, Snapshot


class DatabasePayloadIndex:
    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot

    def prior(self, sha256: str) -> tuple[str, str, str] | None:
        row = ArchivedPayload.objects.filter(sha256=sha256).first()
        return (row.url, row.warc_date, row.payload_digest) if row else None

    def remember(self, sha256: str, url: str, date: str, payload_digest: str) -> None:
        # Two workers may archive the same asset at once; both full records are valid.
        try:
            with transaction.atomic():
                ArchivedPayload.objects.create(
                    sha256=sha256,
                    url=url,
                    warc_date=date,
                    payload_digest=payload_digest,
                    snapshot=self.snapshot,
                )
        except IntegrityError:
            pass
