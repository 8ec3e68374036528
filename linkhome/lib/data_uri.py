"""data: URIs, shared by the single-file builder (which inlines assets) and the archive
(which puts shared assets back into a stored single file)."""

import base64


def data_uri(mime: str, body: bytes) -> str:
    return f"data:{mime};base64,{base64.b64encode(body).decode('ascii')}"
