"""The downloadable WARC: each record its own gzip member, the form every tool expects.

WARCs are stored uncompressed inside a compressed blob (see storage.blobs); this puts the
standard per-record compression back, so a record can still be found by its offset.
"""

import gzip
import io
from typing import IO

from warcio.archiveiterator import ArchiveIterator

GZIP_LEVEL = 6
# The version every WARC LinkHome writes declares: the capture engine's recorder and the
# archive's rewriting of revisits must agree on it.
WARC_VERSION = "WARC/1.1"


def gzip_per_record(warc: bytes) -> bytes:
    out = io.BytesIO()
    gzip_per_record_file(io.BytesIO(warc), out)
    return out.getvalue()


def gzip_per_record_file(warc: IO[bytes], out: IO[bytes]) -> None:
    """gzip_per_record from a seekable file to a file, a piece at a time: a 50 MB WARC is
    never whole in memory. Records are found in one pass, then copied member by member."""
    warc.seek(0)
    records = ArchiveIterator(warc)
    spans = []
    for record in records:
        stream = record.content_stream()
        while stream.read(1024 * 1024):  # the iterator knows the length once it is read
            pass
        spans.append((records.get_record_offset(), records.get_record_length()))
    for start, length in spans:
        warc.seek(start)
        with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=GZIP_LEVEL, mtime=0) as member:
            _copy_exactly(warc, member, length)


def _copy_exactly(source: IO[bytes], target: gzip.GzipFile, length: int) -> None:
    left = length
    while left:
        chunk = source.read(min(left, 1024 * 1024))
        if not chunk:
            raise ValueError("the WARC ended inside a record")
        target.write(chunk)
        left -= len(chunk)
