"""URL helpers that follow what browsers do with the references they find in a page."""

import re
from dataclasses import dataclass
from urllib.parse import urldefrag, urljoin, urlsplit

FETCHABLE_SCHEMES = frozenset({"http", "https"})
# Schemes that never reach the network: leave such references as they are.
INERT_SCHEMES = frozenset({"data", "about"})

_STRIP = "".join(chr(c) for c in range(0x21))  # browsers strip C0 controls and space
_INNER_CONTROLS = re.compile(r"[\x00-\x1f\x7f]")  # tab/newline are dropped inside URLs too
_SCRIPT_SCHEME = re.compile(r"^(?:java|vb)script:", re.I)


def clean(ref: str) -> str:
    """Trim and drop control characters the way the URL parser does before resolving."""
    return _INNER_CONTROLS.sub("", ref.strip(_STRIP))


def scheme_of(url: str) -> str:
    """Lower-case scheme of an absolute URL, "" for a relative one."""
    match = re.match(r"^([a-zA-Z][a-zA-Z0-9+.-]*):", url)
    return match.group(1).lower() if match else ""


def is_script_url(ref: str) -> bool:
    """True for javascript:/vbscript: URLs, however they are padded or split by tabs."""
    return bool(_SCRIPT_SCHEME.match(clean(ref)))


def resolve(ref: str, base: str) -> str | None:
    """Absolute form of ``ref`` against ``base``, or None if it cannot be parsed."""
    ref = clean(ref)
    if not ref:
        return None
    try:
        url = urljoin(base, ref)
        urlsplit(url)  # raises on broken hosts such as "http://[::1"
    except ValueError:
        return None
    return url


def split_fragment(url: str) -> tuple[str, str]:
    """(url without fragment, fragment): HTTP never sends the fragment, so it is no cache key."""
    if scheme_of(url) in INERT_SCHEMES:
        return url, ""
    bare, fragment = urldefrag(url)
    return bare, fragment


def usable_base(href: str | None, page_url: str) -> str:
    """The document base: ``<base href>`` if it resolves to http(s), else the page URL."""
    if href is None:
        return page_url
    resolved = resolve(href, page_url)
    if resolved and scheme_of(resolved) in FETCHABLE_SCHEMES:
        return resolved
    return page_url


@dataclass(frozen=True)
class Candidate:
    """One image candidate of a srcset: its URL and its descriptor text ("2x", "640w", "")."""

    url: str
    descriptor: str

    def weight(self) -> tuple[bool, float]:
        """Sort key: width descriptors outrank densities, then the bigger value wins."""
        for token in self.descriptor.split():
            unit, number = token[-1:].lower(), token[:-1]
            if unit in ("w", "x"):
                try:
                    return unit == "w", float(number)
                except ValueError:
                    continue
        return False, 1.0


_CANDIDATE_URL = re.compile(r"[\s,]*(\S+)")


def parse_srcset(value: str) -> list[Candidate]:
    """Candidates of a srcset, split as the HTML spec does (URLs may contain commas)."""
    candidates: list[Candidate] = []
    pos = 0
    while match := _CANDIDATE_URL.match(value, pos):
        url, pos = match.group(1), match.end()
        descriptor = ""
        if url.endswith(","):
            url = url.rstrip(",")
        else:
            end = value.find(",", pos)
            end = len(value) if end < 0 else end
            descriptor, pos = value[pos:end].strip(), end + 1
        if url:
            candidates.append(Candidate(url, descriptor))
    return candidates


def by_preference(candidates: list[Candidate]) -> list[Candidate]:
    """Largest candidate first: an archive keeps the sharpest picture the page offered."""
    return sorted(candidates, key=Candidate.weight, reverse=True)
