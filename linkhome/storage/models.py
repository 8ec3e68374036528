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
