"""A person's notifications as an Atom feed (feedgen), for their secret feed address."""

from datetime import UTC, datetime

from django.utils import translation
from feedgen.feed import FeedGenerator

from linkhome.notify import messages
from linkhome.notify.models import Notification

FEED_ENTRIES = 50
EMPTY_FEED_UPDATED = datetime(2000, 1, 1, tzinfo=UTC)  # a feed without entries needs one too


def recent(owner_id: int, limit: int = FEED_ENTRIES) -> list[Notification]:
    """The person's newest notifications: their own links only."""
    return list(
        Notification.objects.filter(owner_id=owner_id).order_by("-created_at", "-pk")[:limit]
    )


def atom(owner_id: int, feed_url: str, base_url: str, language: str) -> bytes:
    """The Atom document; `feed_url` is its own (secret) address, `base_url` the site's."""
    events = recent(owner_id)
    with translation.override(language):
        fg = FeedGenerator()
        fg.id(feed_url)
        fg.title(translation.gettext("LinkHome: changed and dead pages"))
        fg.subtitle(translation.gettext("Pages you watch that changed, died or moved."))
        fg.link(href=feed_url, rel="self")
        fg.link(href=base_url.rstrip("/") + "/", rel="alternate")
        fg.language(language)
        fg.generator("LinkHome")
        fg.updated(events[0].created_at if events else EMPTY_FEED_UPDATED)
        for event in reversed(events):  # feedgen puts each new entry first
            urls = messages.links(event, base_url)
            entry = fg.add_entry()
            entry.id(f"{base_url.rstrip('/')}/notifications/{event.pk}")
            entry.title(messages.subject(event))
            entry.link(href=urls.get("diff", urls["snapshot"]), rel="alternate")
            entry.updated(event.created_at)
            entry.published(event.created_at)
            entry.category(term=event.kind)
            entry.content(messages.body(event, base_url), type="text")
    return fg.atom_str(pretty=True)
