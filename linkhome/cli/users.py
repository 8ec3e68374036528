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
    password = sub.add_parser("password", help="set an account's password")
    password.add_argument("username")
    password.add_argument("--password", help="default: ask")
    password.set_defaults(handler=password_command)
    token = sub.add_parser("token", help="create an API token for an account")
    token.add_argument("username")
    token.add_argument("--name", default="cli")
    token.set_defaults(handler=make_token)


def createuser(args: argparse.Namespace) -> int:
    from linkhome.accounts import services

    password = None if args.no_password else args.password or _ask_password()
    if password is not None:
        _check_strength(password, services.User(username=args.username))
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


def _check_strength(password: str, user) -> None:  # noqa: ANN001 - a User
    """The same password validators as the web's sign-up (AUTH_PASSWORD_VALIDATORS)."""
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise CliError(" ".join(exc.messages)) from exc


def _named(username: str):  # noqa: ANN202 - a User
    from linkhome.accounts import services

    user = services.user_named(username)
    if user is None:
        raise CliError(f"no user named {username!r}")
    return user


def make_token(args: argparse.Namespace) -> int:
    from linkhome.accounts import services

    try:
        token = services.create_token(_named(args.username), args.name)
    except services.AccountError as exc:  # an empty or too long --name
        raise CliError(str(exc)) from exc
    print(token.key)
    return 0


def password_command(args: argparse.Namespace) -> int:
    from linkhome.accounts import services

    user = _named(args.username)
    password = args.password or _ask_password()
    _check_strength(password, user)
    services.set_password(user, password)
    print(f"password set for {user.username}")
    return 0
