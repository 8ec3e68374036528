from datetime import datetime

from django import template
from django.utils import timezone, translation

from linkhome.lib.clock import relative_time

register = template.Library()


@register.filter
def relative(value: datetime | None) -> str:
    """ "11 月前" in Chinese, "11 months ago" in English, by the active language."""
    if value is None:
        return ""
    return relative_time(value, timezone.now(), translation.get_language() or "zh-hans")
