"""Whether the screenshots of two captures differ visibly (browser mode only).

A capture has a screenshot when it was made in browser mode and the browser gave one
(`ArtifactKind.SCREENSHOT`, ok). Both captures need one; otherwise there is nothing to
compare and the answer is None. The comparison itself is `lib.screenshot_diff`; a stored
screenshot that cannot be read (not a picture, its blob missing, the blob store down) is
logged and answered None: the text's comparison and the health are recorded all the same.
"""

from __future__ import annotations

import logging

from linkhome.archive.artifacts import artifact_bytes
from linkhome.archive.models import Artifact, ArtifactKind, ArtifactStatus, Snapshot
from linkhome.lib.screenshot_diff import ScreenshotDiff, UnreadableScreenshot, compare_screenshots

log = logging.getLogger("linkhome.history")


def screenshot_of(snapshot: Snapshot) -> Artifact | None:
    return (
        Artifact.objects.filter(
            snapshot=snapshot, kind=ArtifactKind.SCREENSHOT, status=ArtifactStatus.OK
        )
        .exclude(sha256="")
        .first()
    )


def compare(before: Snapshot, after: Snapshot) -> ScreenshotDiff | None:
    """The two captures' screenshots compared, or None when one has none."""
    a, b = screenshot_of(before), screenshot_of(after)
    if a is None or b is None:
        return None
    if a.sha256 == b.sha256:
        return ScreenshotDiff(False, 0.0)
    try:
        return compare_screenshots(artifact_bytes(a), artifact_bytes(b))
    except (UnreadableScreenshot, OSError) as exc:  # OSError: a blob missing, a store down
        log.warning("screenshots of snapshots %s and %s not compared: %s", before.pk, after.pk, exc)
        return None


def stored_or_compared(before: Snapshot, after: Snapshot) -> ScreenshotDiff | None:
    """What the worker stored when `after` was compared with `before`, else compared now."""
    if after.compared_with_id == before.pk and after.screenshot_ratio is not None:
        return ScreenshotDiff(bool(after.screenshot_changed), after.screenshot_ratio)
    return compare(before, after)
