"""A server error is logged with its traceback and the request's id, and the error page
shows that id (item 9 of the hardening issue)."""

import io
import logging
import re

import pytest
from django.test import Client
from hypothesis import given, settings
from hypothesis import strategies as st

from linkhome.lib import request_ids

pytestmark = pytest.mark.django_db


@pytest.fixture
def failing_site(settings):  # noqa: ANN001, ANN201
    settings.ROOT_URLCONF = "tests.error_urls"
    return Client(raise_request_exception=False)


@pytest.fixture
def error_log():  # noqa: ANN201
    """What the configured django.request handler writes (settings.LOGGING), as text."""
    handler = logging.getLogger("django.request").handlers[0]
    stream = io.StringIO()
    # Swapped without setStream(), which flushes the old stream first: the handler was made
    # when Django configured logging, with the sys.stderr of that moment, which under pytest
    # may be an earlier test's capture file, closed since.
    with handler.lock:
        previous, handler.stream = handler.stream, stream
    yield stream
    with handler.lock:
        handler.stream = previous


def test_a_500_is_logged_with_its_traceback_and_request_id(failing_site, error_log):
    response = failing_site.get("/boom/")
    assert response.status_code == 500
    request_id = response[request_ids.HEADER]
    logged = error_log.getvalue()
    assert f"[{request_id}] Internal Server Error: /boom/" in logged
    assert "Traceback (most recent call last)" in logged and "boom on purpose" in logged


def test_the_500_page_shows_the_request_id_in_the_readers_language(failing_site, error_log):
    chinese = failing_site.get("/boom/")
    assert chinese[request_ids.HEADER] in chinese.content.decode()
    assert "服务器出错" in chinese.content.decode()
    english = failing_site.get("/boom/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Server error" in english.content.decode()
    assert english[request_ids.HEADER] in english.content.decode()


def test_an_api_500_is_json_with_the_request_id(failing_site, error_log):
    response = failing_site.get("/api/boom/", HTTP_X_REQUEST_ID="proxy-given-id-1234")
    assert response.status_code == 500 and response["Content-Type"] == "application/json"
    assert response.json()["request_id"] == "proxy-given-id-1234"
    assert "[proxy-given-id-1234]" in error_log.getvalue()


def test_the_404_page_is_in_the_site_layout_with_the_id(db):
    response = Client().get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "页面不存在" in page and response[request_ids.HEADER] in page and "link之家" in page


SANE = re.compile(r"[A-Za-z0-9._:-]{8,64}")


@settings(max_examples=40, deadline=None)
@given(offered=st.text(max_size=80))
def test_an_offered_request_id_is_kept_only_when_sane(offered):
    chosen = request_ids.request_id_from(offered)
    assert SANE.fullmatch(chosen)
    assert (chosen == offered) == bool(SANE.fullmatch(offered))


def test_every_answer_carries_an_id_and_a_forged_log_line_is_refused(db):
    forged = Client().get("/status/", HTTP_X_REQUEST_ID="x\n2026 ERROR fake")
    assert SANE.fullmatch(forged[request_ids.HEADER])
    first, second = Client().get("/status/"), Client().get("/status/")
    assert first[request_ids.HEADER] != second[request_ids.HEADER]


def test_a_bad_host_gets_the_400_page_with_the_id(db, error_log):
    response = Client(HTTP_HOST="evil.example").get("/")
    assert response.status_code == 400
    page = response.content.decode()
    assert "请求有误" in page and response[request_ids.HEADER] in page
