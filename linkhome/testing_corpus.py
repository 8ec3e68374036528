"""Where the shared test corpus lives (../shared/corpus), for tests and benchmarks. No Django."""

import gzip
import os
from pathlib import Path


def corpus_dir() -> Path:
    """../shared/corpus beside the repository, or LINKHOME_CORPUS_DIR."""
    env = os.environ.get("LINKHOME_CORPUS_DIR")
    return Path(env) if env else Path(__file__).resolve().parents[2] / "shared" / "corpus"


def corpus_bytes(relative: str) -> bytes:
    """A corpus file's bytes, gunzipped when stored as .gz (the upstream bytes exactly)."""
    path = corpus_dir() / relative
    data = path.read_bytes()
    return gzip.decompress(data) if path.suffix == ".gz" else data
