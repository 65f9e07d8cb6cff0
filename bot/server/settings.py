"""The server-wide settings, read from the environment once, when the server mounts its channels.

Each channel and the console still read their own platform settings
(TELEGRAM_*, WECHAT_*, COORDINATOR_*: bot/handoff/console_settings.py); these
are the ones several parts share.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Mapping, Optional


@dataclass(frozen=True)
class ServerSettings:
    redis_url: Optional[str] = None  # REDIS_URL: shared state in Redis (bot/shared_state.py)
    handoff_wait_limit_seconds: float = 300.0  # HANDOFF_WAIT_LIMIT_SECONDS: then a later reply is offered
    handoff_check_seconds: float = 15.0  # HANDOFF_CHECK_SECONDS: how often waiting times are checked

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ) -> "ServerSettings":
        return cls(redis_url=env.get("REDIS_URL") or None,
                   handoff_wait_limit_seconds=float(env.get("HANDOFF_WAIT_LIMIT_SECONDS", "300")),
                   handoff_check_seconds=float(env.get("HANDOFF_CHECK_SECONDS", "15")))
