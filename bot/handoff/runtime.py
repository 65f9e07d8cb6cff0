"""The running server's one handoff service, set when Rasa mounts the coordinator console."""
from __future__ import annotations

from typing import Optional

from bot.handoff.service import HandoffService

_service: Optional[HandoffService] = None


def install(service: HandoffService) -> None:
    global _service
    _service = service


def service() -> Optional[HandoffService]:
    return _service
