"""Rasa's REST channel with the handoff guard (see bot/handoff/guard.py). Mounted as `rest`.

Requests are checked before Rasa sees them (Rasa's RestInput files a request without
`sender` under one shared conversation named "default" and logs a non-string `message`
with a stack trace): the JSON body must name a valid conversation id as `sender`
(bot/conversation_ids.py) and carry the message as a string; anything else is a 400.

REST senders are not put in a namespace as the other channels' ids are: a hospital's
integration chooses them and reads its conversations (trackers, bookings) by that id, so
prefixing would change the ids it knows. Instead a sender in another channel's namespace
("telegram:…", "wechat:…", "widget:…") is refused, so that a REST caller can never write
into, or read the replies of, a Telegram, WeChat or widget patient's conversation. The body's
`input_channel` is ignored for the same reason (Rasa's RestInput takes it from the caller, and
the handoff sends a coordinator's replies through the channel a conversation came from).

It also answers GET /webhooks/rest/ready, a readiness probe: 200 once the
model is loaded (the server can answer), with how many parse workers serve
it (bot/parse_worker/); 503 before.
"""
from __future__ import annotations

from typing import Any, Awaitable, Callable, Optional, Text

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot import conversation_ids, parse_worker
from bot.handoff import patients
from bot.handoff.guard import guarded
from bot.server.wiring import WiredChannel


class GuardedRestInput(WiredChannel, RestInput):
    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        patients.register(self.name(), patients.NoPush())  # request/response: nothing can be pushed
        blueprint = super().blueprint(guarded(on_new_message, self.wiring.handoff))

        @blueprint.middleware("request")
        async def refuse_malformed(request: Request) -> Optional[HTTPResponse]:
            if request.method != "POST" or not request.path.rstrip("/").endswith(f"/{self.name()}/webhook"):
                return None
            problem = request_problem(request)
            return response.json({"error": problem}, status=400) if problem else None

        @blueprint.route("/ready", methods=["GET"])
        async def ready(request: Request) -> HTTPResponse:
            state = parse_worker.readiness(getattr(request.app.ctx, "agent", None))
            return response.json(state, status=200 if state["model_loaded"] else 503)

        return blueprint

    def _extract_input_channel(self, req: Request) -> Text:
        return self.name()  # never the caller's claim (see the module's docstring)


def request_problem(request: Request) -> Optional[str]:
    """Why a message request cannot be taken, or None."""
    try:
        body = request.json
    except Exception:  # noqa: BLE001 - Sanic raises its own InvalidUsage for a body that is not JSON
        return "the body must be JSON"
    if not isinstance(body, dict):
        return "the body must be a JSON object"
    if "sender" not in body:
        return "'sender' (the conversation id) is required"
    if not conversation_ids.is_valid(body["sender"]):
        return f"'sender' must be 1 to {conversation_ids.MAX_ID_CHARS} printable characters"
    if conversation_ids.is_reserved(body["sender"]):
        return (f"'sender' must not start with {', '.join(conversation_ids.RESERVED_PREFIXES)}: "
                "those conversations belong to their channels")
    if not isinstance(body.get("message"), str):
        return "'message' must be a string"
    return None
