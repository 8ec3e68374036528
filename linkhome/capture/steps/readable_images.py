"""The readable HTML's images come from the archive, never from the page's own site.

The snapshot page shows the readable HTML inside LinkHome: an ``<img src>`` still pointing
at the original site would tell that site who reads the snapshot, and when (no script
needed), and the picture would vanish with the site. So the readable HTML is stored with
its image sources removed (alt text stays) as soon as it is extracted, and the assets step,
which has the images' bytes, stores it again with each image as a data: URI.

data: URIs rather than links to stored blobs: the readable HTML stays one self-contained
document (its download too) and needs no view of its own with access checks. They are
bounded, because the whole readable HTML is sent with each view of the snapshot page.
"""

from collections.abc import Callable

from linkhome.capture.steps.extract.sanitize import replace_image_sources
from linkhome.capture.steps.single_file.assets import Asset
from linkhome.capture.steps.single_file.mime import guess_mime
from linkhome.capture.steps.single_file.urls import resolve, split_fragment
from linkhome.lib.data_uri import data_uri

MAX_IMAGE_BYTES = 2 * 1024 * 1024
MAX_TOTAL_BYTES = 8 * 1024 * 1024

# An image's absolute URL (no fragment) -> its archived bytes, or None when there are none.
ImageSource = Callable[[str], Asset | None]


def image_urls(readable_html: str, page_url: str) -> list[str]:
    """The absolute URLs (no fragment) of the readable HTML's images, each once, in order."""
    found: dict[str, None] = {}

    def note(src: str) -> None:
        url = _image_url(src, page_url)
        if url:
            found[url] = None

    replace_image_sources(readable_html, note)
    return list(found)


def without_images(readable_html: str) -> str:
    """Every image source removed: what may be shown before the archive has the images."""
    return replace_image_sources(readable_html, lambda _src: None)


def with_archived_images(readable_html: str, page_url: str, source: ImageSource) -> str:
    """Each image as a data: URI of its archived bytes; one not had, not an image or over
    the limits loses its source (its alt text stays). Nothing is left pointing elsewhere."""
    budget = _Budget()
    uris: dict[str, str | None] = {}

    def archived(src: str) -> str | None:
        url = _image_url(src, page_url)
        if url is None:
            return None
        if url not in uris:  # an image shown twice costs its bytes once
            uris[url] = budget.data_uri(source(url))
        return uris[url]

    return replace_image_sources(readable_html, archived)


def _image_url(src: str, page_url: str) -> str | None:
    url = resolve(src, page_url)
    return split_fragment(url)[0] if url else None


class _Budget:
    """What the readable HTML may still grow by; images past it are left out."""

    def __init__(self) -> None:
        self.left = MAX_TOTAL_BYTES

    def data_uri(self, asset: Asset | None) -> str | None:
        if asset is None or not asset.body:
            return None
        mime = guess_mime(asset.url, asset.mime, asset.body)
        # A soft 404's HTML or a script served as the image is no picture to show.
        if not mime.startswith("image/"):
            return None
        size = len(asset.body)
        if size > MAX_IMAGE_BYTES or size > self.left:
            return None
        self.left -= size
        return data_uri(mime, asset.body)
