"""Full-text search over what people kept: Chinese-aware analysis, two database backends.

`linkhome.search.api` is the one entry point (index, remove, search, and the term-level
calls recommendations build on); nothing else in here is meant to be imported from outside.
"""
