"""Dates as bookmark files write them: Unix seconds (or milli-, micro-seconds), ISO 8601
in its many spellings, and Chrome's WebKit microseconds since 1601."""

from datetime import UTC, datetime, timedelta

EARLIEST = datetime(1990, 1, 1, tzinfo=UTC)  # before the web, a date is a mistake
LATEST = datetime(2200, 1, 1, tzinfo=UTC)
WEBKIT_EPOCH = datetime(1601, 1, 1, tzinfo=UTC)


def _sane(moment: datetime) -> datetime | None:
    return moment if EARLIEST <= moment < LATEST else None


def from_epoch(value: object) -> datetime | None:
    """Unix time in seconds, milliseconds or microseconds (told by its size); None for
    nothing, zero, garbage or a date outside 1990-2200."""
    try:
        number = float(str(value).strip())
    except (TypeError, ValueError):
        return None
    if number != number or number <= 0:  # NaN, zero, negative
        return None
    if number >= 1e14:
        number /= 1e6
    elif number >= 1e11:
        number /= 1e3
    try:
        return _sane(datetime.fromtimestamp(number, tz=UTC))
    except (OverflowError, OSError, ValueError):
        return None


def from_webkit(value: object) -> datetime | None:
    """Chrome's `date_added`: microseconds since 1601-01-01 UTC, as a string."""
    try:
        micros = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    if micros <= 0:
        return None
    try:
        return _sane(WEBKIT_EPOCH + timedelta(microseconds=micros))
    except OverflowError:
        return None


def from_iso(value: object) -> datetime | None:
    """ISO 8601 ("2021-03-04T05:06:07Z", "+0000", "+02:00", a space for the T, a bare date);
    a time without an offset is taken as UTC."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return _sane(moment.astimezone(UTC))


def from_any(value: object) -> datetime | None:
    """A number is Unix time; text is ISO 8601, or digits (Unix time as text)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return from_epoch(value)
    text = str(value).strip()
    if text.replace(".", "", 1).isdigit():
        return from_epoch(text)
    return from_iso(text)
