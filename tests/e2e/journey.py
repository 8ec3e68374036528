"""What a user journey builds up step by step, the UI contract's helpers, and a way around a
failed step.

Each step of test_user_journey.py records what it made (the account, the links, the tags).
A later step asks the journey for it; when the step that should have made it failed, the
journey makes it with the `linkhome` CLI instead (and warns), so a step fails only for its
own part of the UI and one run names every missing piece, not just the first.
"""

import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import quote, urlsplit

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page

from linkhome.testing.processes import cli_json, run_cli, wait_for_status
from tests.e2e.server import LinkhomeServer
from tests.e2e.site import FixturePage

# How long a page may take to show a piece of the contract once it has loaded: it is
# rendered by the server, so it is there at once or not at all.
CONTRACT_TIMEOUT_MS = 2_000
SUBMIT = "button:not([type]), button[type=submit], input[type=submit]"
SNAPSHOT_PATH = re.compile(r"/s/(\d+)/$")
PageHook = Callable[[Page], object]  # e.g. a screenshot of a filled-in form


class JourneyFallback(UserWarning):
    """A step failed, so the journey made what it should have made with the CLI."""


@dataclass(frozen=True)
class Person:
    username: str
    password: str


# The contract ---------------------------------------------------------------------------------


def require(page: Page, selector: str, what: str) -> Locator:
    """The element(s) the UI contract promises on this page; a clear failure if absent."""
    locator = page.locator(selector)
    try:
        locator.first.wait_for(state="attached", timeout=CONTRACT_TIMEOUT_MS)
    except PlaywrightError:
        pytest.fail(f"{what}: no `{selector}` on {page.url} (UI contract)", pytrace=False)
    return locator


def form_with(page: Page, field_name: str) -> Locator:
    """The form holding input `field_name`: pages may carry other forms (header, search)."""
    return page.locator("form", has=page.locator(f"input[name={field_name}]")).first


def submit_button(form: Locator) -> Locator:
    return form.locator(SUBMIT).first


def submit(form: Locator) -> None:
    submit_button(form).click()


def path_of(page: Page) -> str:
    return urlsplit(page.url).path


def tag_item(page: Page, name: str) -> Locator:
    """A tag's row in the tag cloud: the li linking to /tags/NAME/ (Django quotes the name)."""
    return page.locator("li", has=page.locator(f'a[href="/tags/{quote(name, safe="")}/"]'))


def sign_up(page: Page, person: Person, before_submit: PageHook | None = None) -> None:
    page.goto("/accounts/signup/")
    form = form_with(page, "password2")
    form.locator("input[name=username]").fill(person.username)
    form.locator("input[name=password1]").fill(person.password)
    form.locator("input[name=password2]").fill(person.password)
    if before_submit is not None:
        before_submit(page)
    submit(form)
    page.wait_for_url(lambda url: "/accounts/signup/" not in url)


def sign_in(page: Page, person: Person, before_submit: PageHook | None = None) -> None:
    page.goto("/accounts/login/")
    form = form_with(page, "password")
    form.locator("input[name=username]").fill(person.username)
    form.locator("input[name=password]").fill(person.password)
    if before_submit is not None:
        before_submit(page)
    submit(form)
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def is_signed_in(page: Page) -> bool:
    """The tag cloud needs an account: a signed-out person is sent to the sign-in page."""
    page.goto("/tags/")
    return path_of(page) == "/tags/"


def add_link(page: Page, link: FixturePage) -> int:
    """Adds `link` with the header's form; returns the snapshot id it redirects to."""
    form = require(page, "form#add-link", "the header's add form")
    form.locator("input[name=url]").fill(link.url)
    form.locator("input[name=tags]").fill(", ".join(link.tags))
    form.locator("input[name=private]").set_checked(link.private)
    submit(form)
    page.wait_for_url(SNAPSHOT_PATH)
    return int(SNAPSHOT_PATH.search(page.url).group(1))


# The journey ----------------------------------------------------------------------------------


@dataclass
class Journey:
    server: LinkhomeServer
    pages: dict[str, FixturePage]  # the fixture site's pages by a short name
    person: Person
    page: Page  # the person's tab
    signed_up: bool = False  # the account exists
    tab_signed_in: bool = False  # the tab holds a session (checking costs a page load)
    snapshots: dict[str, int] = field(default_factory=dict)  # page name -> snapshot id
    finished_ok: set[str] = field(default_factory=set)  # pages whose capture succeeded
    added_tags: dict[str, set[str]] = field(default_factory=dict)  # by the tag edit step

    def account(self) -> Person:
        """The person, whose account the CLI makes if the sign-up step failed."""
        if not self.signed_up:
            self._fallback(f"created the account {self.person.username}")
            name, password = self.person.username, self.person.password
            made = run_cli(self.server.env, "createuser", name, "--password", password)
            assert made.returncode == 0, made.stderr
            self.signed_up = True
        return self.person

    def signed_in(self) -> Page:
        """The person's tab, signed in."""
        self.account()
        if not self.tab_signed_in:
            sign_in(self.page, self.person)
            self.tab_signed_in = True
        return self.page

    def snapshot_id(self, name: str) -> int:
        """The snapshot of page `name`, added with the CLI when the add step failed."""
        if name not in self.snapshots:
            self.account()
            self._fallback(f"added {name} ({self.pages[name].url})")
            self.snapshots[name] = self._cli_add(name, self.pages[name].tags)
        return self.snapshots[name]

    def finished(self, name: str) -> int:
        """The snapshot id of `name` once its capture is over, which must have succeeded."""
        snapshot_id = self.snapshot_id(name)
        if name not in self.finished_ok:  # each check runs the CLI: about a second
            shown = wait_for_status(self.server.env, snapshot_id)
            assert shown["status"] == "succeeded", shown
            self.finished_ok.add(name)
        return snapshot_id

    def has_tags(self, name: str, tags: set[str]) -> None:
        """Makes sure link `name` carries `tags`, with the CLI when the edit step failed."""
        missing = tags - self.added_tags.get(name, set()) - set(self.pages[name].tags)
        if missing:
            self.snapshot_id(name)
            self._fallback(f"tagged {name} with {sorted(missing)}")
            self._cli_add(name, sorted(missing))
            self.added_tags.setdefault(name, set()).update(missing)

    def _cli_add(self, name: str, tags: list[str] | tuple[str, ...]) -> int:
        # Adding an address again only adds tags: the CLI is how a step is made up for.
        page = self.pages[name]
        options = [f"--tag={tag}" for tag in tags] + (["--private"] if page.private else [])
        shown = cli_json(self.server.env, "add", page.url, "--user", self.person.username, *options)
        return shown["snapshot"]["id"]

    def _fallback(self, what: str) -> None:
        warnings.warn(f"an earlier step failed, so the CLI {what}", JourneyFallback, stacklevel=3)
