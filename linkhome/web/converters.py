"""URL converters for path parts that carry user text.

A tag name is anything a person can type, so it may hold "/", "%", "?", "#" or be "..".
Django quotes what a converter returns when it reverses a URL ("?" → %3F), but the server
decodes the path before it is matched, so a "/" in a name would come back as a path
separator and "." or ".." would be eaten by the browser as a dot segment. The converter
therefore escapes "%", "/" and a leading or whole-segment dot once more itself: reverse()
turns that "%" into "%25", the server's decoding undoes reverse()'s layer, and to_python
undoes ours. Ordinary names (Chinese, emoji, spaces) are untouched and read as typed.
"""

from urllib.parse import unquote


class TextSegmentConverter:
    """One path segment holding any non-empty text; see the module docstring."""

    # After the server's decoding the segment holds no "/": to_url escaped them all.
    regex = "[^/]+"

    def to_python(self, value: str) -> str:
        return unquote(value)

    def to_url(self, value: str) -> str:
        escaped = value.replace("%", "%25").replace("/", "%2F")
        if escaped.strip(".") == "":
            # "." and ".." (and "...") would be dot segments; browsers resolve them away.
            escaped = escaped.replace(".", "%2E")
        return escaped


class TimestampConverter:
    """A Wayback timestamp: 1 to 14 digits (YYYYMMDDhhmmss, the missing end padded)."""

    regex = "[0-9]{1,14}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class AddressConverter:
    """An original web address, the rest of the path (slashes included), as archives take
    it: `/web/2024/https://example.com/a/b`. Its query string is the request's own
    (history views add it back); reverse() escapes "?", "#" and "%" so they round-trip."""

    regex = ".+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value
