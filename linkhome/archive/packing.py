"""Single-file HTML stored without repeating shared assets.

A site's stylesheet, logo and fonts appear in every page's single file. Inlined as data:
URIs they would be stored again with each snapshot, so large assets are written as a
reference to their blob instead and put back as data: URIs when the file is read. What a
person downloads is the same self-contained file either way.
"""

import re

from linkhome.lib.data_uri import data_uri
from linkhome.storage.blobs import put_blob, read_blob

SCHEME = "linkhome-blob:"
# Small assets cost less inline than as a reference plus a blob row and file.
MIN_SHARED_SIZE = 2048
SAFE_MIME = re.compile(r"^[\w.+-]+/[\w.+-]+$")
REFERENCE = re.compile(SCHEME + r"([0-9a-f]{64});([\w.+-]+/[\w.+-]+)")


def embed_shared(mime: str, body: bytes) -> str:
    """The Embedder the pipeline gives the single-file builder."""
    mime = mime if SAFE_MIME.match(mime or "") else "application/octet-stream"
    if len(body) < MIN_SHARED_SIZE:
        return data_uri(mime, body)
    return f"{SCHEME}{put_blob(body, mime).sha256};{mime}"


def unpack(packed: bytes) -> bytes:
    """The complete single file: every blob reference replaced by its data: URI."""
    text = packed.decode("utf-8")
    return REFERENCE.sub(lambda m: data_uri(m.group(2), read_blob(m.group(1))), text).encode(
        "utf-8"
    )


def shared_blobs(packed: bytes) -> set[str]:
    return {m.group(1) for m in REFERENCE.finditer(packed.decode("utf-8"))}
