"""Email: the worker sends each notification through Django's SMTP backend to a real SMTP
server (aiosmtpd) started here on 127.0.0.1; the message reaches the person's address, with
the subject in their language (Chinese by default, English when they chose it)."""

import email
import socket
from email import policy

import pytest
from aiosmtpd.controller import Controller
from django.core import mail

from linkhome.notify import delivery, preferences
from linkhome.notify.models import Delivery
from tests.notify_support import changed_event

pytestmark = pytest.mark.django_db


class Inbox:
    """aiosmtpd's handler: keeps every message as it was received over SMTP."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], email.message.EmailMessage]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: ANN001, ANN201, N802
        parsed = email.message_from_bytes(envelope.original_content, policy=policy.default)
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), parsed))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_inbox(settings):
    inbox = Inbox()
    server = Controller(inbox, hostname="127.0.0.1", port=free_port())
    server.start()
    # pytest-django swaps in the in-memory backend for every test; this test is about SMTP.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.DEFAULT_FROM_EMAIL = "LinkHome <notify@linkhome.test>"
    yield inbox
    server.stop()


def by_email(user, address: str, language: str) -> None:
    preferences.set_channels(user, preferences.ChannelChoice(True, address, "", "", language))


def test_a_notification_arrives_by_smtp_in_the_persons_language(
    http_server, owner, other_user, smtp_inbox
):
    by_email(owner, "owner@example.org", "zh-hans")
    by_email(other_user, "other@example.org", "en")
    mine = changed_event(http_server, owner, "/a")
    theirs = changed_event(http_server, other_user, "/b", title="旧城改造")

    assert delivery.deliver_due(10, "worker-1") == 2
    assert sorted(Delivery.objects.values_list("status", flat=True)) == ["delivered"] * 2
    assert getattr(mail, "outbox", []) == []  # not the in-memory backend: SMTP it was

    received = {rcpt[0]: (sender, message) for sender, rcpt, message in smtp_inbox.messages}
    assert set(received) == {"owner@example.org", "other@example.org"}

    sender, message = received["owner@example.org"]
    assert sender == "notify@linkhome.test"
    assert message["Subject"] == "页面已变更：城市更新"
    assert message["To"] == "owner@example.org"
    text = message.get_content()
    assert mine.url in text and f"/s/{mine.snapshot_id}/" in text
    assert "+2 段 −2 段" in text

    _, message = received["other@example.org"]
    assert message["Subject"] == "Page changed: 旧城改造"
    text = message.get_content()
    assert theirs.url in text and "+2 paragraphs −2 paragraphs" in text
    assert mine.url not in text  # each person is told about their own links only


def test_a_server_that_is_down_is_tried_again_later(http_server, owner, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nobody listens
    by_email(owner, "owner@example.org", "zh-hans")
    changed_event(http_server, owner)
    delivery.deliver_due(10, "worker-1")
    waiting = Delivery.objects.get()
    assert (waiting.status, waiting.attempts) == ("pending", 1)
    assert "Connection refused" in waiting.last_error or "Errno" in waiting.last_error
