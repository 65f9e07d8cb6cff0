"""Rasa's REST channel with the handoff guard (see bot/handoff/guard.py). Mounted as `rest`."""
from __future__ import annotations

from typing import Any, Awaitable, Callable

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint

from bot.handoff import patients
from bot.handoff.guard import guarded


class GuardedRestInput(RestInput):
    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        patients.register(self.name(), patients.NoPush())  # request/response: nothing can be pushed
        return super().blueprint(guarded(on_new_message))
