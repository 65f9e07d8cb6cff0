"""The coordinator console, mounted by credentials.yml at /coordinator/.

It is a Rasa input channel only so that Rasa mounts it on its own server; it
never sends patient messages to Rasa. It also creates the handoff service
(bot/handoff/runtime.py) that the patient channels' guard uses, and runs the
"waiting too long" check.

Every API route needs a coordinator session cookie (patients have none);
every POST also needs the header X-Requested-With: patient-guide-console,
which a cross-site form cannot send (with SameSite=Strict cookies: no CSRF).
Changes are pushed to open consoles as Server-Sent Events.

Settings: HANDOFF_WAIT_LIMIT_SECONDS (default 300), HANDOFF_CHECK_SECONDS
(default 15), and the accounts' settings in accounts.py.
"""
from __future__ import annotations

import asyncio
import json
import logging
import os
from functools import wraps
from pathlib import Path
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.handoff import runtime
from bot.handoff.accounts import Accounts
from bot.handoff.bus import create_bus
from bot.handoff.conversations import Conversations
from bot.handoff.service import HandoffService, Outcome
from bot.handoff.store import create_store

logger = logging.getLogger(__name__)

STATIC = Path(__file__).parent / "static"
COOKIE = "pg_coordinator"
CSRF_HEADER, CSRF_VALUE = "X-Requested-With", "patient-guide-console"
MAX_BODY_BYTES = 16 * 1024
KEEPALIVE_SECONDS = 20
STATIC_FILES = {"console.js": "application/javascript", "console.css": "text/css"}
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                               "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


def _error(status: int, code: str) -> HTTPResponse:
    return response.json({"error": code}, status=status, headers=SECURITY_HEADERS)


def _outcome(outcome: Outcome) -> HTTPResponse:
    return response.json(outcome.body, status=outcome.status, headers=SECURITY_HEADERS)


class CoordinatorConsole(InputChannel):
    @classmethod
    def name(cls) -> Text:
        return "coordinator"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "CoordinatorConsole":
        return cls()

    def __init__(self, accounts: Optional[Accounts] = None) -> None:
        self.accounts = accounts or Accounts()
        self.wait_limit = float(os.environ.get("HANDOFF_WAIT_LIMIT_SECONDS", "300"))
        self.check_every = float(os.environ.get("HANDOFF_CHECK_SECONDS", "15"))
        self.service: Optional[HandoffService] = None

    def url_prefix(self) -> Text:
        return "/coordinator"  # absolute: Rasa joins it onto /webhooks/, which keeps an absolute path

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        console = Blueprint("coordinator_console", __name__)
        app_holder: Dict[str, Any] = {}
        self.service = HandoffService(create_store(), create_bus(),
                                      Conversations(lambda: app_holder["app"].ctx.agent), self.wait_limit)
        runtime.install(self.service)

        @console.listener("after_server_start")
        async def start(app, _loop) -> None:
            app_holder["app"] = app
            await self.service.bus.start()
            app_holder["waiting_check"] = asyncio.ensure_future(self._check_waiting_forever())

        @console.listener("before_server_stop")
        async def stop(_app, _loop) -> None:
            # ended here, or asyncio logs "Task was destroyed but it is pending" at every shutdown
            task = app_holder.pop("waiting_check", None)
            if task is not None:
                task.cancel()

        def coordinator_only(handler):
            @wraps(handler)
            async def wrapped(request: Request, *args, **kwargs) -> HTTPResponse:
                user = self.accounts.session_user(request.cookies.get(COOKIE))
                if user is None:
                    return _error(401, "not_logged_in")
                if request.method == "POST":
                    if request.headers.get(CSRF_HEADER) != CSRF_VALUE:
                        return _error(403, "missing_console_header")
                    if len(request.body or b"") > MAX_BODY_BYTES:
                        return _error(413, "too_large")
                return await handler(request, user, *args, **kwargs)
            return wrapped

        def body(request: Request) -> Dict[str, Any]:
            try:
                data = json.loads(request.body or b"{}")
            except ValueError:
                return {}
            return data if isinstance(data, dict) else {}

        @console.route("/", methods=["GET"])
        async def page(_: Request) -> HTTPResponse:
            return await response.file(STATIC / "index.html", headers=SECURITY_HEADERS)

        for file_name, mime_type in STATIC_FILES.items():
            async def asset(_: Request, file_name: str = file_name, mime_type: str = mime_type) -> HTTPResponse:
                return await response.file(STATIC / file_name, mime_type=mime_type, headers=SECURITY_HEADERS)
            console.add_route(asset, f"/{file_name}", methods=["GET"], name=f"asset_{file_name.replace('.', '_')}")

        @console.route("/api/login", methods=["POST"])
        async def login(request: Request) -> HTTPResponse:
            if request.headers.get(CSRF_HEADER) != CSRF_VALUE:
                return _error(403, "missing_console_header")
            data = body(request)
            username, password = str(data.get("username", ""))[:100], str(data.get("password", ""))[:200]
            if self.accounts.throttled(username):
                return _error(429, "too_many_attempts")
            # bcrypt takes ~0.2 s: off the event loop so patients are not held up
            ok = await asyncio.get_running_loop().run_in_executor(None, self.accounts.check_password,
                                                                  username, password)
            if not ok:
                logger.info("coordinator login refused")
                return _error(401, "invalid_credentials")
            logger.info("coordinator %s logged in", username)
            reply = response.json({"username": username}, headers=SECURITY_HEADERS)
            reply.cookies[COOKIE] = self.accounts.issue_session(username)
            cookie = reply.cookies[COOKIE]
            cookie["httponly"], cookie["samesite"], cookie["path"] = True, "Strict", "/coordinator"
            cookie["secure"] = request.scheme == "https"
            return reply

        @console.route("/api/logout", methods=["POST"])
        async def logout(_: Request) -> HTTPResponse:
            reply = response.json({}, headers=SECURITY_HEADERS)
            reply.cookies[COOKIE] = ""
            reply.cookies[COOKIE]["max-age"], reply.cookies[COOKIE]["path"] = 0, "/coordinator"
            return reply

        @console.route("/api/me", methods=["GET"])
        @coordinator_only
        async def me(_: Request, user: str) -> HTTPResponse:
            return response.json({"username": user}, headers=SECURITY_HEADERS)

        @console.route("/api/queue", methods=["GET"])
        @coordinator_only
        async def queue(_: Request, user: str) -> HTTPResponse:
            return response.json({"conversations": await self.service.queue()}, headers=SECURITY_HEADERS)

        @console.route("/api/conversations/<conversation_id>", methods=["GET"])
        @coordinator_only
        async def conversation(_: Request, user: str, conversation_id: str) -> HTTPResponse:
            return _outcome(await self.service.conversation(conversation_id))

        @console.route("/api/conversations/<conversation_id>/take", methods=["POST"])
        @coordinator_only
        async def take(_: Request, user: str, conversation_id: str) -> HTTPResponse:
            return _outcome(await self.service.take(conversation_id, user))

        @console.route("/api/conversations/<conversation_id>/reply", methods=["POST"])
        @coordinator_only
        async def reply(request: Request, user: str, conversation_id: str) -> HTTPResponse:
            data = body(request)
            phrase = data.get("phrase")
            return _outcome(await self.service.reply(conversation_id, user, text=str(data.get("text") or ""),
                                                     phrase=str(phrase) if phrase else None))

        @console.route("/api/conversations/<conversation_id>/note", methods=["POST"])
        @coordinator_only
        async def note(request: Request, user: str, conversation_id: str) -> HTTPResponse:
            return _outcome(await self.service.note(conversation_id, user, str(body(request).get("text") or "")))

        @console.route("/api/conversations/<conversation_id>/handback", methods=["POST"])
        @coordinator_only
        async def handback(_: Request, user: str, conversation_id: str) -> HTTPResponse:
            return _outcome(await self.service.hand_back(conversation_id, user))

        @console.route("/api/events", methods=["GET"])
        @coordinator_only
        async def events(request: Request, user: str) -> HTTPResponse:
            subscription = self.service.bus.subscribe()
            stream = await request.respond(content_type="text/event-stream",
                                           headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})
            try:
                await stream.send("retry: 2000\n\n")
                while True:
                    try:
                        event, data = await asyncio.wait_for(subscription.get(), KEEPALIVE_SECONDS)
                        await stream.send(f"event: {event}\ndata: {json.dumps(data)}\n\n")
                    except asyncio.TimeoutError:
                        await stream.send(": keep-alive\n\n")
                        if self.accounts.session_user(request.cookies.get(COOKIE)) is None:
                            break  # the session expired while the page stayed open
            finally:
                self.service.bus.unsubscribe(subscription)
            await stream.eof()

        return console

    async def _check_waiting_forever(self) -> None:
        while True:
            await asyncio.sleep(self.check_every)
            try:
                await self.service.check_waiting()
            except Exception as error:  # noqa: BLE001 - a store outage must not end the loop
                logger.warning("waiting-time check failed: %s", type(error).__name__)
