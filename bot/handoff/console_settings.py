"""The coordinator console's settings, read from the environment once, when the console is created.

| variable | default | what |
|---|---|---|
| COORDINATOR_SESSION_SECRET | random per process | signs session tokens; set it when several instances serve |
| COORDINATOR_SESSION_HOURS | 8 | a session's absolute lifetime |
| COORDINATOR_IDLE_MINUTES | 30 | a session unused this long ends |
| COORDINATOR_COOKIE_SECURE | auto | the cookie's Secure flag: auto (when the request came over TLS), always, never |
| COORDINATOR_TRUSTED_PROXIES | none | proxies (addresses or networks, comma-separated) whose X-Forwarded-* count |
| COORDINATOR_LOGIN_MAX_FAILURES | 5 | failed logins per (account, client address) per window |
| COORDINATOR_LOGIN_MAX_FAILURES_PER_CLIENT | 20 | failed logins per client address, any account, per window |
| COORDINATOR_LOGIN_WINDOW_MINUTES | 15 | the window those limits count in |
| COORDINATOR_ADMINS | none | accounts (names, comma-separated) that may read the audit trail (bot/handoff/audit.py) |

Sessions and login counters are kept where the server's wiring keeps shared state
(bot/server/wiring.py: in Redis with REDIS_URL).
"""
from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass
from typing import FrozenSet, Mapping, Optional, Tuple, Union

Network = Union[ipaddress.IPv4Network, ipaddress.IPv6Network]
COOKIE_SECURE_CHOICES = ("auto", "always", "never")


@dataclass(frozen=True)
class LoginLimits:
    per_account_and_client: int = 5
    per_client: int = 20
    window_seconds: float = 15 * 60


@dataclass(frozen=True)
class ConsoleSettings:
    session_secret: Optional[str] = None
    session_seconds: float = 8 * 3600
    idle_seconds: float = 30 * 60
    cookie_secure: str = "auto"
    trusted_proxies: Tuple[Network, ...] = ()
    login_limits: LoginLimits = LoginLimits()
    admins: FrozenSet[str] = frozenset()

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ) -> "ConsoleSettings":
        cookie_secure = env.get("COORDINATOR_COOKIE_SECURE", "auto").strip().lower()
        if cookie_secure not in COOKIE_SECURE_CHOICES:  # a typo must not silently drop the flag
            raise ValueError(f"COORDINATOR_COOKIE_SECURE must be one of {', '.join(COOKIE_SECURE_CHOICES)}")
        return cls(
            session_secret=env.get("COORDINATOR_SESSION_SECRET") or None,
            session_seconds=float(env.get("COORDINATOR_SESSION_HOURS", "8")) * 3600,
            idle_seconds=float(env.get("COORDINATOR_IDLE_MINUTES", "30")) * 60,
            cookie_secure=cookie_secure,
            trusted_proxies=parse_networks(env.get("COORDINATOR_TRUSTED_PROXIES", "")),
            login_limits=LoginLimits(
                per_account_and_client=int(env.get("COORDINATOR_LOGIN_MAX_FAILURES", "5")),
                per_client=int(env.get("COORDINATOR_LOGIN_MAX_FAILURES_PER_CLIENT", "20")),
                window_seconds=float(env.get("COORDINATOR_LOGIN_WINDOW_MINUTES", "15")) * 60),
            admins=frozenset(name.strip() for name in env.get("COORDINATOR_ADMINS", "").split(",") if name.strip()),
        )


def parse_networks(listed: str) -> Tuple[Network, ...]:
    """"10.0.0.5, 192.168.1.0/24" → networks (a bare address is a network of one); raises on a typo."""
    return tuple(ipaddress.ip_network(item.strip(), strict=False) for item in listed.split(",") if item.strip())
