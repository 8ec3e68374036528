"""The result of decoding: the text, the codec used, and the evidence that chose it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Decoded:
    text: str  # the decoded document, without its BOM
    charset: str  # Python codec name actually used, e.g. "gb18030", "utf-8", "cp1252"
    source: str  # "http-header" | "bom" | "meta" | "xml-declaration" | "detected" | "fallback"
