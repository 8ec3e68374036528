"""What a person types on the Notifications page comes back as typed: any webhook secret
(Chinese, emoji, quotes, `%`, `<`) is stored as given, shown again in the form, and is the
key the body is signed with; the language chosen is kept."""

import hashlib
import hmac

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from linkhome.notify import delivery, preferences
from linkhome.testing.factories import client_for

pytestmark = pytest.mark.django_db

# Characters a form field keeps: no control characters or surrogates (a browser sends
# neither); no space at either end (form fields strip it).
SECRET_CHARS = st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"))
secrets = (
    st.text(SECRET_CHARS, min_size=16, max_size=128)
    .map(str.strip)
    .filter(lambda s: len(s) >= preferences.MIN_SECRET)
)


def save(client, http_server, secret: str, language: str = "en"):
    form = {
        "webhook_url": http_server.url("/hook"),
        "webhook_secret": secret,
        "language": language,
        "email": "",
    }
    return client.post("/accounts/notifications/", form)


@hypothesis_settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(secret=secrets)
def test_any_secret_round_trips_and_signs(http_server, owner, secret):
    client = client_for(owner)
    assert save(client, http_server, secret).status_code == 302
    channels = preferences.channels_of(owner)
    assert channels.webhook_secret == secret and channels.language == "en"
    page = client.get("/accounts/notifications/")
    assert page.context["form"]["webhook_secret"].value() == secret
    body = b'{"kind": "changed"}'
    expected = hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
    assert delivery.sign(body, secret) == "sha256=" + expected


@pytest.mark.parametrize("secret", ["短", "tooshort", "   ", ""])
def test_a_short_secret_is_refused_or_made_for_you(http_server, owner, secret):
    client = client_for(owner)
    answer = save(client, http_server, secret, "zh-hans")
    stored = preferences.channels_of(owner).webhook_secret
    if secret.strip():
        assert answer.status_code == 200
        assert "Webhook 密钥至少要 16 个字符" in answer.content.decode()
        assert stored == ""
    else:  # left empty: one is made
        assert answer.status_code == 302
        assert len(stored) >= preferences.MIN_SECRET
