"""The web platform's user journey (issue 3) in a real Chromium against `linkhome serve`.

Alice signs up, adds a Chinese sports story, watches its capture finish, reads it, tags it,
adds a private story and an English one, filters her links by two tags, renames and merges
tags, and signs out; Bob and a signed-out visitor then cannot see her private link.

The tests are the journey's steps and run in file order on one server, one site and
Alice's one tab. Selectors follow the UI contract of issue 3 (ids and names in the
templates). A step that fails leaves what it should have made to the CLI (see journey.py),
so the later steps still test their own part.
"""

from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from linkhome.testing.http import LocalHTTPServer
from tests.e2e.journey import (
    Journey,
    Person,
    add_link,
    is_signed_in,
    path_of,
    require,
    sign_up,
    submit,
    submit_button,
    tag_item,
)
from tests.e2e.server import LinkhomeServer
from tests.e2e.site import FixturePage, bbc_story, serve, sina_sports

pytestmark = pytest.mark.e2e

ALICE = Person("alice", "长城-e2e-Passw0rd")
BOB = Person("bob", "黄河-e2e-Passw0rd")
# The whole capture of a small page, with a slow start on purpose; generous, since a worker
# that has just started on a loaded 2-core machine takes a while to claim its first task.
CAPTURE_SECONDS = 60
Screenshot = Callable[[Page, str], object]


@pytest.fixture(scope="module")
def pages(fixture_site: LocalHTTPServer) -> dict[str, FixturePage]:
    return {
        # The site waits 1.5 s before answering, so the snapshot page opens while the capture
        # is still queued or running and must update itself.
        "lakers": sina_sports("thucnews-0001", tags=("新闻", "体育"), delay=1.5),
        "yao": sina_sports("thucnews-0055", tags=("体育", "姚明"), private=True),
        "time_warner": bbc_story("bbc-business-001", tags=("新闻", "English")),
    }


@pytest.fixture(scope="module")
def site(fixture_site: LocalHTTPServer, pages: dict[str, FixturePage]) -> dict[str, FixturePage]:
    return {name: serve(fixture_site, page) for name, page in pages.items()}


@pytest.fixture(scope="module")
def journey(
    linkhome_server: LinkhomeServer,
    site: dict[str, FixturePage],
    open_context: Callable[..., BrowserContext],
) -> Journey:
    return Journey(linkhome_server, site, ALICE, open_context().new_page())


def snapshot_url(snapshot_id: int) -> str:
    return f"/s/{snapshot_id}/"


def shown_tags(page: Page) -> set[str]:
    return {text.strip() for text in page.locator("#link-tags a.tag").all_inner_texts()}


# Alice -------------------------------------------------------------------------------------


def test_sign_up(journey: Journey, screenshot: Screenshot) -> None:
    page = journey.page
    sign_up(page, ALICE, before_submit=lambda signup: screenshot(signup, "signup"))
    journey.signed_up = True
    assert is_signed_in(page), "signing up should sign the new person in"
    journey.tab_signed_in = True


def test_add_a_chinese_page_from_the_header(journey: Journey) -> None:
    page = journey.signed_in()
    page.goto("/")
    form = require(page, "form#add-link", "the header's add form")
    expect(submit_button(form)).to_have_text("添加链接")
    journey.snapshots["lakers"] = add_link(page, journey.pages["lakers"])


def test_the_status_turns_to_succeeded_without_a_reload(journey: Journey) -> None:
    page = journey.page
    just_added = "lakers" in journey.snapshots
    snapshot_id = journey.snapshot_id("lakers")
    if path_of(page) != snapshot_url(snapshot_id):
        page.goto(snapshot_url(snapshot_id))
    status = require(page, "#snapshot-status", "the capture status")
    if just_added:  # the site is slow on purpose: the capture cannot be over yet
        assert status.get_attribute("data-status") in ("queued", "running")
    # The test never reloads: the page polls, and may reload itself once the capture is over.
    expect(status).to_have_attribute("data-status", "succeeded", timeout=CAPTURE_SECONDS * 1000)
    journey.finished_ok.add("lakers")


def test_the_snapshot_page_shows_the_chinese_text(journey: Journey, screenshot: Screenshot) -> None:
    page = journey.signed_in()
    page.goto(snapshot_url(journey.finished("lakers")))
    screenshot(page, "snapshot")
    readable = require(page, "article#readable", "the readable text")
    expect(readable).to_contain_text(journey.pages["lakers"].probe)


def test_add_a_private_page_and_an_english_one_and_read_them(journey: Journey) -> None:
    page = journey.signed_in()
    for name in ("yao", "time_warner"):
        page.goto("/")
        journey.snapshots[name] = add_link(page, journey.pages[name])
    for name in ("yao", "time_warner"):
        page.goto(snapshot_url(journey.snapshots[name]))
        status = require(page, "#snapshot-status", "the capture status")
        expect(status).to_have_attribute("data-status", "succeeded", timeout=CAPTURE_SECONDS * 1000)
        journey.finished_ok.add(name)
        expect(page.locator("article#readable")).to_contain_text(journey.pages[name].probe)


def test_the_tags_given_when_adding_are_shown_and_editable_in_place(journey: Journey) -> None:
    page = journey.signed_in()
    page.goto(snapshot_url(journey.snapshot_id("lakers")))
    require(page, "#link-tags a.tag", "the link's tags")
    assert shown_tags(page) == {"新闻", "体育"}
    # The field holds the whole list: adding two tags, then taking one away again.
    edit_tags(page, "新闻, 体育, 篮球, 湖人队")
    edit_tags(page, "新闻, 体育, 篮球")
    journey.added_tags["lakers"] = {"篮球"}


def edit_tags(page: Page, tags: str) -> None:
    form = require(page, "form#tag-edit", "the tag editor")
    form.locator("input[name=tags]").fill(tags)
    submit(form)
    wanted = [tag.strip() for tag in tags.split(",")]
    expect(page.locator("#link-tags a.tag")).to_have_count(len(wanted))  # waits for the swap
    assert shown_tags(page) == set(wanted)


def test_home_lists_my_links(journey: Journey, screenshot: Screenshot) -> None:
    for name in journey.pages:
        journey.finished(name)  # titles show once captured
    page = journey.signed_in()
    page.goto("/")
    screenshot(page, "home")
    links = require(page, "#my-links li.link", "my links")
    expect(links).to_have_count(3)
    for name, fixture in journey.pages.items():
        link = links.filter(has_text=fixture.title_start).locator("a").first
        expect(link).to_have_attribute("href", snapshot_url(journey.snapshots[name]))


def test_search_a_chinese_word_from_the_header(journey: Journey, screenshot: Screenshot) -> None:
    journey.finished("lakers")
    page = journey.signed_in()
    page.goto("/")
    box = require(page, "form#search", "the header search box")
    box.locator("input[name=q]").fill("湖人")  # a two-character word of the Lakers story
    submit(box)
    hits = require(page, "#results li.hit", "the search results")
    screenshot(page, "search")
    expect(hits.first).to_contain_text(journey.pages["lakers"].title_start)
    expect(hits.first.locator("mark").first).to_have_text("湖人")


def test_filter_my_links_by_two_tags(journey: Journey, screenshot: Screenshot) -> None:
    for name in journey.pages:
        journey.finished(name)
    page = journey.signed_in()
    page.goto("/?tag=新闻&tag=体育")
    screenshot(page, "filtered-list")
    require(page, "form#link-filter", "the filter form")
    # 新闻 alone: the Lakers story and Time Warner; 体育 alone: Lakers and Yao; both: Lakers.
    expect(page.locator("#my-links li.link")).to_have_count(1)
    expect(page.locator("#my-links li.link")).to_contain_text(journey.pages["lakers"].title_start)
    page.goto("/?tag=新闻")
    expect(page.locator("#my-links li.link")).to_have_count(2)


def test_rename_a_tag_in_the_tag_cloud(journey: Journey, screenshot: Screenshot) -> None:
    journey.has_tags("lakers", {"篮球"})
    page = journey.signed_in()
    page.goto("/tags/")
    screenshot(page, "tags")
    change_tag(page, "篮球", "rename", "篮球赛")
    expect(tag_item(page, "篮球赛")).to_have_count(1)  # waits for the answer
    expect(tag_item(page, "篮球")).to_have_count(0)
    page.goto("/tags/篮球赛/")
    expect(page.locator("main")).to_contain_text(journey.pages["lakers"].title_start)


def test_merge_a_tag_into_another(journey: Journey, screenshot: Screenshot) -> None:
    journey.has_tags("lakers", {"篮球"})
    journey.finished("yao")
    page = journey.signed_in()
    page.goto("/tags/")
    target = "篮球赛" if tag_item(page, "篮球赛").count() else "篮球"  # if the rename failed
    change_tag(page, "姚明", "merge", target)
    expect(tag_item(page, "姚明")).to_have_count(0)  # waits for the answer
    page.goto(f"/tags/{target}/")
    screenshot(page, "tag-page")
    for name in ("lakers", "yao"):  # Alice sees her private link on her own tag's page
        expect(page.locator("main")).to_contain_text(journey.pages[name].title_start)


def change_tag(page: Page, name: str, action: str, other: str) -> None:
    item = tag_item(page, name)
    item.locator("input[name=other]").fill(other)
    item.locator(f"button[name=action][value={action}]").click()
    if action in ("merge", "delete"):  # both ask first, on a page of their own
        page.locator(f"#tag-confirm button[value={action}-confirmed]").click()


def test_the_header_speaks_english_to_an_english_browser(
    journey: Journey, open_context: Callable[..., BrowserContext], screenshot: Screenshot
) -> None:
    # Alice again, in a browser set to English: her session, another Accept-Language.
    session = journey.signed_in().context.storage_state()
    page = open_context(locale="en-US", storage_state=session).new_page()
    page.goto("/")
    screenshot(page, "home-en")
    form = require(page, "form#add-link", "the header's add form")
    expect(submit_button(form)).to_have_text("Add link")


def test_sign_out(journey: Journey, screenshot: Screenshot) -> None:
    page = journey.signed_in()
    page.goto("/")
    require(page, "form#logout button", "the sign-out button").click()
    expect(page.locator("form#logout")).to_have_count(0)  # waits for the signed-out page
    journey.tab_signed_in = False
    assert not is_signed_in(page)  # sent to the sign-in page instead
    screenshot(page, "login")


# Everybody else ----------------------------------------------------------------------------


def test_another_person_cannot_see_the_private_link(
    journey: Journey, open_context: Callable[..., BrowserContext]
) -> None:
    private, public = journey.pages["yao"], journey.pages["lakers"]
    private_id, public_id = journey.finished("yao"), journey.finished("lakers")
    page = open_context().new_page()
    sign_up(page, BOB)
    assert page.goto(snapshot_url(private_id)).status == 404
    for where in ("/", "/tags/体育/", snapshot_url(public_id)):
        page.goto(where)
        expect(page.locator("body")).to_contain_text(public.title_start)
        expect(page.locator("body")).not_to_contain_text(private.title_start)


def test_the_related_sidebar_shows_no_private_link_of_others(
    journey: Journey, open_context: Callable[..., BrowserContext]
) -> None:
    page = open_context().new_page()  # signed out: nobody's private link may appear
    page.goto(snapshot_url(journey.finished("lakers")))
    require(page, "aside#related", "the related sidebar (相关文章推荐)")
    expect(page.locator("aside#related")).not_to_contain_text(journey.pages["yao"].title_start)


def test_a_signed_out_visitor_cannot_see_the_private_link(
    journey: Journey, open_context: Callable[..., BrowserContext], screenshot: Screenshot
) -> None:
    page = open_context().new_page()
    assert page.goto(snapshot_url(journey.finished("yao"))).status == 404
    page.goto("/")
    screenshot(page, "home-anonymous")
    expect(page.locator("body")).to_contain_text(journey.pages["lakers"].title_start)
    expect(page.locator("body")).not_to_contain_text(journey.pages["yao"].title_start)
