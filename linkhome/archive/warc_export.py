"""The downloadable WARC: each record its own gzip member, the form every tool expects.

WARCs are stored uncompressed inside a compressed blob (see storage.blobs); this puts the
standard per-record compression back, so a record can still be found by its offset.
"""

import gzip
import io

from warcio.archiveiterator import ArchiveIterator

GZIP_LEVEL = 6
# The version every WARC LinkHome writes declares: the capture engine's recorder and the
# archive's rewriting of revisits must agree on it.
WARC_VERSION = "WARC/1.1"


def gzip_per_record(warc: bytes) -> bytes:
    out = io.BytesIO()
    records = ArchiveIterator(io.BytesIO(warc))
    for record in records:
        record.content_stream().read()  # the iterator knows the length once it is read
        start, length = records.get_record_offset(), records.get_record_length()
        out.write(gzip.compress(warc[start : start + length], compresslevel=GZIP_LEVEL, mtime=0))
    return out.getvalue()
