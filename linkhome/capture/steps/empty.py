"""An empty answer (a 200 or 204 with no body) is a fact about the page, not a failure."""

from django.utils.translation import gettext_noop

from linkhome.archive.artifacts import skip_artifact
from linkhome.archive.models import ArtifactKind
from linkhome.capture.context import CaptureContext
from linkhome.capture.steps.content import is_html

# Stored in English, shown translated (web.templatetags.linkhome_tags.artifact_reason).
EMPTY = gettext_noop("the page is empty: the server sent no content")


def is_empty(ctx: CaptureContext) -> bool:
    return not ctx.page.final.body


def note_empty(ctx: CaptureContext) -> None:
    """The WARC and the headers already hold everything there is; say why nothing else is
    there instead of running extractors on nothing (and retrying when they choke)."""
    ctx.snapshot.text = ""
    kind = ArtifactKind.READABLE if is_html(ctx) else ArtifactKind.TEXT
    skip_artifact(ctx.snapshot, kind, EMPTY)
