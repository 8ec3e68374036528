"""Which IP addresses a fetch may reach: the SSRF guard's address policy.

Only public internet addresses pass by default. IPv6 forms that embed an IPv4 address
(IPv4-mapped, IPv4-compatible, 6to4, NAT64) are judged by the address they carry, since
that is where the packets can end up.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import unquote

from .models import FetchError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

ALLOW_HINT = "set LINKHOME_ALLOW_PRIVATE_NETWORKS=1 to allow"

# Named explicitly so the guard does not depend on one Python release's is_private table.
_NETWORKS = (
    (ipaddress.ip_network("100.64.0.0/10"), "a shared (carrier-grade NAT) address"),
    (ipaddress.ip_network("0.0.0.0/8"), "a 'this network' address"),  # 0.x reaches localhost
)
_COMPAT = ipaddress.ip_network("::/96")  # deprecated IPv4-compatible IPv6
_NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))

# Checked in order; the first match names the reason in the message.
_KINDS = (
    ("is_unspecified", "an unspecified address"),
    ("is_loopback", "a loopback address"),
    ("is_link_local", "a link-local address"),
    ("is_multicast", "a multicast address"),
    ("is_reserved", "a reserved address"),  # before is_private, which includes 240/4
    ("is_private", "a private network address"),
)


def embedded_ipv4(ip: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries (mapped, compatible, 6to4, NAT64), if any."""
    if ip.version == 4:
        return None
    if ip.ipv4_mapped or ip.sixtofour:
        return ip.ipv4_mapped or ip.sixtofour
    if ip in _COMPAT and int(ip) > 1:  # :: and ::1 are themselves, not IPv4 carriers
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if any(ip in net for net in _NAT64):
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def blocked_reason(ip: IPAddress) -> str | None:
    """Why `ip` is not a public address ("a loopback address"...), or None if it is."""
    inner = embedded_ipv4(ip)
    if inner is not None:
        return blocked_reason(inner)
    for attribute, reason in _KINDS:
        if getattr(ip, attribute):
            return reason
    for network, reason in _NETWORKS:
        if ip in network:
            return reason
    return None if ip.is_global else "a special-purpose (non-public) address"


def check_address(host: str, address: str, allow_private: bool, verb: str = "resolves to") -> None:
    """Raise FetchError("blocked_address") unless `address` (what `host` gave) may be reached."""
    if allow_private:
        return
    ip = ipaddress.ip_address(address)
    reason = blocked_reason(ip)
    if reason is not None:
        subject = _describe(host, ip, verb)
        raise FetchError("blocked_address", f"Refused: {subject} {reason} ({ALLOW_HINT})")


def _describe(host: str, ip: IPAddress, verb: str) -> str:
    """'127.0.0.1 is', 'localhost resolves to 127.0.0.1, which is', '::ffff:… carries …'."""
    if not _same_ip(host, ip):
        return f"{host} {verb} {ip}, which is"
    inner = embedded_ipv4(ip)
    return f"{host} carries {inner}, which is" if inner else f"{host} is"


def _same_ip(host: str, ip: IPAddress) -> bool:
    try:
        return ipaddress.ip_address(unquote(host.strip("[]"))) == ip
    except ValueError:
        return False
