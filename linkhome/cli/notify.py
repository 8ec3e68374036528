"""`linkhome notifications`: your notifications of changed and dead pages, and your feed's
secret address. Which links notify is set with `linkhome watch --notify`. Parse, call
linkhome.notify, print."""

import argparse
import json
from typing import TYPE_CHECKING

from linkhome.cli.arguments import bounded
from linkhome.cli.links import acting_user

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def register(sub: argparse._SubParsersAction) -> None:
    told = sub.add_parser(
        "notifications",
        help="your notifications of changed and dead pages, and your feed's address",
        description=(
            "Lists your newest notifications (set which links notify with `linkhome watch"
            " LINK_ID --notify` or `--tag NAME --notify`). --feed prints your Atom feed's secret"
            " address, --new-feed replaces it (the old one stops working). Webhook and email"
            " are set on the web page Notifications."
        ),
    )
    told.add_argument("--limit", type=bounded(1, 100), default=20, help="how many (1-100)")
    told.add_argument("--feed", action="store_true", help="print your feed's secret address")
    told.add_argument(
        "--new-feed", action="store_true", help="give your feed a new address and print it"
    )
    told.add_argument("--json", action="store_true")
    told.add_argument("--user", help="act as this account (default: the first one)")
    told.set_defaults(handler=notifications_command)


def notifications_command(args: argparse.Namespace) -> int:
    user = acting_user(args.user)
    if args.feed or args.new_feed:
        return _feed(user, args.new_feed, args.json)
    from linkhome.notify import delivery
    from linkhome.notify.models import Notification

    events = Notification.objects.filter(owner=user).order_by("-created_at", "-pk")[: args.limit]
    for event in events:
        data = delivery.event_summary(event)
        if args.json:
            print(json.dumps(data, ensure_ascii=False))
        else:
            print(
                f"{data['created_at']}\t{event.kind}\t{event.link_id}\t{event.title or event.url}"
            )
    return 0


def _feed(user: "User", new: bool, as_json: bool) -> int:
    from django.conf import settings
    from django.urls import reverse

    from linkhome.notify import preferences

    channels = preferences.new_feed_address(user) if new else preferences.channels_of(user)
    url = settings.SITE_URL + reverse("notification_feed", args=[channels.feed_key])
    print(json.dumps({"feed_url": url}) if as_json else url)
    return 0
