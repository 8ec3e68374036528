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
