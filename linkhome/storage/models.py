from django.db import models


class Blob(models.Model):
    """One stored byte string, named by the sha256 of its (uncompressed) content."""

    sha256 = models.CharField(max_length=64, primary_key=True)
    size = models.BigIntegerField()
    stored_size = models.BigIntegerField()
    # Text compresses 4-10x; images and fonts do not, so each blob records its own choice.
    compression = models.CharField(max_length=8, default="", blank=True)
    # A blob derived from another (the decoded page, the single file and the WARC all
    # repeat the page body) is compressed with that one as a zstd dictionary: only what
    # differs is stored. The base must be kept while anything names it.
    base = models.CharField(max_length=64, default="", blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.sha256[:12]} ({self.size} B)"


class BlobReference(models.Model):
    """`source` cannot be read whole without `target`: a packed single file names the
    shared asset blobs it expands, a WARC's revisit records point into an earlier WARC.

    Kept so that deleting can ask "who still needs this blob?" with one indexed query
    instead of reading every other blob. A source's references follow from its content,
    so they are written once, with its row (storage.blobs.put_blob)."""

    source = models.ForeignKey(Blob, on_delete=models.CASCADE, related_name="references")
    # RESTRICT, not PROTECT: a target may go in the same delete as every source naming it;
    # deleting one that a surviving blob still names is a bug and fails loudly.
    target = models.ForeignKey(Blob, on_delete=models.RESTRICT, related_name="referenced_by")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "target"], name="blob_reference_unique")
        ]

    def __str__(self) -> str:
        return f"{self.source_id[:12]} needs {self.target_id[:12]}"
