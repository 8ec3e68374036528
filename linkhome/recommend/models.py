from django.db import models


class Profile(models.Model):
    """What related articles need to know of one link's indexed text, computed once per
    capture instead of on every page view: its distinctive terms with their TF-IDF weights
    (a unit vector cut to the strongest terms) and a MinHash sketch of its text for
    near-duplicates (recommend.fingerprint).

    Weights use the document frequencies of the index when computed; `index_size` records
    its size then, so profiles weighed against a much smaller index are weighed again."""

    link = models.OneToOneField(
        "links.Link", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    snapshot_id = models.BigIntegerField()  # the snapshot the index's document came from
    sketch = models.BinaryField(default=b"")  # 64 hashes of 8 bytes; empty without text
    terms = models.JSONField(default=dict)  # term -> weight in 1/10000 (see recommend.vectors)
    index_size = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)
    # The ranked public neighbours, [[link_id, snapshot_id, score], …] best first
    # (recommend.neighbours), and when they were last ranked in full (None: never).
    related = models.JSONField(default=list)
    related_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["index_size"], name="profile_index_size_idx"),
            models.Index(fields=["related_at"], name="profile_related_at_idx"),
        ]

    def __str__(self) -> str:
        return f"profile of link {self.link_id}"
