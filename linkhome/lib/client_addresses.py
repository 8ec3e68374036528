"""The address a request came from, for throttling.

Behind a TLS proxy every request arrives from the proxy, so the client is in the
`X-Forwarded-For` header; but a client can send that header itself. Only the last entry,
the one our own proxy appended, is trusted, and only when the deployment says a proxy is
there (LINKHOME_TRUST_PROXY_HEADERS): otherwise anyone could pick a fresh address per try.
"""

import ipaddress
from collections.abc import Mapping

UNKNOWN = "0.0.0.0"  # noqa: S104 - a placeholder address, nothing listens on it


def client_address(meta: Mapping[str, str], *, trust_proxy: bool) -> str:
    """The client's IP address from a WSGI environ (`request.META`)."""
    if trust_proxy:
        forwarded = meta.get("HTTP_X_FORWARDED_FOR", "").split(",")[-1].strip()
        if _is_ip(forwarded):
            return forwarded
    remote = meta.get("REMOTE_ADDR", "").strip()
    return remote if _is_ip(remote) else UNKNOWN


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True
