"""Relative times as people say them: "刚刚", "3 分钟前", "11 月前" / "just now", "1 year ago"."""

from datetime import datetime

MINUTE, HOUR, DAY = 60, 3600, 86400
# Calendar-free on purpose: "11 月前" is a feeling for age, not a date to compute with.
MONTH_DAYS, YEAR_DAYS = 30, 365

_ZH = {
    "minute": "{n} 分钟前",
    "hour": "{n} 小时前",
    "day": "{n} 天前",
    "month": "{n} 月前",
    "year": "{n} 年前",
}
_EN_UNITS = {"minute": "minute", "hour": "hour", "day": "day", "month": "month", "year": "year"}


def relative_time(then: datetime, now: datetime, language: str = "zh-hans") -> str:
    unit, count = _largest_unit(max(0.0, (now - then).total_seconds()))
    english = language.lower().startswith("en")
    if unit == "now":
        return "just now" if english else "刚刚"
    if english:
        return f"{count} {_EN_UNITS[unit]}{'' if count == 1 else 's'} ago"
    return _ZH[unit].format(n=count)


def _largest_unit(seconds: float) -> tuple[str, int]:
    days = int(seconds // DAY)
    if days >= YEAR_DAYS:
        return "year", days // YEAR_DAYS
    if days >= MONTH_DAYS:
        return "month", days // MONTH_DAYS
    if days >= 1:
        return "day", days
    if seconds >= HOUR:
        return "hour", int(seconds // HOUR)
    if seconds >= MINUTE:
        return "minute", int(seconds // MINUTE)
    return "now", 0
