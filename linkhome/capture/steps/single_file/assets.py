"""Fetching assets once each, within a budget, and turning them into data: URIs."""

from collections.abc import Callable
from dataclasses import dataclass, field

import webencodings
from tinycss2.bytes import decode_stylesheet_bytes

from linkhome.lib.data_uri import data_uri

from . import mime, urls

# A failed reference in CSS becomes this: a valid URL that loads nothing, so the declaration
# still parses but draws nothing, as if the server had answered 404.
EMPTY_DATA_URI = "data:,"


@dataclass(frozen=True)
class Asset:
    """One fetched resource, as the pipeline's fetcher returns it."""

    url: str  # the final URL (after redirects); relative references in CSS resolve against it
    mime: str  # from Content-Type, else sniffed from bytes/extension
    body: bytes


class AssetError(Exception):
    """A fetcher may raise this (or return None) when an asset cannot be fetched."""


AssetFetcher = Callable[[str], Asset | None]


@dataclass
class Limits:
    """Caps for one document; attempts count, not successes, since each costs a request."""

    max_assets: int
    max_total_bytes: int
    attempts: int = 0
    total_bytes: int = 0


@dataclass(frozen=True)
class Fetched:
    """An accepted asset: its effective type, charset parameter and final URL."""

    url: str
    mime: str
    charset: str | None
    body: bytes


@dataclass(frozen=True)
class Stylesheet:
    text: str
    url: str  # the URL its relative references resolve against


Embedder = Callable[[str, bytes], str]  # (mime, body) -> the URI written into the document


@dataclass
class Inliner:
    """Fetches each URL once per document and records what was inlined and what failed."""

    fetch: AssetFetcher
    limits: Limits
    # The page's charset: CSS with no BOM, header charset or @charset is decoded with it.
    css_encoding: webencodings.Encoding | None = None
    # How a fetched asset is written into the document; the default is a base64 data: URI.
    # The pipeline passes one that stores large assets once and writes a reference instead.
    embed: "Embedder | None" = None
    assets: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    _memo: dict[str, Fetched | None] = field(default_factory=dict)

    def data_uri(self, ref: str, base: str, *, quiet: bool = False) -> str | None:
        """``ref`` as a data: URI (fragment kept), unchanged if inert, None on failure."""
        url = urls.resolve(ref, base)
        if url is None:
            return None
        if urls.scheme_of(url) in urls.INERT_SCHEMES:
            return url
        bare, fragment = urls.split_fragment(url)
        fetched = self.get(bare, quiet=quiet)
        if fetched is None:
            return None
        uri = (self.embed or data_uri)(fetched.mime, fetched.body)
        return uri + (f"#{fragment}" if fragment else "")

    def stylesheet(self, url: str) -> Stylesheet | None:
        """Decoded text of a style sheet (BOM, header charset, @charset, then the page's)."""
        fetched = self.get(urls.split_fragment(url)[0])
        if fetched is None:
            return None
        try:
            text, _ = decode_stylesheet_bytes(fetched.body, fetched.charset, self.css_encoding)
        except LookupError:  # an unknown label in @charset or the header
            text = fetched.body.decode("utf-8", "replace")
        return Stylesheet(text=text, url=fetched.url)

    def skip(self, url: str, reason: str) -> None:
        """Record an asset that is deliberately not fetched."""
        self.failed.setdefault(urls.split_fragment(url)[0], reason)

    def get(self, url: str, *, quiet: bool = False) -> Fetched | None:
        """The asset at ``url`` (no fragment), fetched at most once; None if unusable."""
        if url not in self._memo:
            fetched, reason = self._fetch_new(url)
            self._memo[url] = fetched
            if fetched is not None:
                self.assets.append(url)
            elif not quiet:
                self.failed[url] = reason
        return self._memo[url]

    def _fetch_new(self, url: str) -> tuple[Fetched | None, str]:
        if urls.scheme_of(url) not in urls.FETCHABLE_SCHEMES:
            return None, f"unsupported URL scheme {urls.scheme_of(url) or '(none)'}"
        if self.limits.attempts >= self.limits.max_assets:
            return None, f"skipped: max_assets ({self.limits.max_assets}) reached"
        self.limits.attempts += 1
        asset, reason = self._call_fetcher(url)
        if asset is None:
            return None, reason
        return self._accept(url, asset)

    def _call_fetcher(self, url: str) -> tuple[Asset | None, str]:
        try:
            asset = self.fetch(url)
        except AssetError as exc:
            return None, str(exc) or "AssetError"
        except Exception as exc:  # one broken asset must never lose the whole page
            return None, f"{type(exc).__name__}: {exc}"
        return asset, "not fetched"

    def _accept(self, url: str, asset: Asset) -> tuple[Fetched | None, str]:
        size = len(asset.body)
        if self.limits.total_bytes + size > self.limits.max_total_bytes:
            limit = self.limits.max_total_bytes
            return None, f"skipped: {size} bytes would pass max_total_bytes ({limit})"
        effective = mime.guess_mime(asset.url or url, asset.mime, asset.body)
        if effective == "text/html":  # a soft 404 or a login page, not the asset asked for
            return None, "got an HTML page instead of an asset"
        self.limits.total_bytes += size
        charset = mime.charset_param(asset.mime)
        return Fetched(url=asset.url or url, mime=effective, charset=charset, body=asset.body), ""
