"""`linkhome watch`: how often your kept pages are checked again, and what the last check
found. Parse, call links.watching, print."""

import argparse
import json
from typing import TYPE_CHECKING

from linkhome.cli.arguments import object_id
from linkhome.cli.errors import CliError
from linkhome.cli.links import acting_user

if TYPE_CHECKING:
    from django.contrib.auth.models import User

EVERY = ("never", "daily", "weekly", "monthly", "inherit")


def register(sub: argparse._SubParsersAction) -> None:
    watch = sub.add_parser(
        "watch",
        help="check a link again on a schedule (or a tag's links, or all of yours)",
        description=(
            "Without --every, show the schedule and the last check. 'inherit' clears a link's"
            " or a tag's own schedule (it then follows its tags, your default, the instance's)."
        ),
    )
    watch.add_argument("link_id", nargs="?", type=object_id, metavar="LINK_ID")
    watch.add_argument("--every", choices=EVERY, help="how often to capture it again")
    watch.add_argument("--tag", help="set or show the schedule of your tag TAG instead")
    watch.add_argument(
        "--default", action="store_true", help="set or show your own default schedule instead"
    )
    watch.add_argument(
        "--reschedule-all",
        action="store_true",
        help="schedule every link again (after LINKHOME_WATCH_DEFAULT changed)",
    )
    told = watch.add_mutually_exclusive_group()
    told.add_argument(
        "--notify",
        dest="notify",
        action="store_const",
        const=True,
        help="tell me when it changes or dies (feed, webhook, email: see `linkhome notifications`)",
    )
    told.add_argument(
        "--no-notify", dest="notify", action="store_const", const=False, help="do not tell me"
    )
    told.add_argument(
        "--notify-inherit",
        dest="notify",
        action="store_const",
        const="inherit",
        help="clear the link's own choice: it then follows its tags",
    )
    watch.add_argument("--json", action="store_true")
    watch.add_argument("--user", help="act as this account (default: the first one)")
    watch.set_defaults(handler=watch_command)


def watch_command(args: argparse.Namespace) -> int:
    from linkhome.links import watching
    from linkhome.links.services import LinkError, explain

    if args.reschedule_all:
        print(f"{watching.reschedule_all()} links scheduled")
        return 0
    user = acting_user(args.user)
    every = None if args.every is None else ("" if args.every == "inherit" else args.every)
    try:
        if args.default:
            if args.notify is not None:
                raise CliError("--notify is set per link or per --tag, not as a default")
            return _default(user, every, args.json)
        if args.tag is not None:
            if args.notify == "inherit":
                raise CliError(
                    "--notify-inherit is for a link; a tag takes --notify or --no-notify"
                )
            return _tag(user, args.tag, every, args.notify, args.json)
        if args.link_id is None:
            raise CliError("name a LINK_ID, a --tag or --default")
        return _link(user, args.link_id, every, args.notify, args.json)
    except LinkError as exc:
        raise CliError(explain(exc)) from exc


def _link(
    user: "User", link_id: int, every: str | None, notify: bool | str | None, as_json: bool
) -> int:
    from linkhome.links import watching
    from linkhome.links.models import Link
    from linkhome.links.queries import health_summary
    from linkhome.notify import preferences

    # Schedules are the owner's: another person's link does not exist here.
    link = Link.objects.filter(owner=user, pk=link_id).prefetch_related("tags").first()
    if link is None:
        raise CliError(f"no link {link_id}")
    if every is not None:
        watching.set_link_every(link, every)
        link = Link.objects.prefetch_related("tags").get(pk=link.pk)
    if notify is not None:
        preferences.set_link_notify(link, None if notify == "inherit" else bool(notify))
    data = {
        "link": link.pk,
        **watching.schedule_summary(link),
        "health": health_summary(link),
        **preferences.summary(link),
    }
    if as_json:
        print(json.dumps(data, ensure_ascii=False))
    else:
        due = data["next_check_at"] or "-"
        health = data["health"]["state"]
        told = "notify" if data["notify_effective"] else "no-notify"
        print(
            f"{link.pk}\t{data['watch_effective']} ({data['watch_from']})\tnext {due}\t{health}"
            f"\t{told} ({data['notify_from']})"
        )
    return 0


def _tag(user: "User", name: str, every: str | None, notify: object, as_json: bool) -> int:
    from linkhome.links import watching
    from linkhome.links.models import Tag
    from linkhome.notify import preferences

    tag = Tag.objects.filter(owner=user, name=name).first()
    if tag is None:
        raise CliError(f"no tag {name!r}")
    if every is not None:
        watching.set_tag_every(tag, every)
    if notify is not None:
        preferences.set_tag_notify(tag, bool(notify))
    told = preferences.tag_notifies(tag)
    data = {"tag": tag.name, "watch_every": tag.watch_every, "notify": told}
    shown = f"{tag.name}\t{tag.watch_every or '-'}\t{'notify' if told else 'no-notify'}"
    print(json.dumps(data, ensure_ascii=False) if as_json else shown)
    return 0


def _default(user: "User", every: str | None, as_json: bool) -> int:
    from linkhome.links import watching

    if every is not None:
        watching.set_default_every(user, every)
    own = watching.default_every(user.pk)
    print(json.dumps({"watch_default": own}) if as_json else own)
    return 0
