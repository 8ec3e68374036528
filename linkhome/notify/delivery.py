"""Delivering notifications: signed webhooks and email, claimed and retried by the worker.

The worker's `notify-deliveries` job (worker/schedule.py) calls `deliver_due()`. Each due
delivery is claimed with one conditional UPDATE (`WHERE id = ? AND status = 'pending' AND
next_at = <the value read>`) that also moves `next_at` forward by the backoff of this
attempt and counts it: among any number of workers each attempt is made once, and a worker
killed mid-send leaves the delivery due again after that backoff. A failed attempt waits
`LINKHOME_NOTIFY_RETRY_SECONDS × 2^(attempt−1)` (at most `LINKHOME_NOTIFY_RETRY_MAX_SECONDS`)
and after `LINKHOME_NOTIFY_MAX_ATTEMPTS` the delivery is failed. Delivery is at least once:
a receiver tells repeats apart by `X-LinkHome-Delivery`.

Webhooks: a JSON body POSTed through the guarded client (lib.safe_http: the capture's
address rules, timeouts and size limits; redirects are not followed), with
`X-LinkHome-Signature: sha256=<hex HMAC-SHA256 of the body with the person's secret>`; any
2xx answer is a delivery. Email: Django's email backend (LINKHOME_EMAIL_*), in the person's
language. Both go to the person's channels as they are when the attempt is made.
"""

import hashlib
import hmac
import json
import logging
import smtplib
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import F
from django.utils import timezone, translation

from linkhome.lib.safe_http import FetchError, Limits, SafeClient
from linkhome.notify import messages, preferences
from linkhome.notify.models import Channel, Channels, Delivery, DeliveryStatus, Notification

log = logging.getLogger("linkhome.notify")
SIGNATURE_HEADER = "X-LinkHome-Signature"
REFUSED = frozenset({"blocked_address", "bad_scheme", "bad_url"})  # safe_http's codes
MAX_ANSWER_BYTES = 1024 * 1024  # a receiver's answer is read up to this (past it: a failure)


def backoff(attempt: int) -> timedelta:
    """The wait after failed attempt `attempt` (1, 2, 3…): doubling, capped."""
    seconds = settings.NOTIFY_RETRY_SECONDS * 2 ** max(0, attempt - 1)
    return timedelta(seconds=min(seconds, settings.NOTIFY_RETRY_MAX_SECONDS))


def sign(body: bytes, secret: str) -> str:
    """The signature header's value: `sha256=` and the hex HMAC-SHA256 of the body."""
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def webhook_body(event: Notification) -> bytes:
    """The JSON a webhook receives (UTF-8, keys sorted): the same fields as the API."""
    return json.dumps(event_summary(event), ensure_ascii=False, sort_keys=True).encode("utf-8")


def event_summary(event: Notification) -> dict:
    urls = messages.links(event)
    return {
        "id": event.pk,
        "kind": event.kind,
        "created_at": event.created_at.isoformat(),
        "link": {"id": event.link_id, "url": event.url, "title": event.title},
        "snapshot": event.snapshot_id,
        "compared_with": event.compared_with_id,
        "change_ratio": event.change_ratio,
        "change_added": event.change_added,
        "change_removed": event.change_removed,
        "http_status": event.http_status,
        "detail": event.detail,
        "snapshot_url": urls["snapshot"],
        "diff_url": urls.get("diff"),
    }


@dataclass(frozen=True)
class Attempt:
    delivered: bool
    target: str
    status: int | None = None
    error: str = ""
    final: bool = False  # no use trying again (the channel is gone)


def deliver_due(
    batch: int, worker_id: str = "", now: datetime | None = None, budget: float | None = None
) -> int:
    """Claim and attempt up to `batch` due deliveries; returns how many were attempted.
    Stops claiming after `budget` seconds (the job runs in the heartbeat's thread)."""
    now = now or timezone.now()
    started = time.monotonic()
    due = list(
        Delivery.objects.filter(status=DeliveryStatus.PENDING, next_at__lte=now)
        .order_by("next_at", "pk")
        .values_list("pk", "next_at", "attempts")[:batch]
    )
    if not due:
        return 0
    attempted = 0
    with _client() as client:
        for pk, next_at, attempts in due:
            if budget is not None and time.monotonic() - started > budget:
                break
            won = Delivery.objects.filter(
                pk=pk, status=DeliveryStatus.PENDING, next_at=next_at
            ).update(
                next_at=now + backoff(attempts + 1),
                attempts=F("attempts") + 1,
                claimed_by=worker_id[:64],
            )
            if won:
                _attempt(Delivery.objects.select_related("notification").get(pk=pk), client)
                attempted += 1
    return attempted


def _attempt(delivery: Delivery, client: SafeClient) -> None:
    channels = preferences.channels_of(delivery.notification.owner)
    try:
        if delivery.channel == Channel.WEBHOOK:
            result = _post(delivery, channels, client)
        else:
            result = _mail(delivery, channels)
    except Exception as exc:  # a bug must not stop the other deliveries; it is retried
        log.exception("delivery %s failed unexpectedly", delivery.pk)
        result = Attempt(False, "", error=f"{type(exc).__name__}: {exc}")
    _record(delivery, result)


def _record(delivery: Delivery, result: Attempt) -> None:
    fields: dict[str, object] = {
        "target": result.target,
        "last_status": result.status,
        "last_error": result.error[:2000],
    }
    if result.delivered:
        fields |= {"status": DeliveryStatus.DELIVERED, "delivered_at": timezone.now()}
    elif result.final or delivery.attempts >= settings.NOTIFY_MAX_ATTEMPTS:
        fields["status"] = DeliveryStatus.FAILED
    Delivery.objects.filter(pk=delivery.pk).update(**fields)


def _post(delivery: Delivery, channels: Channels, client: SafeClient) -> Attempt:
    url, secret = channels.webhook_url, channels.webhook_secret
    if not url or not secret:
        return Attempt(False, "", error="the webhook was removed", final=True)
    event = delivery.notification
    body = webhook_body(event)
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        SIGNATURE_HEADER: sign(body, secret),
        "X-LinkHome-Event": event.kind,
        "X-LinkHome-Delivery": str(delivery.pk),
    }
    try:
        answer = client.post(url, body, headers=headers)
    except FetchError as exc:  # a refused address stays refused: no use trying again
        return Attempt(False, url, error=exc.message, final=exc.code in REFUSED)
    if 200 <= answer.status < 300:
        return Attempt(True, url, answer.status)
    return Attempt(False, url, answer.status, f"the receiver answered {answer.status}")


def _mail(delivery: Delivery, channels: Channels) -> Attempt:
    address = channels.email
    if not (channels.email_on and address and preferences.email_available()):
        return Attempt(False, address, error="email was turned off", final=True)
    event = delivery.notification
    with translation.override(channels.language or settings.LANGUAGE_CODE):
        message = EmailMessage(
            subject=messages.subject(event),
            body=messages.body(event),
            to=[address],
            headers={"Auto-Submitted": "auto-generated", "X-LinkHome-Event": event.kind},
        )
    try:
        message.send()
    except (smtplib.SMTPException, OSError) as exc:
        return Attempt(False, address, error=f"{type(exc).__name__}: {exc}")
    return Attempt(True, address)


def _client() -> SafeClient:
    timeout = settings.NOTIFY_WEBHOOK_TIMEOUT
    return SafeClient(
        Limits(
            connect_timeout=timeout,
            read_timeout=timeout,
            deadline=timeout,
            max_body=MAX_ANSWER_BYTES,
            max_redirects=0,
            allow_private=settings.ALLOW_PRIVATE_NETWORKS,
        )
    )
