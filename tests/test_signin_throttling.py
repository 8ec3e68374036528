"""Failed sign-ins (web) and wrong API tokens are throttled per account and per client
address (django-axes, linkhome.accounts.throttle), with a 429 that says when to come back."""

import pytest
from django.test import Client
from freezegun import freeze_time

from linkhome.accounts.services import create_token
from linkhome.testing.processes import linkhome_env, run_cli

pytestmark = pytest.mark.django_db
LIMIT = 5  # LINKHOME_SIGNIN_FAILURE_LIMIT's default


def sign_in(password: str, *, username: str = "owner", address: str = "127.0.0.1", **headers):
    return Client(REMOTE_ADDR=address, **headers).post(
        "/accounts/login/", {"username": username, "password": password}
    )


def test_after_the_limit_even_the_right_password_waits(owner):
    answers = [sign_in("wrong").status_code for _ in range(LIMIT)]
    assert answers == [200] * (LIMIT - 1) + [429]
    right = sign_in("owner-password")
    assert right.status_code == 429 and "_auth_user_id" not in right.client.session
    assert right["Retry-After"] == "900"
    assert "登录失败次数过多" in right.content.decode() and "15 分钟" in right.content.decode()


def test_the_wait_is_said_in_english_too(owner):
    for _ in range(LIMIT):
        answer = sign_in("wrong", HTTP_ACCEPT_LANGUAGE="en")
    text = answer.content.decode()
    assert "Too many failed sign-in attempts. Try again in 15 minutes." in text


def test_an_account_is_locked_whatever_address_the_guesses_come_from(owner):
    for n in range(LIMIT):
        sign_in("wrong", address=f"10.0.0.{n + 1}")
    assert sign_in("owner-password", address="10.9.9.9").status_code == 429


def test_an_address_is_locked_whatever_accounts_it_guesses(owner, other_user):
    for n in range(LIMIT):
        sign_in("wrong", username=f"nobody{n}", address="10.1.1.1")
    assert sign_in("other-password", username="other", address="10.1.1.1").status_code == 429
    assert sign_in("other-password", username="other", address="10.2.2.2").status_code == 302


def test_the_cool_off_ends(owner, settings):
    with freeze_time("2026-01-01 12:00:00"):
        for _ in range(LIMIT):
            sign_in("wrong")
        assert sign_in("owner-password").status_code == 429
    with freeze_time("2026-01-01 12:14:00"):  # every attempt starts the cool-off again
        assert sign_in("owner-password").status_code == 429
    with freeze_time("2026-01-01 12:29:01"):
        assert sign_in("owner-password").status_code == 302


def test_a_forwarded_address_counts_only_behind_a_trusted_proxy(owner, settings):
    # Untrusted: a client choosing a new X-Forwarded-For per try is still one address.
    for n in range(LIMIT):
        sign_in("wrong", username=f"x{n}", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
    assert sign_in("wrong", username="y", HTTP_X_FORWARDED_FOR="203.0.113.99").status_code == 429
    # Trusted: the proxy's last entry is the client, and another client is not locked.
    settings.TRUST_PROXY_HEADERS = True
    behind = {"address": "10.5.5.5", "HTTP_X_FORWARDED_FOR": "198.51.100.7"}
    for n in range(LIMIT):
        sign_in("wrong", username=f"z{n}", **behind)
    assert sign_in("owner-password", **behind).status_code == 429
    other_client = {"address": "10.5.5.5", "HTTP_X_FORWARDED_FOR": "1.2.3.4, 198.51.100.8"}
    assert sign_in("owner-password", **other_client).status_code == 302


def api(token: str, address: str = "127.0.0.1") -> Client:
    return Client(REMOTE_ADDR=address, HTTP_AUTHORIZATION=f"Bearer {token}")


def test_wrong_api_tokens_are_throttled_per_address(owner):
    answers = [api(f"guess-{n}").get("/api/links").status_code for n in range(LIMIT)]
    assert answers == [401] * (LIMIT - 1) + [429]
    good = create_token(owner).key
    locked = api(good).get("/api/links")
    assert locked.status_code == 429 and locked["Retry-After"] == "900"
    assert "15" in locked.json()["detail"]
    assert api(good, address="10.3.3.3").get("/api/links").status_code == 200


def test_password_rules_at_sign_up_in_both_languages(db):
    form = {"username": "newbie", "password1": "123", "password2": "123"}
    chinese = Client().post("/accounts/signup/", form).content.decode()
    assert chinese.count("errorlist") and "密码太短" in chinese and "这个密码太常见了" in chinese
    english = Client(HTTP_ACCEPT_LANGUAGE="en").post("/accounts/signup/", form).content.decode()
    assert "This password is too short" in english and "This password is too common" in english


def test_password_rules_when_changing_it(owner):
    client = Client()
    client.force_login(owner)
    answer = client.post(
        "/accounts/password/",
        {
            "old_password": "owner-password",
            "new_password1": "12345678",
            "new_password2": "12345678",
        },
    )
    assert answer.status_code == 200 and "密码只包含数字" in answer.content.decode()


def test_the_cli_applies_the_same_password_rules_in_the_terminals_language(tmp_path):
    locale = {"LANGUAGE": "", "LC_ALL": "", "LC_MESSAGES": ""}
    english = linkhome_env(tmp_path, LANG="en_US.UTF-8", **locale)
    weak = run_cli(english, "createuser", "bob", "--password", "123")
    assert weak.returncode == 1 and "This password is too short" in weak.stderr
    assert (
        run_cli(english, "createuser", "bob", "--password", "a-long-pass-phrase-9").returncode == 0
    )
    chinese = english | {"LANG": "zh_CN.UTF-8"}
    numeric = run_cli(chinese, "password", "bob", "--password", "73915586204")
    assert numeric.returncode == 1 and "密码只包含数字" in numeric.stderr


def test_signing_in_to_ones_own_account_does_not_reset_the_guesses(owner, other_user):
    for _ in range(LIMIT - 1):
        sign_in("wrong", username="owner", address="10.7.7.7")
    assert sign_in("other-password", username="other", address="10.7.7.7").status_code == 302
    assert sign_in("wrong", username="owner", address="10.7.7.7").status_code == 429
