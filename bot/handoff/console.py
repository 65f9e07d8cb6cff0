"""The coordinator console, mounted by credentials.yml at /coordinator/.

It is a Rasa input channel only so that Rasa mounts it on its own server; it
never sends patient messages to Rasa. It serves coordinators from the handoff
service bot/server/wiring.py built (the one the patient channels' guard
uses), and runs the "waiting too long" check.

Every API route needs a coordinator session cookie (patients have none);
every POST also needs the header X-Requested-With: patient-guide-console,
which a cross-site form cannot send (with SameSite=Strict cookies: no CSRF).
Changes are pushed to open consoles as Server-Sent Events.

Logging in: login_throttle.py counts the attempt (per account and client
address, and per client address) before accounts.py checks the password;
sessions.py issues a session the server can end (logout, "end all sessions",
idle time). client_origin.py tells the client's address and whether it came
over TLS (the cookie's Secure flag), believing forwarding headers only from
COORDINATOR_TRUSTED_PROXIES. API errors are JSON: {"error": code}.

The case at a glance (case_summary.py) and the phrase catalogue
(phrase_replies.py) are named in the coordinator's language, `?language=`
(English by default). Opening, taking, replying, handing back, logging in
and out are kept in the audit trail (audit.py), which only the accounts of
COORDINATOR_ADMINS may read.

Settings: HANDOFF_CHECK_SECONDS (bot/server/settings.py), the accounts in
accounts.py, and the rest in console_settings.py.
"""
from __future__ import annotations

import asyncio
import json
import logging
import secrets
from functools import wraps
from pathlib import Path
from typing import Any, Awaitable, Callable, Dict, Optional, Text
from urllib.parse import unquote  # Sanic 21 hands route parameters over still percent-encoded

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot import languages, texts
from bot.handoff import audit
from bot.handoff.accounts import Accounts, name_tag
from bot.handoff.client_origin import came_over_tls, client_address
from bot.handoff.console_settings import ConsoleSettings
from bot.handoff.login_throttle import LoginThrottle, create_login_throttle
from bot.handoff.service import HandoffService, Outcome
from bot.handoff.sessions import Sessions, create_sessions
from bot.server.wiring import WiredChannel, Wiring

logger = logging.getLogger(__name__)

STATIC = Path(__file__).parent / "static"
COOKIE = "pg_coordinator"
CSRF_HEADER, CSRF_VALUE = "X-Requested-With", "patient-guide-console"
MAX_BODY_BYTES = 16 * 1024
KEEPALIVE_SECONDS = 20
AUDIT_PAGE = 500  # entries per /api/audit answer unless ?limit= says otherwise
STATIC_FILES = {"console.js": "application/javascript", "console.css": "text/css"}
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                               "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


def _error(status: int, code: str, **details: Any) -> HTTPResponse:
    headers = dict(SECURITY_HEADERS)
    if "retry_after" in details:
        headers["Retry-After"] = str(details["retry_after"])
    return response.json({"error": code, **details}, status=status, headers=headers)


def _outcome(outcome: Outcome) -> HTTPResponse:
    return response.json(outcome.body, status=outcome.status, headers=SECURITY_HEADERS)


def _language_arg(request: Request, name: str, default: Optional[str]) -> Optional[str]:
    """A language tag from the query, or `default`; "" when it names no language of ours."""
    tag = request.args.get(name) or default
    return tag if tag is None or languages.is_supported(tag) else ""


def _limit_arg(request: Request) -> int:
    try:
        return min(max(int(request.args.get("limit") or AUDIT_PAGE), 1), audit.MAX_ENTRIES)
    except ValueError:
        return AUDIT_PAGE


class CoordinatorConsole(WiredChannel, InputChannel):
    serves_patients = False

    @classmethod
    def name(cls) -> Text:
        return "coordinator"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "CoordinatorConsole":
        return cls()

    def __init__(self, accounts: Optional[Accounts] = None, settings: Optional[ConsoleSettings] = None) -> None:
        self.settings = settings or ConsoleSettings.from_env()
        self.accounts = accounts or Accounts()
        self.check_every = 15.0
        self.service: Optional[HandoffService] = None
        self.sessions: Optional[Sessions] = None
        self.throttle: Optional[LoginThrottle] = None
        self._log_key = secrets.token_bytes(16)  # for name tags in the logs; they match within one process

    def connected(self, wiring: Wiring) -> None:
        """The handoff service, and sessions and login counters where the wiring keeps shared state
        (in Redis with REDIS_URL, so every instance shares them; an unreachable Redis stops the start)."""
        self.service = wiring.handoff
        self.check_every = wiring.settings.handoff_check_seconds
        client = wiring.shared.client()
        self.sessions = create_sessions(self.settings, client)
        self.throttle = create_login_throttle(self.settings.login_limits, client)

    def _who(self, username: str) -> str:
        """A typed name as the logs may show it: a configured account by name, anything else by a tag."""
        return f"account {username}" if self.accounts.known(username) else \
            f"unknown name #{name_tag(username, self._log_key)}"

    def _set_cookie(self, reply: HTTPResponse, request: Request, token: str) -> None:
        reply.cookies[COOKIE] = token
        cookie = reply.cookies[COOKIE]
        cookie["httponly"], cookie["samesite"], cookie["path"] = True, "Strict", "/coordinator"
        cookie["secure"] = self.settings.cookie_secure == "always" or (
            self.settings.cookie_secure == "auto" and came_over_tls(request, self.settings.trusted_proxies))
        if not token:
            cookie["max-age"] = 0

    def url_prefix(self) -> Text:
        return "/coordinator"  # absolute: Rasa joins it onto /webhooks/, which keeps an absolute path

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        console = Blueprint("coordinator_console", __name__)
        app_holder: Dict[str, Any] = {}
        self.service = self.wiring.handoff

        @console.listener("after_server_start")
        async def start(app, _loop) -> None:
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
                user = await self.sessions.account_of(request.cookies.get(COOKIE))
                if user is None or not self.accounts.known(user):
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

        async def opened(user: str, conversation_id: str, outcome: Outcome) -> HTTPResponse:
            """The answer to a read of a conversation, kept in the audit trail when it was shown."""
            if outcome.status == 200:
                await self.service.audit.record(audit.OPENED, user, conversation_id,
                                                once_in_seconds=audit.OPENED_EVERY_SECONDS)
            return _outcome(outcome)

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
            client = client_address(request, self.settings.trusted_proxies)
            # counted before the check: requests still inside bcrypt already count against the limit
            wait = await self.throttle.admit(username, client)
            if wait:
                logger.warning("coordinator login throttled: %s from %s", self._who(username), client)
                return _error(429, "too_many_attempts", retry_after=wait)
            # bcrypt takes ~0.2 s: off the event loop so patients are not held up
            ok = await asyncio.get_running_loop().run_in_executor(None, self.accounts.check_password,
                                                                  username, password)
            if not ok:
                logger.info("coordinator login refused: %s from %s", self._who(username), client)
                return _error(401, "invalid_credentials")
            await self.throttle.succeeded(username, client)
            logger.info("coordinator %s logged in from %s", username, client)
            await self.service.audit.record(audit.LOGIN, username)
            reply = response.json({"username": username}, headers=SECURITY_HEADERS)
            self._set_cookie(reply, request, await self.sessions.start(username))
            return reply

        @console.route("/api/logout", methods=["POST"])
        async def logout(request: Request) -> HTTPResponse:
            if request.headers.get(CSRF_HEADER) != CSRF_VALUE:
                return _error(403, "missing_console_header")
            token = request.cookies.get(COOKIE)
            user = await self.sessions.account_of(token, renew=False)
            await self.sessions.end(token)
            if user is not None:
                await self.service.audit.record(audit.LOGOUT, user)
            reply = response.json({}, headers=SECURITY_HEADERS)
            self._set_cookie(reply, request, "")
            return reply

        @console.route("/api/sessions/end-all", methods=["POST"])
        @coordinator_only
        async def end_all_sessions(request: Request, user: str) -> HTTPResponse:
            """Ends every session of the caller's account, this one included (e.g. a lost laptop)."""
            ended = await self.sessions.end_all(user)
            logger.info("coordinator %s ended all %d of their sessions", user, ended)
            await self.service.audit.record(audit.LOGOUT, user)
            reply = response.json({"ended": ended}, headers=SECURITY_HEADERS)
            self._set_cookie(reply, request, "")
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
            conversation_id = unquote(conversation_id)
            return await opened(user, conversation_id, await self.service.conversation(conversation_id))

        @console.route("/api/conversations/<conversation_id>/case", methods=["GET"])
        @coordinator_only
        async def case(request: Request, user: str, conversation_id: str) -> HTTPResponse:
            language = _language_arg(request, "language", texts.FALLBACK_LANGUAGE)
            if not language:
                return _error(400, "unknown_language")
            conversation_id = unquote(conversation_id)
            return await opened(user, conversation_id, await self.service.case(conversation_id, language))

        @console.route("/api/phrases", methods=["GET"])
        @coordinator_only
        async def phrase_catalogue(request: Request, user: str) -> HTTPResponse:
            """?language= (the coordinator's), ?patient_language=, or ?conversation= for its language and case."""
            language = _language_arg(request, "language", texts.FALLBACK_LANGUAGE)
            patient_language = _language_arg(request, "patient_language", None)
            if not language or patient_language == "":
                return _error(400, "unknown_language")
            conversation_id = request.args.get("conversation")
            return _outcome(await self.service.phrase_choices(language, patient_language, conversation_id))

        @console.route("/api/conversations/<conversation_id>/take", methods=["POST"])
        @coordinator_only
        async def take(_: Request, user: str, conversation_id: str) -> HTTPResponse:
            return _outcome(await self.service.take(unquote(conversation_id), user))

        @console.route("/api/conversations/<conversation_id>/reply", methods=["POST"])
        @coordinator_only
        async def reply(request: Request, user: str, conversation_id: str) -> HTTPResponse:
            data = body(request)
            phrase = data.get("phrase")
            return _outcome(await self.service.reply(unquote(conversation_id), user, text=str(data.get("text") or ""),
                                                     phrase=str(phrase) if phrase else None,
                                                     parameters=data.get("parameters")))

        @console.route("/api/conversations/<conversation_id>/note", methods=["POST"])
        @coordinator_only
        async def note(request: Request, user: str, conversation_id: str) -> HTTPResponse:
            text = str(body(request).get("text") or "")
            return _outcome(await self.service.note(unquote(conversation_id), user, text))

        @console.route("/api/conversations/<conversation_id>/handback", methods=["POST"])
        @coordinator_only
        async def handback(_: Request, user: str, conversation_id: str) -> HTTPResponse:
            return _outcome(await self.service.hand_back(unquote(conversation_id), user))

        @console.route("/api/audit", methods=["GET"])
        @coordinator_only
        async def audit_trail(request: Request, user: str) -> HTTPResponse:
            """Newest first; ?conversation=<id> for one conversation's, ?limit= entries."""
            if user not in self.settings.admins:
                return _error(403, "not_admin")
            entries = await self.service.audit.entries(request.args.get("conversation") or None, _limit_arg(request))
            return response.json({"entries": entries}, headers=SECURITY_HEADERS)

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
                        # an open stream is not use: it must not keep an idle session alive
                        if await self.sessions.account_of(request.cookies.get(COOKIE), renew=False) is None:
                            break  # the session ended while the page stayed open
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
