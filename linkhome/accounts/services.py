"""Accounts: the only writers of users, profiles and API tokens."""

import secrets
from datetime import timedelta
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone

from linkhome.accounts.models import ApiToken, FeedAddress, Profile
from linkhome.accounts.nicknames import random_nickname

if TYPE_CHECKING:
    # What get_user_model() returns here (AUTH_USER_MODEL is Django's own), as a type.
    from django.contrib.auth.models import User
    from django.db.models import QuerySet
else:
    User = get_user_model()
NICKNAME_TRIES = 20


class AccountError(Exception):
    pass


def create_user(username: str, password: str | None = None, *, email: str = "") -> User:
    if User.objects.filter(username=username).exists():
        raise AccountError(f"user {username!r} already exists")
    with transaction.atomic():
        user = User.objects.create_user(username=username, email=email, password=password)
        assign_nickname(user)
    return user


def assign_nickname(user: User) -> Profile:
    # Collisions are rare (thousands of combinations) but real: retry, then add a number.
    for attempt in range(NICKNAME_TRIES):
        name = random_nickname() if attempt < NICKNAME_TRIES - 1 else _numbered()
        try:
            with transaction.atomic():
                return Profile.objects.create(user=user, nickname=name)
        except IntegrityError:
            continue
    raise AccountError("could not find a free nickname")


def _numbered() -> str:
    return f"{random_nickname()}{secrets.randbelow(10000)}"


def nickname_of(user: User) -> str:
    profile = Profile.objects.filter(user=user).first()
    return profile.nickname if profile else assign_nickname(user).nickname


MAX_TOKEN_NAME_LENGTH = 100  # ApiToken.name
# A token's last use is written at most this often: an API client making many calls a
# minute does not make as many writes, and "used 3 minutes ago" needs no finer clock.
TOKEN_USE_RESOLUTION = timedelta(minutes=1)


def create_token(user: User, name: str = "default") -> ApiToken:
    """A new API token for `user`, named so its owner can tell it from the others. The key
    is shown once by whoever asked (the account page, `linkhome token`)."""
    label = " ".join(name.split())
    if not label or len(label) > MAX_TOKEN_NAME_LENGTH:
        raise AccountError(f"a token's name has 1 to {MAX_TOKEN_NAME_LENGTH} characters")
    return ApiToken.objects.create(user=user, name=label)


def tokens_of(user: User) -> "QuerySet[ApiToken]":
    """The person's API tokens, newest first."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-pk")


def revoke_token(user: User, token_id: int) -> bool:
    """Deletes the person's token `token_id`: the API refuses it from then on. False when
    they have no such token (someone else's included)."""
    deleted, _ = ApiToken.objects.filter(user=user, pk=token_id).delete()
    return deleted > 0


def user_for_token(key: str) -> User | None:
    token = ApiToken.objects.select_related("user").filter(key=key).first()
    if token is None or not token.user.is_active:
        return None
    _note_use(token)
    return token.user


def _note_use(token: ApiToken) -> None:
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= TOKEN_USE_RESOLUTION:
        # One UPDATE of this row: no save() of a token read a moment ago, which a revoke
        # meanwhile would turn back into an insert.
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)


def first_user() -> User | None:
    return User.objects.order_by("id").first()


def user_named(username: str) -> User | None:
    return User.objects.filter(username=username).first()


def set_password(user: User, password: str) -> None:
    user.set_password(password)
    user.save(update_fields=["password"])


MAX_NICKNAME_LENGTH = 40


def change_nickname(user: User, nickname: str) -> Profile:
    """A person may pick their own nickname; it must be free and short."""
    name = " ".join(nickname.split())
    if not name or len(name) > MAX_NICKNAME_LENGTH:
        raise AccountError(f"a nickname has 1 to {MAX_NICKNAME_LENGTH} characters")
    profile = Profile.objects.get_or_create(user=user, defaults={"nickname": name})[0]
    if Profile.objects.filter(nickname=name).exclude(pk=profile.pk).exists():
        raise AccountError(f"the nickname {name} is taken")
    profile.nickname = name
    profile.save(update_fields=["nickname"])
    return profile


# The private feed's secret address: the owner makes, replaces and revokes it; the feed view
# finds the owner by it. Separate from API tokens, which can do everything the person can.


def feed_secret(user: User) -> str | None:
    """The secret of the person's private feed address, or None when they have none."""
    return FeedAddress.objects.filter(user=user).values_list("secret", flat=True).first()


def new_feed_address(user: User) -> str:
    """Make the person's private feed address, or replace its secret (the old address stops
    working at once); returns the new secret."""
    secret = secrets.token_urlsafe(32)
    FeedAddress.objects.update_or_create(user=user, defaults={"secret": secret})
    return secret


def revoke_feed_address(user: User) -> bool:
    """Delete the person's private feed address; False when there was none."""
    return FeedAddress.objects.filter(user=user).delete()[0] > 0


def owner_of_feed(secret: str) -> User | None:
    """Whose private feed this secret opens: None for an unknown (or revoked) secret and for
    an account that is no longer active."""
    if not secret:
        return None
    address = FeedAddress.objects.select_related("user").filter(secret=secret).first()
    if address is None or not address.user.is_active:
        return None
    return address.user
