"""A kept page over time: what changed between two captures (`textdiff`, `compare`), and
every visible capture of one address across keepers (`captures`), with the Wayback-style
addresses and the Memento (RFC 7089) answers built on them (`memento`).

Reads only: the adapters (web, api, cli) call these; nothing here writes.
"""
