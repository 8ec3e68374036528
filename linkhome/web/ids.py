"""Row ids in addresses and forms, bounded like the databases' integers (2**63-1): a larger
number is no such page (404) or no such link, never an OverflowError (500)."""

MAX_ID = 2**63 - 1


def object_id(text: str) -> int | None:
    """The id `text` names, or None when it is not an ASCII number from 1 to MAX_ID."""
    if not (text.isascii() and text.isdigit()):
        return None
    value = int(text)
    return value if 1 <= value <= MAX_ID else None


class ObjectIdConverter:
    """`<id:name>` in a URL pattern: like `<int:…>`, bounded."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        parsed = object_id(value)
        if parsed is None:
            raise ValueError(value)  # Django: this pattern does not match, so 404
        return parsed

    def to_url(self, value: int) -> str:
        return str(value)
