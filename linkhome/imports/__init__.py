"""Bookmark imports: a job per uploaded file, run by the worker (see services)."""
