"""Rasa's REST channel with the handoff guard (see bot/handoff/guard.py). Mounted as `rest`.

It also answers GET /webhooks/rest/ready, a readiness probe: 200 once the
model is loaded (the server can answer), with how many parse workers serve
it (bot/parse_worker/); 503 before.
"""
from __future__ import annotations

from typing import Any, Awaitable, Callable

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot import parse_worker
from bot.handoff import patients
from bot.handoff.guard import guarded


class GuardedRestInput(RestInput):
    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        patients.register(self.name(), patients.NoPush())  # request/response: nothing can be pushed
        blueprint = super().blueprint(guarded(on_new_message))

        @blueprint.route("/ready", methods=["GET"])
        async def ready(request: Request) -> HTTPResponse:
            state = parse_worker.readiness(getattr(request.app.ctx, "agent", None))
            return response.json(state, status=200 if state["model_loaded"] else 503)

        return blueprint
