"""Who sent a console request, and whether it came over TLS, when proxies may stand in between.

Forwarding headers are believed only from a trusted proxy (COORDINATOR_TRUSTED_PROXIES):
anyone else could write any address into X-Forwarded-For and so choose whose
login counter they hit, or dodge their own.
"""
from __future__ import annotations

import ipaddress
from typing import Optional, Sequence, Union

from sanic.request import Request

from bot.handoff.console_settings import Network

Address = Union[ipaddress.IPv4Address, ipaddress.IPv6Address]


def _address(text: str) -> Optional[Address]:
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    # a dual-stack server sees IPv4 clients as ::ffff:a.b.c.d; the proxies are listed as a.b.c.d
    return getattr(address, "ipv4_mapped", None) or address


def _trusted(address: Optional[Address], proxies: Sequence[Network]) -> bool:
    return address is not None and any(address in network for network in proxies)


def peer_is_trusted_proxy(request: Request, proxies: Sequence[Network]) -> bool:
    return _trusted(_address(request.ip or ""), proxies)


def client_address(request: Request, proxies: Sequence[Network]) -> str:
    """The peer address; behind a trusted proxy, the client it forwarded for.

    X-Forwarded-For is read from the right: each proxy appends the address it
    saw, so the nearest hop that is not one of our proxies is the first one
    nobody outside could have written. With a single proxy that sets the header,
    that is the first (only) hop.
    """
    peer = request.ip or ""
    if not peer_is_trusted_proxy(request, proxies):
        return peer
    hops = [hop for header in request.headers.getall("x-forwarded-for", []) for hop in header.split(",")]
    client = peer
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            break  # garbage in the chain: nothing written before it can be believed
        client = str(address)
        if not _trusted(address, proxies):
            break
    return client


def came_over_tls(request: Request, proxies: Sequence[Network]) -> bool:
    if request.scheme == "https":
        return True
    if not peer_is_trusted_proxy(request, proxies):
        return False
    forwarded = request.headers.get("x-forwarded-proto", "")
    return forwarded.split(",")[0].strip().lower() == "https"
