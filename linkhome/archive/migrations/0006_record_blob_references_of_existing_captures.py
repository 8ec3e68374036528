"""Single files and WARCs stored before blob references existed get them now.

Deleting a link asks storage's BlobReference which blobs others still need: a packed
single file needs the shared asset blobs it names, a WARC with revisit records needs the
WARCs they point into. Without this, deleting an old link could remove an asset or a WARC
that another old snapshot still reads.
"""

from django.db import migrations


def record_references(apps, schema_editor):
    Artifact = apps.get_model("capture", "Artifact")
    stored = Artifact.objects.filter(status="ok").exclude(sha256="")
    if not stored.filter(kind__in=("single_file", "warc")).exists():
        return  # a fresh instance: nothing to read
    edges = _single_file_edges(stored) | _revisit_edges(apps, stored)
    _save(apps, edges)


def _single_file_edges(stored):
    from linkhome.archive.packing import shared_blobs

    edges = set()
    for sha in _distinct(stored.filter(kind="single_file")):
        edges |= {(sha, asset) for asset in shared_blobs(_read(sha))}
    return edges


def _revisit_edges(apps, stored):
    from linkhome.archive.revisits import revisit_targets

    holders = _payload_holders(apps)
    if not holders:
        return set()
    warcs = stored.filter(kind="warc", snapshot__link__owner_id__in={o for o, _ in holders})
    edges = set()
    for sha, owner in set(warcs.values_list("sha256", "snapshot__link__owner_id")):
        targets = {holders.get((owner, key)) for key in revisit_targets(_read(sha))}
        edges |= {(sha, target) for target in targets - {None, sha}}
    return edges


def _payload_holders(apps):
    """(owner, (url, WARC-Date)) of each original record -> the WARC blob holding it."""
    ArchivedPayload = apps.get_model("capture", "ArchivedPayload")
    Artifact = apps.get_model("capture", "Artifact")
    warc_of = dict(
        Artifact.objects.filter(kind="warc", status="ok").values_list("snapshot_id", "sha256")
    )
    rows = ArchivedPayload.objects.values_list(
        "snapshot__link__owner_id", "url", "warc_date", "snapshot_id"
    )
    return {(o, (url, date)): warc_of[s] for o, url, date, s in rows if s in warc_of}


def _distinct(artifacts):
    return set(artifacts.values_list("sha256", flat=True))


def _read(sha):
    # Live storage code on purpose: reading a blob (zstd against its base) is not worth a
    # second copy here. A blob already lost has nothing to refer to.
    from linkhome.storage.blobs import read_blob

    try:
        return read_blob(sha)
    except Exception as exc:  # a damaged blob must not stop the upgrade; say which
        print(f"\n  blob {sha[:12]} unreadable ({type(exc).__name__}); skipped")
        return b""


def _save(apps, edges):
    Blob = apps.get_model("storage", "Blob")
    BlobReference = apps.get_model("storage", "BlobReference")
    named = sorted({sha for edge in edges for sha in edge})
    known = set()
    for start in range(0, len(named), 500):
        chunk = named[start : start + 500]
        known |= set(Blob.objects.filter(sha256__in=chunk).values_list("sha256", flat=True))
    rows = [
        BlobReference(source_id=source, target_id=target)
        for source, target in edges
        if source in known and target in known
    ]
    BlobReference.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("capture", "0005_artifacts_indexed_by_blob"),
        ("storage", "0003_blob_references"),
    ]

    operations = [migrations.RunPython(record_references, migrations.RunPython.noop)]
