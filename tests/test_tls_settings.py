"""Deployment behind TLS: secure cookies, HSTS and trusting a proxy's X-Forwarded-Proto
are settings, off by default, and a malformed value stops the process naming itself."""

import json
import os
import subprocess
import sys

import pytest
from django.test import Client

READ_SETTINGS = (
    "import json, linkhome.settings as s; print(json.dumps({"
    "'session': s.SESSION_COOKIE_SECURE, 'csrf': s.CSRF_COOKIE_SECURE,"
    "'hsts': s.SECURE_HSTS_SECONDS, 'proxy': getattr(s, 'SECURE_PROXY_SSL_HEADER', None),"
    "'trust': s.TRUST_PROXY_HEADERS, 'redirect': s.SECURE_SSL_REDIRECT,"
    "'limit': s.AXES_FAILURE_LIMIT,"
    "'enabled': s.AXES_ENABLED, 'cooloff': s.AXES_COOLOFF_TIME.total_seconds()}))"
)
TLS_VARIABLES = (
    "LINKHOME_SECURE_COOKIES",
    "LINKHOME_HSTS_SECONDS",
    "LINKHOME_TRUST_PROXY_HEADERS",
    "LINKHOME_HTTPS_REDIRECT",
    "LINKHOME_SIGNIN_FAILURE_LIMIT",
    "LINKHOME_SIGNIN_COOLOFF_SECONDS",
)


def settings_with(**variables: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in TLS_VARIABLES} | variables
    command = [sys.executable, "-c", READ_SETTINGS]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)


def test_the_defaults_are_safe_for_plain_http():
    values = json.loads(settings_with().stdout)
    assert values == {
        "session": False,
        "csrf": False,
        "hsts": 0,
        "proxy": None,
        "trust": False,
        "redirect": False,
        "limit": 5,
        "enabled": True,
        "cooloff": 900.0,
    }


def test_behind_a_tls_proxy():
    values = json.loads(
        settings_with(
            LINKHOME_SECURE_COOKIES="1",
            LINKHOME_HSTS_SECONDS="31536000",
            LINKHOME_TRUST_PROXY_HEADERS="true",
            LINKHOME_HTTPS_REDIRECT="yes",
            LINKHOME_SIGNIN_FAILURE_LIMIT="0",
        ).stdout
    )
    assert values["session"] is values["csrf"] is values["trust"] is values["redirect"] is True
    assert values["hsts"] == 31536000 and values["proxy"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["enabled"] is False  # a limit of 0 turns throttling off


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("LINKHOME_SECURE_COOKIES", "maybe"),
        ("LINKHOME_HSTS_SECONDS", "a year"),
        ("LINKHOME_HSTS_SECONDS", "-1"),
        ("LINKHOME_TRUST_PROXY_HEADERS", "2"),
        ("LINKHOME_HTTPS_REDIRECT", "https"),
        ("LINKHOME_SIGNIN_FAILURE_LIMIT", "-3"),
        ("LINKHOME_SIGNIN_COOLOFF_SECONDS", "0"),
    ],
)
def test_a_malformed_value_stops_with_its_name(variable, value):
    result = settings_with(**{variable: value})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and variable in result.stderr


@pytest.mark.django_db
def test_hsts_is_sent_only_on_requests_a_trusted_proxy_says_are_https(settings):
    settings.SECURE_HSTS_SECONDS = 3600
    assert "Strict-Transport-Security" not in Client().get(
        "/status/", HTTP_X_FORWARDED_PROTO="https"
    )
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    answer = Client().get("/status/", HTTP_X_FORWARDED_PROTO="https")
    assert answer["Strict-Transport-Security"] == "max-age=3600"
    assert "Strict-Transport-Security" not in Client().get("/status/")


@pytest.mark.django_db
def test_secure_cookies_are_marked_secure(owner, settings):
    form = {"username": "owner", "password": "owner-password"}
    assert not Client().post("/accounts/login/", form).cookies["sessionid"]["secure"]
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    client = Client()
    assert client.get("/accounts/login/").cookies["csrftoken"]["secure"] is True
    assert client.post("/accounts/login/", form).cookies["sessionid"]["secure"] is True


@pytest.mark.django_db
def test_plain_http_is_redirected_only_when_asked(settings):
    assert Client().get("/status/").status_code == 200
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    plain = Client().get("/status/")
    assert plain.status_code == 301 and plain["Location"] == "https://testserver/status/"
    assert Client().get("/status/", HTTP_X_FORWARDED_PROTO="https").status_code == 200
