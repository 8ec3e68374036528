"""Accessibility (issue 14) in one Chromium against `linkhome serve`: axe-core, the npm package
that scripts/ensure-axe.sh installs into .axe/, finds no serious or critical violation on
any page of the journey (home signed out and in, a snapshot page, the tag cloud, a tag page,
search, import, the account page, tools and an error page) in the light and the dark theme;
and on the home page every control is reached by Tab and shows a visible focus ring.

The counts per page and theme are printed (pytest -s). axe.min.js is injected as an inline
script, which the app's Content-Security-Policy (script-src 'self') refuses, so the audit's
browser contexts, and only they, are opened with bypass_csp=True."""

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page

from linkhome.testing.fixtures import require_installed
from linkhome.testing.http import LocalHTTPServer
from linkhome.testing.processes import cli_json, run_cli, wait_for_status
from tests.e2e.journey import Person, sign_in
from tests.e2e.server import LinkhomeServer
from tests.e2e.site import serve, sina_sports

pytestmark = pytest.mark.e2e

AXE = Path(__file__).resolve().parents[2] / ".axe" / "node_modules" / "axe-core" / "axe.min.js"
AUDITOR = Person("auditor", "无障碍-e2e-Passw0rd")
TAG = "体育"
BLOCKING = ("serious", "critical")
THEMES = ("light", "dark")
BACKGROUND = {"light": "rgb(247, 248, 250)", "dark": "rgb(20, 23, 28)"}  # --bg of each theme
SIGNED_OUT = (
    ("home signed out", "/"),
    ("sign in", "/accounts/login/"),
    ("sign up", "/accounts/signup/"),
)
# The rules of WCAG 2.0/2.1/2.2 A and AA plus axe's best practices (landmarks, one <h1>...).
RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.slice(0, 5).map(n => n.target.join(" ")),
    count: v.nodes.length,
  }));
}"""


@pytest.fixture(scope="module")
def axe_source() -> str:
    require_installed(AXE, "scripts/ensure-axe.sh")
    return AXE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def snapshot_id(linkhome_server: LinkhomeServer, fixture_site: LocalHTTPServer) -> int:
    env = linkhome_server.env
    made = run_cli(env, "createuser", AUDITOR.username, "--password", AUDITOR.password)
    assert made.returncode == 0, made.stderr
    page = serve(fixture_site, sina_sports("thucnews-0085"))
    added = cli_json(env, "add", page.url, "--user", AUDITOR.username, "--tag", TAG)
    snapshot = added["snapshot"]["id"]
    assert wait_for_status(env, snapshot)["status"] == "succeeded"
    return snapshot


def audit(page: Page, axe_source: str) -> tuple[list[dict], list[str]]:
    """The serious and critical violations on the loaded page, and the ids of the milder
    (moderate, minor) rules it breaks: printed, not failed on."""
    page.add_script_tag(content=axe_source)
    violations = page.evaluate(RUN_AXE)
    milder = sorted({v["id"] for v in violations if v["impact"] not in BLOCKING})
    return [v for v in violations if v["impact"] in BLOCKING], milder


def test_no_serious_or_critical_violation_on_any_page_in_either_theme(
    open_context: Callable[..., BrowserContext], axe_source: str, snapshot_id: int
) -> None:
    pages = (
        ("home", "/"),
        ("snapshot", f"/s/{snapshot_id}/"),
        ("tags", "/tags/"),
        ("tag", f"/tags/{TAG}/"),
        ("search", f"/search/?q={TAG}"),
        ("import", "/imports/"),
        ("account", "/accounts/"),
        ("tools", "/tools/"),
        ("error", "/no-such-page/"),
    )
    counts: dict[str, int] = {}
    found: dict[str, list[dict]] = {}
    milder: dict[str, list[str]] = {}
    for theme in THEMES:
        context = open_context(color_scheme=theme, bypass_csp=True)
        page = context.new_page()
        for name, path in SIGNED_OUT:
            page.goto(path)
            violations, milder[f"{name}/{theme}"] = audit(page, axe_source)
            counts[f"{name}/{theme}"] = sum(v["count"] for v in violations)
            found[f"{name}/{theme}"] = violations
        sign_in(page, AUDITOR)
        for name, path in pages:
            page.goto(path)
            background = "getComputedStyle(document.documentElement).backgroundColor"
            assert page.evaluate(background) == BACKGROUND[theme], f"{name} is not {theme}"
            violations, milder[f"{name}/{theme}"] = audit(page, axe_source)
            counts[f"{name}/{theme}"] = sum(v["count"] for v in violations)
            found[f"{name}/{theme}"] = violations
    for key, count in counts.items():
        print(f"axe serious+critical: {key:24} {count}   milder: {milder[key] or '-'}")
    details = {key: v for key, v in found.items() if v}
    assert not details, json.dumps(details, ensure_ascii=False, indent=1)


def test_every_control_on_home_is_reached_by_tab_and_shows_focus(
    open_context: Callable[..., BrowserContext], snapshot_id: int
) -> None:
    for theme in THEMES:
        page = open_context(color_scheme=theme).new_page()
        sign_in(page, AUDITOR)
        page.goto("/")
        controls = page.evaluate(
            """() => {
            const all = document.querySelectorAll(
              'a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]');
            // A control taken out of the Tab order (tabindex=-1) counts, and fails: only a
            // non-control with a tabindex (a jump target) may have a negative one.
            const control = 'a[href], button, input, select, textarea, summary';
            return [...all].filter(el => (el.matches(control) || el.tabIndex >= 0) && !el.disabled &&
                el.getClientRects().length && getComputedStyle(el).visibility !== 'hidden')
              .map((el, i) => { el.dataset.a11yKey = String(i); return String(i); });
        }"""
        )
        assert controls, "no control on the home page"
        page.locator("body").focus()
        reached: set[str] = set()
        unringed: list[str] = []
        for _ in range(len(controls) + 5):
            page.keyboard.press("Tab")
            focused = page.evaluate(
                """() => {
                const el = document.activeElement;
                if (!el || el === document.body) return null;
                const s = getComputedStyle(el);
                const ring = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0)
                  || s.boxShadow !== 'none';
                return {key: el.dataset.a11yKey || '', ring,
                        what: el.outerHTML.slice(0, 120)};
            }"""
            )
            if focused is None:
                continue
            if focused["key"]:
                reached.add(focused["key"])
            if not focused["ring"]:
                unringed.append(focused["what"])
        missed = page.evaluate(
            "keys => keys.map(k => document.querySelector(`[data-a11y-key='${k}']`)"
            ".outerHTML.slice(0, 120))",
            [key for key in controls if key not in reached],
        )
        print(f"keyboard ({theme}): {len(reached)} of {len(controls)} controls reached by Tab")
        assert not missed, f"not reached by Tab ({theme}): {missed}"
        assert not unringed, f"no visible focus ring ({theme}): {unringed}"
