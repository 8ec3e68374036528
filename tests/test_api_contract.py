"""The API keeps its OpenAPI contract: a bounded schemathesis run over every operation of
/api/openapi.json, authenticated with a token, finds no server error, no status code the
schema does not list, no body or content type that breaks the schema."""

import json
import sys
from collections import Counter

import hypothesis
import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, given
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import Failure, FailureGroup
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from linkhome.accounts.services import create_token
from linkhome.api.routes import api
from linkhome.links.services import add_link

pytestmark = pytest.mark.django_db
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    response_schema_conformance,
    content_type_conformance,
]
EXAMPLES_PER_MODE = 20  # per operation: valid requests, then invalid ones


def test_every_operation_keeps_the_schema(owner, settings):
    settings.ADD_LIMIT_PER_MINUTE = 3  # so the run meets the 429 too
    added = add_link(owner, "https://example.com/contract", tags=["契约"])
    headers = {"Authorization": f"Bearer {create_token(owner).key}"}
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", _in_test_transaction())
    operations, requests, failures = 0, Counter(), []
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            requests.update(_exercise(operation, mode, headers, failures))
    report = {
        "operations": operations,
        "requests": sum(requests.values()),
        "statuses": dict(sorted(requests.items())),
        "failures": len(failures),
        "distinct": sorted({failure.splitlines()[0] for failure in failures}),
    }
    print(json.dumps(report), file=sys.stderr)
    assert added.link.pk and operations >= 10
    assert failures == [], "\n\n".join(failures[:10])


def _in_test_transaction():  # noqa: ANN202 - a WSGI app
    """The WSGI app, minus its closing of the database connection after each request (as
    Django's test client does): the test's transaction lives on that connection."""
    app = get_wsgi_application()

    def call(environ, start_response):  # noqa: ANN001, ANN202
        signals.request_started.disconnect(close_old_connections)
        signals.request_finished.disconnect(close_old_connections)
        try:
            return app(environ, start_response)
        finally:
            signals.request_started.connect(close_old_connections)
            signals.request_finished.connect(close_old_connections)

    return call


def _exercise(operation, mode: GenerationMode, headers: dict, failures: list[str]) -> Counter:  # noqa: ANN001
    statuses: Counter = Counter()

    @hypothesis.settings(
        max_examples=EXAMPLES_PER_MODE,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
        phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],
    )
    @given(case=operation.as_strategy(mode))
    def run(case) -> None:  # noqa: ANN001
        response = case.call(headers=headers)
        statuses[response.status_code] += 1
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except (Failure, FailureGroup) as exc:  # every failure is collected and reported
            found = exc.exceptions if isinstance(exc, FailureGroup) else [exc]
            for failure in found:
                kind = f"{operation.label} -> {response.status_code}: {failure.title}"
                failures.append(f"{kind}\n{failure}"[:1500])

    run()
    return statuses


def test_an_empty_url_is_refused_by_the_schema(owner):
    client = Client(HTTP_AUTHORIZATION=f"Bearer {create_token(owner).key}")
    response = client.post("/api/links", json.dumps({"url": ""}), content_type="application/json")
    assert response.status_code == 422
    url = api.get_openapi_schema()["components"]["schemas"]["LinkIn"]["properties"]["url"]
    assert url["minLength"] == 1 and url["maxLength"] == 4096


@pytest.mark.parametrize("method", ["post", "delete"])
def test_a_signed_out_unsafe_call_is_401_not_a_csrf_403(db, method):
    client = Client(enforce_csrf_checks=True)
    response = getattr(client, method)("/api/links" if method == "post" else "/api/links/1")
    assert response.status_code == 401 and response.json() == {"detail": "Unauthorized"}


def test_a_signed_in_session_still_needs_its_csrf_token(owner):
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    assert client.delete("/api/links/1").status_code == 403


def test_too_many_adds_say_when_to_retry(owner, settings):
    settings.ADD_LIMIT_PER_MINUTE = 1
    client = Client(HTTP_AUTHORIZATION=f"Bearer {create_token(owner).key}")
    for n in range(2):
        body = json.dumps({"url": f"https://example.com/{n}"})
        response = client.post("/api/links", body, content_type="application/json")
    assert response.status_code == 429 and response["Retry-After"] == "60"


TYPED = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), min_size=1)


@hypothesis.settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(title=TYPED.filter(lambda t: len(t) <= 500))
def test_any_title_the_schema_accepts_round_trips(owner, settings, title):
    settings.ADD_LIMIT_PER_MINUTE = 0
    client = Client(HTTP_AUTHORIZATION=f"Bearer {create_token(owner).key}")
    body = json.dumps({"url": "https://example.com/typed", "title": title})
    saved = client.post("/api/links", body, content_type="application/json")
    assert saved.status_code in (200, 201)
    link = client.get(f"/api/links/{saved.json()['link']['id']}").json()["link"]
    assert link["title"] == title
