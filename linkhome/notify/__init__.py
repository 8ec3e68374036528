"""Notifications of changed and dead pages: opt-in per link or tag, one event per check that
found a change or a death, delivered later by the worker (webhooks, email) and read as a
person's Atom feed. See docs/architecture.md, "Notifications"."""
