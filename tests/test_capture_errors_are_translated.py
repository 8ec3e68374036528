"""Why a capture failed reads in the reader's language (capture.messages), and in English
exactly as the pipeline wrote it."""

import re
import socket

import pytest
from django.utils import translation

from linkhome.archive.messages import FORMS, KINDS, SENTENCES, translated
from linkhome.lib.safe_http import Limits, SafeClient
from linkhome.links.services import add_link
from linkhome.testing.factories import client_for
from linkhome.worker.sequence import capture_and_follow
from tests.test_safe_http_messages import failure, loopback, raw_server  # noqa: F401

CHINESE = re.compile(r"[\u4e00-\u9fff]")


def huge_header(request) -> None:
    request.wfile.write(b"HTTP/1.1 200 OK\r\nX-Big: " + b"a" * (1 << 20) + b"\r\n\r\n")


def real_failures(http_server, raw_server) -> list[str]:  # noqa: F811
    """The messages of real failed fetches, one of each kind this module knows."""
    http_server.route("/big", handler=huge_header)
    http_server.route("/slow", body=b"late", delay=3)
    http_server.route("/large", body=b"x" * 5000)
    http_server.redirect("/start", to=f"http://internal.example:{http_server.port}/")
    long_target = f"http://internal.example:{http_server.port}/" + "a" * 5000
    http_server.redirect("/long", to=long_target)
    held: list[socket.socket] = []
    silent = raw_server(held.append)
    closed = socket.create_server(("127.0.0.1", 0))
    closed_port = closed.getsockname()[1]
    closed.close()

    def guarded() -> SafeClient:
        return SafeClient(Limits(), resolver=loopback, trusted_hosts=["site.example"])

    small = SafeClient(Limits(allow_private=True, max_body=1000, read_timeout=0.5))
    messages = [
        failure(http_server.url("/big")).message,
        failure(f"https://127.0.0.1:{silent}/").message,
        failure(f"https://127.0.0.1:{http_server.port}/").message,
        failure(f"http://127.0.0.1:{closed_port}/").message,
        failure(f"http://site.example:{http_server.port}/start", guarded()).message,
        failure(f"http://site.example:{http_server.port}/long", guarded()).message,
        failure(http_server.url("/large"), small).message,
        failure(
            http_server.url("/slow"), SafeClient(Limits(allow_private=True, read_timeout=0.5))
        ).message,
        failure(f"http://127.0.0.1:{http_server.port}/", SafeClient(Limits())).message,
    ]
    for connection in held:
        connection.close()
    return messages


@pytest.mark.django_db
def test_real_fetch_failures_read_in_chinese_and_unchanged_in_english(
    http_server,
    raw_server,  # noqa: F811
):
    for message in real_failures(http_server, raw_server):
        for wrapped in (
            message,
            f"{message}; retrying in 60 s",
            f"{message} (gave up after 4 attempts)",
        ):
            with translation.override("zh-hans"):
                chinese = translated(wrapped)
            with translation.override("en"):
                assert translated(wrapped) == wrapped
            assert CHINESE.search(chinese) and chinese != wrapped, wrapped


@pytest.mark.parametrize("msgid", [template for _, template in FORMS] + [*KINDS, *SENTENCES])
def test_every_known_form_has_a_chinese_translation(msgid):
    with translation.override("zh-hans"):
        assert CHINESE.search(translation.gettext(msgid)), msgid


@pytest.mark.parametrize(
    "message",
    [
        "The address contains a tab at position 5; remove it.",  # its own semicolon
        "something new nobody listed",
        "",
    ],
)
def test_an_unknown_sentence_is_shown_as_written(message):
    with translation.override("zh-hans"):
        assert translated(message) == message


def test_the_reasons_of_several_failed_steps_are_each_translated():
    message = "no readable text was found on the page; internal error (ValueError)"
    with translation.override("zh-hans"):
        assert translated(message) == "网页上没有找到可读的正文；内部错误（ValueError）"


@pytest.mark.django_db(transaction=True)
def test_the_snapshot_page_shows_the_failure_in_the_readers_language(http_server, owner):
    http_server.route("/big", handler=huge_header)
    snapshot = capture_and_follow(add_link(owner, http_server.url("/big")).snapshot.pk)
    assert snapshot.status == "failed" and snapshot.attempts == 1
    chinese = client_for(owner).get(f"/s/{snapshot.pk}/").content.decode()
    english = client_for(owner).get(f"/s/{snapshot.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert "127.0.0.1 发送的响应头超过了 100 KB 的上限。" in chinese
    assert "127.0.0.1 sent response headers larger than the 100 KB limit." in (
        english.content.decode()
    )
