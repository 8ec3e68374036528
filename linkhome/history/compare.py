"""What changed between two snapshots a reader may see: the one comparison behind the
diff page, `GET /api/snapshots/{a}/diff/{b}` and `linkhome diff`.

Both snapshots go through the visibility rule (links.queries.get_snapshot): one the reader
may not see does not exist for them, so the answer is the same 404 as for a missing id.
Two snapshots are comparable when they are of the same link, or of the same address kept by
different people (the Wayback-style "what did this page say then and now", across keepers),
both visible; snapshots of different addresses are refused, since "what changed" between
two different pages means nothing. A snapshot still being captured, or whose capture
failed, has no text to compare yet and is refused with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.utils.translation import gettext, gettext_noop

from linkhome.archive.models import FINISHED, Snapshot, SnapshotStatus
from linkhome.history import screenshots
from linkhome.history.captures import parse_address
from linkhome.history.textdiff import TextDiff, compare_texts
from linkhome.lib.screenshot_diff import ScreenshotDiff
from linkhome.links import queries

NOT_FOUND = gettext_noop("no snapshot %(id)s")
NOT_CAPTURED = gettext_noop("snapshot %(id)s is not captured yet; compare it when it is done")
FAILED = gettext_noop("snapshot %(id)s failed and has no text to compare")
OTHER_ADDRESS = gettext_noop(
    "snapshots %(a)s and %(b)s are of different addresses; only captures of the same "
    "address can be compared"
)


class CompareError(ValueError):
    """Why two snapshots cannot be compared; `status` is the HTTP status that says it.

    str() is English; `template` and `params` let an adapter say it in the reader's
    language (links.services.explain)."""

    def __init__(self, status: int, template: str, **params: object) -> None:
        super().__init__(template % params)
        self.status, self.template, self.params = status, template, params


@dataclass
class Comparison:
    a: Snapshot
    b: Snapshot
    diff: TextDiff
    # Both have a screenshot (browser mode): whether it changed visibly; else None.
    screenshot: ScreenshotDiff | None = None

    def as_dict(self) -> dict:
        """The contract of `linkhome diff --json` and the API ("screenshot" only when both
        snapshots have one)."""
        found = {"a": self.a.pk, "b": self.b.pk, **self.diff.as_dict()}
        if self.screenshot is not None:
            found["screenshot"] = self.screenshot.as_dict()
        return found


def compare_snapshots(
    viewer: AbstractBaseUser | AnonymousUser | None, a_id: int, b_id: int
) -> Comparison:
    """Compare snapshot `a_id` (before) with `b_id` (after), as `viewer` may see them."""
    a, b = _readable(viewer, a_id), _readable(viewer, b_id)
    if a.link_id != b.link_id and not _same_address(a, b):
        raise CompareError(400, OTHER_ADDRESS, a=a_id, b=b_id)
    seen = screenshots.stored_or_compared(a, b)
    return Comparison(a, b, compare_texts(a.text, b.text), seen)


def _same_address(a: Snapshot, b: Snapshot) -> bool:
    """One address as history.captures matches it (http and https, www. or not)."""
    address = parse_address(a.link.url)
    return address is not None and b.link.normalized_url in address.spellings


def _readable(viewer: AbstractBaseUser | AnonymousUser | None, snapshot_id: int) -> Snapshot:
    snapshot = queries.get_snapshot(viewer, snapshot_id)
    if snapshot is None:
        raise CompareError(404, NOT_FOUND, id=snapshot_id)
    if snapshot.status not in FINISHED:
        raise CompareError(409, NOT_CAPTURED, id=snapshot_id)
    if snapshot.status == SnapshotStatus.FAILED:
        raise CompareError(409, FAILED, id=snapshot_id)
    return snapshot


# The snapshot page compares itself with the version before only for texts up to this long,
# so a page view never waits on a long comparison; the diff page does any length.
PAGE_COMPARE_CHARS = 100_000


@dataclass
class SincePrevious:
    previous: Snapshot
    diff: TextDiff
    screenshot: ScreenshotDiff | None = None


def since_previous(snapshot: Snapshot) -> SincePrevious | None:
    """What changed since the link's kept capture before this one, for the snapshot page;
    None for the first capture, one not kept, or texts past PAGE_COMPARE_CHARS. The caller
    has checked that the reader may see `snapshot` (its versions share its link)."""
    if snapshot.status not in queries.KEPT_STATUSES:
        return None
    previous = queries.previous_capture(snapshot)
    if previous is None:
        return None
    previous.refresh_from_db(fields=["text"])
    if max(len(previous.text), len(snapshot.text)) > PAGE_COMPARE_CHARS:
        return None
    seen = None
    if snapshot.compared_with_id == previous.pk and snapshot.screenshot_ratio is not None:
        seen = ScreenshotDiff(bool(snapshot.screenshot_changed), snapshot.screenshot_ratio)
    return SincePrevious(previous, compare_texts(previous.text, snapshot.text), seen)


def summary(diff: TextDiff) -> str:
    """The one line a person reads first, in the active language: "+3 段 −1 段, 12% 改动"."""
    if not diff.changed:
        return gettext("no change in the text")
    return gettext("+%(added)d paragraphs −%(removed)d paragraphs, %(percent)s changed") % {
        "added": diff.added,
        "removed": diff.removed,
        "percent": percent(diff.ratio),
    }


def screenshot_summary(seen: ScreenshotDiff) -> str:
    """The screenshot's line, in the active language: "截图有明显变化（页面的 12%）"."""
    if not seen.changed:
        return gettext("the screenshot looks the same")
    return gettext("the screenshot changed visibly (%(percent)s of the page)") % {
        "percent": percent(seen.ratio)
    }


def percent(ratio: float) -> str:
    """12%; a change too small to round to 1% is "<1%", never a misleading 0%."""
    whole = round(ratio * 100)
    if ratio > 0 and whole == 0:
        return "<1%"
    if ratio < 1 and whole == 100:
        return ">99%"
    return f"{whole}%"
