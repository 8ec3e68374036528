"""Every whole-number parameter of the API and the CLI is bounded: a huge or negative value
is a clear 422 / usage error, never a 500 or a crash (OverflowError past 2**63-1)."""

import argparse
import re
from urllib.parse import urlencode

import pytest
from django.test import Client

from linkhome.accounts.services import create_token
from linkhome.api.routes import api
from linkhome.cli.main import build_parser, main

pytestmark = pytest.mark.django_db
HOSTILE = ["9223372036854775808", "-9223372036854775809", "-1", str(10**40)]


def integer_parameters() -> list[tuple[str, str, str]]:
    """(method, path, parameter) for every integer query or path parameter in the schema."""
    found = []
    for path, operations in api.get_openapi_schema()["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                if parameter["schema"].get("type") == "integer":
                    found.append((method, path, parameter["name"]))
    return found


def request_for(path: str, name: str, value: str) -> tuple[str, dict]:
    """The path with `name` set to `value` (other path parameters plausible), and a query."""
    query = {}
    filled = path.replace("{kind}", "html")
    if "{" + name + "}" in filled:
        filled = filled.replace("{" + name + "}", value)
    else:
        query[name] = value
    return filled.replace("{link_id}", "1").replace("{snapshot_id}", "1"), query


def test_the_schema_has_integer_parameters_to_check():
    assert len(integer_parameters()) >= 9


@pytest.mark.parametrize("value", HOSTILE)
def test_every_integer_api_parameter_refuses_out_of_range_values(owner, value):
    client = Client(HTTP_AUTHORIZATION=f"Bearer {create_token(owner).key}")
    for method, path, name in integer_parameters():
        target, query = request_for(path, name, value)
        response = client.generic(method.upper(), f"{target}?{urlencode(query)}")
        assert response.status_code == 422, (method, path, name, response.status_code)
        assert response.json()["detail"], (method, path, name)


def test_the_largest_id_is_a_plain_404(owner):
    client = Client(HTTP_AUTHORIZATION=f"Bearer {create_token(owner).key}")
    assert client.get(f"/api/snapshots/{2**63 - 1}").status_code == 404
    assert client.get(f"/api/links/{2**63 - 1}").status_code == 404


def test_search_offset_past_a_64_bit_integer_is_422_not_500(db):
    response = Client().get("/api/search", {"q": "x", "offset": "9223372036854775808"})
    assert response.status_code == 422


def integer_options() -> list[tuple[str, argparse.Action, argparse.ArgumentParser]]:
    """(command, action, its parser) for every option or argument that takes a number."""
    subparsers = next(
        a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction)
    )
    found = []
    for command, parser in subparsers.choices.items():
        for action in parser._actions:
            if action.type is int or getattr(action.type, "__name__", "").startswith("whole"):
                found.append((command, action, parser))
    return found


def argv_with(command: str, action: argparse.Action, parser, value: str) -> list[str]:  # noqa: ANN001
    argv = [command]
    for other in parser._actions:
        if other.option_strings or other.dest in ("help",):
            continue
        argv.append(value if other is action else ("1" if other.type else "x"))
    if action.option_strings:
        argv += [action.option_strings[0], value]
    return argv


def test_the_cli_has_integer_options_to_check():
    names = {(command, action.dest) for command, action, _ in integer_options()}
    assert {("search", "offset"), ("search", "limit"), ("show", "snapshot_id")} <= names


@pytest.mark.parametrize("value", HOSTILE)
def test_every_integer_cli_option_refuses_out_of_range_values(value, capsys):
    for command, action, parser in integer_options():
        with pytest.raises(SystemExit) as stopped:
            build_parser().parse_args(argv_with(command, action, parser, value))
        assert stopped.value.code == 2, (command, action.dest)
        assert "is not from" in capsys.readouterr().err, (command, action.dest)


def test_linkhome_search_with_a_huge_offset_is_a_usage_error(owner, capsys):
    with pytest.raises(SystemExit) as stopped:
        main(["search", "x", "--offset", "9223372036854775808"])
    assert stopped.value.code == 2
    assert "--offset: 9223372036854775808 is not from 0 to 10000" in capsys.readouterr().err


def web_id_paths() -> list[tuple[str, str]]:
    """(route, parameter) for every web address that carries a row id."""
    from linkhome.web.urls import urlpatterns

    found = []
    for pattern in urlpatterns:
        for name, converter in getattr(pattern.pattern, "converters", {}).items():
            if type(converter).__name__ in ("IntConverter", "ObjectIdConverter"):
                found.append((str(pattern.pattern), name))
    return found


@pytest.mark.parametrize("value", ["9223372036854775808", str(10**40)])
def test_every_web_address_with_an_id_is_404_past_the_largest_id(owner, value):
    client = Client(raise_request_exception=False)
    client.force_login(owner)
    assert len(web_id_paths()) >= 8
    for route, name in web_id_paths():
        path = "/" + re.sub(rf"<\w+:{name}>", value, route).replace("<str:kind>", "html")
        assert client.get(path).status_code == 404, path
        assert client.post(path).status_code == 404, path


def test_bulk_tagging_ignores_ids_no_database_holds(owner):
    client = Client(raise_request_exception=False)
    client.force_login(owner)
    form = {"link": ["9223372036854775808", "²", "-1"], "tags": "a", "action": "tag"}
    assert client.post("/links/bulk/", form).status_code == 302
