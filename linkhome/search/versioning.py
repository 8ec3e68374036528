"""The index version: which analysis built the stored index.

INDEX_VERSION is bumped by any change to this package that changes what gets indexed or how
(the analyzer, the fields, their stored form); the stored value also names jieba's version
and the user dictionary. It is checked once per process, at its first search:
- stored value differs: the index was made by another analysis, so it is rebuilt whole
  (an upgrade needs no manual step; `linkhome reindex` does the same ahead of time);
- no stored value: a fresh install, or an upgrade from before search existed. What the index
  holds was written by this code (whoever writes first records the version), so only the
  links missing from it are indexed.
"""

import logging
from collections.abc import Callable

from django.db import DEFAULT_DB_ALIAS

from linkhome.search import analyzers
from linkhome.search.models import IndexState

# 2: no user names or passwords in the indexed address; CJK radicals fold to the ideographs
# they stand for.
INDEX_VERSION = 2
KEY = "version"
log = logging.getLogger("linkhome.search")
_checked: set[str] = set()  # databases this process has found current
_noted: set[str] = set()  # databases this process has written to


def wanted() -> str:
    return f"{INDEX_VERSION}:{analyzers.fingerprint()}"


def stored() -> str | None:
    state = IndexState.objects.filter(key=KEY).first()
    return state.value if state else None


def mark_current() -> None:
    IndexState.objects.update_or_create(key=KEY, defaults={"value": wanted()})
    _checked.add(DEFAULT_DB_ALIAS)


def note_written() -> None:
    """Called after writing documents: on a fresh index, record which analysis wrote them,
    so a later upgrade knows they are stale."""
    if DEFAULT_DB_ALIAS not in _noted:
        IndexState.objects.get_or_create(key=KEY, defaults={"value": wanted()})
        _noted.add(DEFAULT_DB_ALIAS)


def ensure_current(rebuild: Callable[[], object], catch_up: Callable[[], object]) -> None:
    """Make the index match this code before the first search of the process."""
    if DEFAULT_DB_ALIAS in _checked:
        return
    found = stored()
    if found is None:
        catch_up()
    elif found != wanted():
        log.warning("search index is %s, wanted %s: rebuilding it", found, wanted())
        rebuild()
    mark_current()


def forget() -> None:
    """Check again at the next search (tests; after restoring a database)."""
    _checked.clear()
    _noted.clear()
