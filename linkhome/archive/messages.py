"""Why a capture failed, in the reader's language.

The pipeline and lib.safe_http (which must not import Django) store English sentences in
`Snapshot.error`. Each form of sentence they write is listed here once: a pattern with
named parts, and the gettext template it becomes. `translated` runs when the error is
shown, so a snapshot taken before a language switch still reads right, and a sentence no
form knows is shown as it was written.
"""

import re

from django.utils.translation import gettext
from django.utils.translation import gettext_noop as _

HOST = r"(?P<host>\S+)"
SECONDS = r"(?P<seconds>[0-9.]+)"
DETAIL = r"(?P<detail>.*)"
LIMIT = r"(?P<limit>[0-9.]+ \w+)"
ALLOW_HINT = r" \(set LINKHOME_ALLOW_PRIVATE_NETWORKS=1 to allow\)"
# Parts that are sentences or phrases of their own, translated in turn.
NESTED = frozenset({"reason", "kind"})

# (pattern of the English sentence, its msgid); the first whole match wins, so wrappers
# ("…; retrying in 60 s") come before what they wrap.
FORMS: tuple[tuple[str, str], ...] = (
    (
        r"(?P<reason>.+); retrying in (?P<delay>[0-9.]+) s",
        _("%(reason)s; retrying in %(delay)s s"),
    ),
    (r"waiting for the site's turn", _("waiting for the site's turn")),
    (
        r"(?P<reason>.+) \(gave up after (?P<count>\d+) attempts\)",
        _("%(reason)s (gave up after %(count)s attempts)"),
    ),
    (
        r"the blob store is unavailable \((?P<detail>.*)\)",
        _("the blob store is unavailable (%(detail)s)"),
    ),
    (
        r"Redirected to (?P<url>\S+(?: \([0-9,]+ characters\))?): (?P<reason>.+)",
        _("Redirected to %(url)s: %(reason)s"),
    ),
    (
        r"the server answered (?P<status>\d+) (?P<phrase>.+)",
        _("the server answered %(status)s %(phrase)s"),
    ),
    (r"the server answered (?P<status>\d+)", _("the server answered %(status)s")),
    (
        HOST + r" sent response headers larger than the " + LIMIT + r" limit\.",
        _("%(host)s sent response headers larger than the %(limit)s limit."),
    ),
    (
        HOST + r" accepted the connection but did not complete the secure \(TLS\) handshake"
        r" within " + SECONDS + r" s\.",
        _(
            "%(host)s accepted the connection but did not complete the secure (TLS) handshake"
            " within %(seconds)s s."
        ),
    ),
    (
        HOST + r" did not accept a connection within " + SECONDS + r" s\.",
        _("%(host)s did not accept a connection within %(seconds)s s."),
    ),
    (
        HOST + r" sent nothing for " + SECONDS + r" s\.",
        _("%(host)s sent nothing for %(seconds)s s."),
    ),
    (
        r"The fetch took longer than its " + SECONDS + r" s limit\.",
        _("The fetch took longer than its %(seconds)s s limit."),
    ),
    (
        r"The secure \(TLS\) connection to " + HOST + r" failed: the server did not answer in"
        r" TLS \(it may serve plain http:// on this port\)\.",
        _(
            "The secure (TLS) connection to %(host)s failed: the server did not answer in TLS"
            " (it may serve plain http:// on this port)."
        ),
    ),
    (
        r"The secure \(TLS\) connection to " + HOST + r" failed: the server closed the"
        r" connection during the handshake\.",
        _(
            "The secure (TLS) connection to %(host)s failed: the server closed the connection"
            " during the handshake."
        ),
    ),
    (
        r"The secure \(TLS\) connection to " + HOST + r" failed \(" + DETAIL + r"\)\.",
        _("The secure (TLS) connection to %(host)s failed (%(detail)s)."),
    ),
    (
        r"The TLS certificate of " + HOST + r" could not be verified \(" + DETAIL + r"\)\.",
        _("The TLS certificate of %(host)s could not be verified (%(detail)s)."),
    ),
    (HOST + r" refused the connection\.", _("%(host)s refused the connection.")),
    (
        r"The connection to " + HOST + r" broke \(" + DETAIL + r"\)\.",
        _("The connection to %(host)s broke (%(detail)s)."),
    ),
    (
        r"The host name " + HOST + r" could not be resolved \(" + DETAIL + r"\)\.",
        _("The host name %(host)s could not be resolved (%(detail)s)."),
    ),
    (
        HOST + r" sent a response that is not valid HTTP \(" + DETAIL + r"\)\.",
        _("%(host)s sent a response that is not valid HTTP (%(detail)s)."),
    ),
    (
        r"The page is larger than the " + LIMIT + r" limit\.",
        _("The page is larger than the %(limit)s limit."),
    ),
    (
        r"The page is (?P<size>[0-9.]+ \w+), over the " + LIMIT + r" limit\.",
        _("The page is %(size)s, over the %(limit)s limit."),
    ),
    (
        r"Refused: " + HOST + r" resolves to (?P<ip>\S+), which is (?P<kind>.+)" + ALLOW_HINT,
        _(
            "Refused: %(host)s resolves to %(ip)s, which is %(kind)s (set"
            " LINKHOME_ALLOW_PRIVATE_NETWORKS=1 to allow)"
        ),
    ),
    (
        r"Refused: " + HOST + r" is (?P<kind>.+)" + ALLOW_HINT,
        _("Refused: %(host)s is %(kind)s (set LINKHOME_ALLOW_PRIVATE_NETWORKS=1 to allow)"),
    ),
    (r"internal error \((?P<name>\w+)\)", _("internal error (%(name)s)")),
)
# What "Refused: … is …" names (lib.safe_http.addresses and urls).
KINDS = (
    _("an unspecified address"),
    _("a loopback address"),
    _("a link-local address"),
    _("a multicast address"),
    _("a reserved address"),
    _("a private network address"),
    _("a shared (carrier-grade NAT) address"),
    _("a 'this network' address"),
    _("a special-purpose (non-public) address"),
    _("a loopback name"),
)
# Whole sentences without parts (a failed step's reason, say).
SENTENCES = (_("no readable text was found on the page"),)
_COMPILED = tuple((re.compile(pattern, re.S), template) for pattern, template in FORMS)
_PLAIN = frozenset(KINDS + SENTENCES)


def translated(message: str) -> str:
    """`message` in the active language when its form is known; as written otherwise."""
    if message in _PLAIN:
        return gettext(message)
    for pattern, template in _COMPILED:
        match = pattern.fullmatch(message)
        if match:
            parts = {
                name: translated(value) if name in NESTED else value
                for name, value in match.groupdict().items()
            }
            return gettext(template) % parts
    return _each_step(message) if "; " in message else message


def _each_step(message: str) -> str:
    """The reasons of several failed steps (a partial snapshot), each in turn; a sentence
    that only holds a semicolon of its own is left whole."""
    parts = message.split("; ")
    done = [translated(part) for part in parts]
    if done == parts:
        return message
    joined = done[0]
    for part in done[1:]:
        joined = gettext("%(first)s; %(then)s") % {"first": joined, "then": part}
    return joined
