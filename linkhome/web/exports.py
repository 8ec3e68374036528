"""The snapshot page's WACZ download: the same export as the API and `linkhome export-wacz`.

A WACZ is a zip the browser saves, never a page it renders, so it is served from the app's
own origin (unlike archived HTML, see capture.serving)."""

from django.http import FileResponse, Http404, HttpRequest

from linkhome.links import exports


def snapshot_wacz(request: HttpRequest, snapshot_id: int) -> FileResponse:
    """The snapshot as a WACZ web archive, for anyone who may see the snapshot."""
    try:
        handle, done = exports.export_to_file(
            lambda out: exports.export_snapshot(request.user, snapshot_id, out)
        )
    except exports.ExportError as exc:
        raise Http404(str(exc)) from exc
    response = FileResponse(handle, as_attachment=True, filename=done.filename)
    response["Content-Type"] = exports.WACZ_MIME
    response["X-Content-Type-Options"] = "nosniff"
    return response
