"""Migrations use historical models only: none imports the project's live code.

A migration that imports live code (a helper, a model, a constant) breaks a fresh install the
day that code changes; a data migration must carry a frozen copy of what it needs."""

import ast
from pathlib import Path

import linkhome

MIGRATIONS = sorted(Path(linkhome.__file__).parent.glob("*/migrations/0*.py"))


def imported_modules(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
    return names


def test_there_are_migrations_to_check():
    assert len(MIGRATIONS) >= 10


# The two known exceptions, each for a reason that does not touch a fresh install:
ALLOWED = {
    # Django writes a field's callable default as a reference to it; makemigrations keeps the
    # name alive as long as the model uses it.
    ("accounts/0001_profiles_and_api_tokens.py", "linkhome.accounts.models"),
    # Reads the blobs of instances older than blob references with the storage code in force
    # (where the blobs live, how they are packed); on a fresh install it returns before any
    # of these imports (nothing is stored yet).
    ("archive/0006_record_blob_references_of_existing_captures.py", "linkhome.archive.packing"),
    ("archive/0006_record_blob_references_of_existing_captures.py", "linkhome.archive.revisits"),
    ("archive/0006_record_blob_references_of_existing_captures.py", "linkhome.storage.blobs"),
}


def test_no_migration_imports_live_code():
    imports = {
        (f"{path.parent.parent.name}/{path.name}", name)
        for path in MIGRATIONS
        for name in imported_modules(path)
        if name == "linkhome" or name.startswith("linkhome.")
    }
    assert imports - ALLOWED == set()
