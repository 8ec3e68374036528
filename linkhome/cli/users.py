"""`linkhome createuser` and `linkhome token`."""

import argparse
import getpass

from linkhome.cli.errors import CliError


def register(sub: argparse._SubParsersAction) -> None:
    create = sub.add_parser("createuser", help="create an account")
    create.add_argument("username")
    create.add_argument("--password", help="default: ask (or none with --no-password)")
    create.add_argument("--no-password", action="store_true", help="create without a password")
    create.add_argument("--superuser", action="store_true", help="may use the admin site")
    create.set_defaults(handler=createuser)
    token = sub.add_parser("token", help="create an API token for an account")
    token.add_argument("username")
    token.add_argument("--name", default="cli")
    token.set_defaults(handler=make_token)


def createuser(args: argparse.Namespace) -> int:
    from linkhome.accounts import services

    password = None if args.no_password else args.password or _ask_password()
    try:
        user = services.create_user(args.username, password)
    except services.AccountError as exc:
        raise CliError(str(exc)) from exc
    if args.superuser:
        user.is_staff = user.is_superuser = True
        user.save(update_fields=["is_staff", "is_superuser"])
    print(f"created {user.username} ({services.nickname_of(user)})")
    return 0


def _ask_password() -> str:
    password = getpass.getpass("password: ")
    if password != getpass.getpass("again: "):
        raise CliError("the passwords differ")
    return password


def make_token(args: argparse.Namespace) -> int:
    from django.contrib.auth import get_user_model

    from linkhome.accounts import services

    user = get_user_model().objects.filter(username=args.username).first()
    if user is None:
        raise CliError(f"no user named {args.username!r}")
    print(services.create_token(user, args.name).key)
    return 0
