"""What a notification says, in the active language (the caller picks it): the subject line
of an email and the title of a feed entry, the lines of its body, and its links."""

from django.conf import settings
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext

from linkhome.history.compare import percent
from linkhome.notify.models import Notification

# Nobody reads a whole title in a subject line.
SUBJECT_TITLE = 80


def subject(event: Notification) -> str:
    title = _short(event.title or event.url)
    if event.kind == "changed":
        return gettext("Page changed: %(title)s") % {"title": title}
    if event.kind == "gone":
        return gettext("Page gone: %(title)s") % {"title": title}
    return gettext("Page moved: %(title)s") % {"title": title}


def what_happened(event: Notification) -> str:
    """One line: what the check found."""
    if event.kind == "changed":
        line = gettext("The page changed since the capture before.")
        if event.change_ratio is not None:
            how = gettext("+%(added)d paragraphs −%(removed)d paragraphs, %(percent)s changed")
            line += " " + how % {
                "added": event.change_added or 0,
                "removed": event.change_removed or 0,
                "percent": percent(event.change_ratio),
            }
        return line
    if event.kind == "gone":
        return gettext("The original page is gone; your snapshots are kept.")
    return gettext("The original page now redirects elsewhere; your snapshots are kept.")


def body(event: Notification, base_url: str | None = None) -> str:
    """The plain-text message: the page, what happened, when, and where to look."""
    urls = links(event, base_url)
    when = formats.date_format(timezone.localtime(event.created_at), "Y-m-d H:i")
    lines = [
        event.title or event.url,
        event.url,
        "",
        what_happened(event),
        gettext("Checked: %(when)s") % {"when": when},
    ]
    if event.detail:
        lines.append(gettext("Details: %(detail)s") % {"detail": event.detail})
    lines += ["", gettext("Snapshot: %(url)s") % {"url": urls["snapshot"]}]
    if "diff" in urls:
        lines.append(gettext("What changed: %(url)s") % {"url": urls["diff"]})
    lines += [
        "",
        gettext("You get this because you asked to be told when this page changes or dies."),
        gettext("Change it on the link's edit page: %(url)s") % {"url": urls["edit"]},
    ]
    return "\n".join(lines) + "\n"


def links(event: Notification, base_url: str | None = None) -> dict[str, str]:
    """Absolute addresses of the snapshot page, the diff page (a change) and the edit page."""
    base = (base_url or settings.SITE_URL).rstrip("/")
    urls = {
        "snapshot": base + reverse("snapshot", args=[event.snapshot_id]),
        "edit": base + reverse("link_edit", args=[event.link_id]),
    }
    if event.kind == "changed" and event.compared_with_id:
        urls["diff"] = base + reverse(
            "snapshot_diff", args=[event.compared_with_id, event.snapshot_id]
        )
    return urls


def _short(text: str) -> str:
    """One line (a header never holds a line break), cut to SUBJECT_TITLE characters."""
    text = " ".join(text.split())
    return text if len(text) <= SUBJECT_TITLE else text[: SUBJECT_TITLE - 1] + "…"
