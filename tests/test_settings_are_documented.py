"""Every environment variable LinkHome reads is in the README's settings table, and the table
names no variable the code does not read (datasette's docs-checked-by-tests idea)."""

import re
from pathlib import Path

import linkhome

PACKAGE = Path(linkhome.__file__).parent
README = PACKAGE.parent / "README.md"
# A variable name in a string literal: how settings.py (and the few readers outside it) ask
# os.environ for one.
READ = re.compile(r"""["']((?:LINKHOME|AWS)_[A-Z0-9_]+|REDIS_URL|DATABASE_URL)["']""")
# Set by the process that starts a worker, for the worker: not a setting a person makes.
INTERNAL = {"LINKHOME_WORKER_ID"}


def variables_read() -> set[str]:
    found = set()
    for path in PACKAGE.rglob("*.py"):
        if path.relative_to(PACKAGE).parts[0] == "testing":
            continue  # test support (LINKHOME_CORPUS_DIR) is documented under Development
        found |= set(READ.findall(path.read_text(encoding="utf-8")))
    return found - INTERNAL


def variables_documented() -> set[str]:
    text = README.read_text(encoding="utf-8")
    table = text.split("## Settings (environment variables)", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in table.splitlines() if line.startswith("| `")]
    return {name for row in rows for name in re.findall(r"`([A-Z][A-Z0-9_]+)`", row.split("|")[1])}


def test_the_code_reads_settings():
    assert {"LINKHOME_DATA_DIR", "DATABASE_URL", "LINKHOME_QUEUE"} <= variables_read()


def test_every_variable_read_is_documented():
    assert variables_read() - variables_documented() == set()


def test_the_table_names_only_variables_the_code_reads():
    assert variables_documented() - variables_read() == set()
