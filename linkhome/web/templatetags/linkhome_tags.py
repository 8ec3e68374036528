import math
from datetime import datetime

from django import template
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from linkhome.archive.messages import translated
from linkhome.archive.models import Snapshot
from linkhome.lib.clock import relative_time
from linkhome.lib.urls import display_url

register = template.Library()


@register.filter
def relative(value: datetime | None) -> str:
    """ "11 月前" in Chinese, "11 months ago" in English, by the active language."""
    if value is None:
        return ""
    return relative_time(value, timezone.now(), translation.get_language() or "zh-hans")


def status_labels() -> dict[str, str]:
    return {
        "queued": _("Queued"),
        "running": _("Capturing"),
        "succeeded": _("Done"),
        "partial": _("Partly saved"),
        "failed": _("Failed"),
        "skipped": _("Skipped"),
    }


@register.filter
def status_label(status: str) -> str:
    return status_labels().get(status, status)


def health_labels() -> dict[str, str]:
    """The badge of what a link's newest check found (links.models.Health)."""
    return {
        "ok": _("Online"),
        "changed": _("Changed"),
        "gone": _("Gone"),
        "moved": _("Moved"),
        "unreachable": _("Unreachable"),
    }


@register.filter
def health_label(state: str) -> str:
    """在线 / 已变更 / 已失效 / 已跳转 / 无法访问; "" for a link never checked."""
    return health_labels().get(state, "")


@register.filter
def watch_label(every: str) -> str:
    labels = {
        "never": _("never"),
        "daily": _("daily"),
        "weekly": _("weekly"),
        "monthly": _("monthly"),
    }
    return labels.get(every, every)


@register.filter
def change_label(snapshot: object) -> str:
    """A version's comparison with the one before it, in a few words."""
    from linkhome.history.compare import percent

    change = getattr(snapshot, "change", "")
    if change == "unchanged":
        return _("unchanged")
    if change == "gone":
        return _("gone")
    if change == "changed":
        ratio = getattr(snapshot, "change_ratio", None) or 0
        return _("%(percent)s changed") % {"percent": percent(ratio)}
    return ""


@register.filter
def percent_of(ratio: float | None) -> str:
    """A share as a person reads it: 12%, <1% (history.compare.percent)."""
    from linkhome.history.compare import percent

    return percent(ratio) if ratio is not None else ""


@register.simple_tag
def query_with(request: HttpRequest, name: str, value: object) -> str:
    """The current query string with `name` set to `value`: pagers keep the filters."""
    query = request.GET.copy()
    query[name] = str(value)
    return query.urlencode()


@register.filter
def status_sentence(snapshot: Snapshot) -> str:
    """What a capture's state means, in plain words; the technical detail is shown apart."""
    status, code = snapshot.status, snapshot.http_status
    if status == "queued":
        if snapshot.error:
            return _("The last try failed; LinkHome will try again soon.")
        return _("Waiting for a worker to capture this page…")
    if status == "running":
        return _("Capturing the page now…")
    if status == "partial":
        return _("Saved, but some parts of the page could not be kept.")
    if status == "failed":
        return _failure_sentence(code)
    return _("Saved.")


def _failure_sentence(code: int | None) -> str:
    if code in (404, 410):
        return _("The page does not exist on its site (HTTP %(code)s).") % {"code": code}
    if code in (401, 403):
        return _("The site refused to give out the page (HTTP %(code)s).") % {"code": code}
    if code and code >= 500:
        return _("The site had an error and sent no page (HTTP %(code)s).") % {"code": code}
    return _("The page could not be fetched.")


@register.filter
def artifact_label(kind: str) -> str:
    labels = {
        "single_file": _("Single-file page"),
        "raw_html": _("Original HTML"),
        "html": _("HTML (UTF-8)"),
        "readable": _("Readable HTML"),
        "warc": _("WARC download"),
        "headers": _("Response headers"),
        "document": _("Document"),
        "text": _("Text"),
        "favicon": _("Icon"),
        "screenshot": _("Screenshot"),
        "thumbnail": _("Thumbnail"),
        "preview": _("Preview picture"),
        "pdf": _("PDF"),
        "dom": _("Rendered page (DOM)"),
        "pages": _("PDF pages"),
    }
    return labels.get(kind, kind)


@register.filter
def reading_label(value: str) -> str:
    """A choice of the reading view's settings (web/snapshots.py READING_CHOICES)."""
    labels = {
        "s": _("Small"),
        "m": _("Medium"),
        "l": _("Large"),
        "xl": _("Extra large"),
        "narrow": _("Narrow"),
        "wide": _("Wide"),
        "sans": _("Sans-serif"),
        "serif": _("Serif"),
        "site": _("As the site"),
        "light": _("Light"),
        "sepia": _("Sepia"),
        "dark": _("Dark"),
    }
    return labels.get(value, value)


@register.filter
def capture_error(error: str) -> str:
    """Why a capture (or one of its steps) failed, in the reader's language."""
    return translated(error) if error else ""


@register.filter
def artifact_reason(reason: str) -> str:
    """Why an artifact was skipped, in the reader's language: the capture step stores the
    English sentence (marked with gettext_noop there), translated here."""
    return _(reason) if reason else ""


@register.filter
def cut_to(value: str, length: int) -> str:
    """Shorten to `length` characters ending in "…" in every language (Django's own
    truncatechars becomes "..." under its Chinese catalogue)."""
    return Truncator(value or "").chars(int(length), truncate="…")


@register.filter(name="display_url")
def display_url_filter(url: str) -> str:
    """An address as it may be shown: never with a user name or password in it."""
    return display_url(url or "")


@register.filter
def retry_hint(card: object) -> str:
    """ "第 2 次重试，5 分钟后" / "Retry 2, in 5 minutes": for a capture that failed and waits
    for its next attempt (archive.services.retry_later sets attempts and retry_after)."""
    from linkhome.web.cards import Card

    if not isinstance(card, Card) or card.status != "queued" or not card.attempts:
        return ""
    if card.retry_after is None:
        return ""
    seconds = (card.retry_after - timezone.now()).total_seconds()
    if seconds <= 0:
        when = _("any moment now")
    elif seconds < 60:
        count = math.ceil(seconds)  # rounded up: a hint is never early
        when = ngettext("in %(count)s second", "in %(count)s seconds", count) % {"count": count}
    else:
        count = math.ceil(seconds / 60)
        when = ngettext("in %(count)s minute", "in %(count)s minutes", count) % {"count": count}
    return _("Retry %(number)s, %(when)s") % {"number": card.attempts, "when": when}


@register.filter
def site_hue(host: str) -> int:
    from linkhome.web.cards import site_hue as hue

    return hue(host or "")


@register.filter
def site_letter(host: str) -> str:
    from linkhome.web.cards import site_letter as letter

    return letter(host or "")


@register.simple_tag(takes_context=True)
def list_view(context: template.Context) -> str:
    """The list view the reader chose (cards or compact), remembered in a cookie."""
    from linkhome.web.cards import DEFAULT_VIEW
    from linkhome.web.cards import list_view as chosen

    request = context.get("request")
    return chosen(request) if request is not None else DEFAULT_VIEW
