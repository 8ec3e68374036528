from datetime import UTC, datetime, timedelta

import pytest

from linkhome.lib.clock import relative_time

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("ago", "zh", "en"),
    [
        (timedelta(seconds=5), "刚刚", "just now"),
        (timedelta(minutes=1), "1 分钟前", "1 minute ago"),
        (timedelta(minutes=3, seconds=50), "3 分钟前", "3 minutes ago"),
        (timedelta(hours=5), "5 小时前", "5 hours ago"),
        (timedelta(days=2), "2 天前", "2 days ago"),
        (timedelta(days=29), "29 天前", "29 days ago"),
        (timedelta(days=335), "11 月前", "11 months ago"),
        (timedelta(days=365), "1 年前", "1 year ago"),
        (timedelta(days=800), "2 年前", "2 years ago"),
    ],
)
def test_relative_times_read_as_people_say_them(ago, zh, en):
    assert relative_time(NOW - ago, NOW) == zh
    assert relative_time(NOW - ago, NOW, "en") == en


def test_a_time_in_the_future_is_just_now():
    assert relative_time(NOW + timedelta(minutes=5), NOW) == "刚刚"
