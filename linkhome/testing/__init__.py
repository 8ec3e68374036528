"""Test support shared by tests/ and bench/: a local HTTP server, the corpus, real images,
real processes, factories, and (pytest only) fixtures.

Importing this package or any module but `fixtures` needs no pytest, so bench scripts use it
without the development dependencies; `fixtures` is imported by tests/conftest.py alone. The
package is left out of the wheel (pyproject.toml) and nothing else in `linkhome` imports it
(.importlinter).
"""
