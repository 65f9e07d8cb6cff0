"""The web widget's channel: Rasa's socket.io channel, plus what the widget needs around it.

Mounted by credentials.yml in place of `socketio` (same name, same events).
Adds: server-issued, signed conversation ids (bot/channels/widget_sessions.py):
a socket speaks only for the conversation its token proves; the handoff guard
on every message; "handoff_state" events, so the widget shows when a
coordinator is awaited or present; coordinator replies marked as such; and
the widget's files under /widget/ (the bundle built from widget/, a sample
host page, and its labels in 12 languages from bot/texts). A conversation's
socket.io room is named by its whole id ("widget:<hex>"), so replies and
coordinator messages go to the conversation id as it is.
"""
from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from rasa.core.channels.channel import OutputChannel, UserMessage
from rasa.core.channels.socketio import SocketIOInput, SocketIOOutput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot import languages, texts
from bot.channels.widget_sessions import SessionTokens, load_secret
from bot.handoff import patients
from bot.handoff.guard import guarded
from bot.server.wiring import WiredChannel

logger = logging.getLogger(__name__)

WIDGET_DIR = Path(__file__).resolve().parents[2] / "widget"
BUNDLE = WIDGET_DIR / "dist" / "patient-guide-widget.js"
DEMO_PAGE = WIDGET_DIR / "demo.html"
STATE_EVENT, STATE_REQUEST_EVENT = "handoff_state", "handoff_state_request"


def widget_texts() -> Dict[str, Dict[str, str]]:
    return {tag: {key: value for key, value in texts.load(tag).items() if key.startswith("widget_")}
            for tag in languages.TAGS}


def share_rooms_through_redis(sio, url: Optional[str]) -> None:
    """With REDIS_URL, emits reach a widget connected to any server instance.

    Rasa builds its socket.io server without a way to pass python-socketio's
    AsyncRedisManager, so it is put in before the server's first use. Without
    it, a coordinator's reply sent from one instance would miss a patient whose
    socket is on another.
    """
    if not url:
        return
    import socketio

    manager = socketio.AsyncRedisManager(url, channel="patient_guide:socketio")
    manager.set_server(sio)
    sio.manager, sio.manager_initialized = manager, False


class WidgetPatients(patients.PatientChannel):
    def __init__(self, channel: "WidgetInput") -> None:
        self._channel = channel

    def output(self) -> Optional[OutputChannel]:
        return self._channel.get_output_channel()

    async def send(self, conversation_id: str, text: str, buttons: Optional[List[Dict]] = None,
                   from_coordinator: bool = False) -> bool:
        if self._channel.sio is None:
            return False
        if not from_coordinator:
            return await super().send(conversation_id, text, buttons=buttons)
        await self._channel.sio.emit(self._channel.bot_message_evt, {"text": text, "sender": "coordinator"},
                                     room=conversation_id)
        return True

    async def send_state(self, conversation_id: str, state: str) -> None:
        if self._channel.sio is not None:
            await self._channel.sio.emit(STATE_EVENT, {"state": state}, room=conversation_id)


class WidgetInput(WiredChannel, SocketIOInput):
    def url_prefix(self) -> Text:
        return "/widget"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        widget = super().blueprint(on_new_message)  # its message handler is replaced below
        sio = self.sio
        patients.register(self.name(), WidgetPatients(self))
        share_rooms_through_redis(sio, self.wiring.shared.redis_url)

        tokens = SessionTokens(load_secret())
        handoff = self.wiring.handoff
        handle = guarded(on_new_message, handoff)

        async def conversation_of(sid: Text) -> Optional[str]:
            return (await sio.get_session(sid, namespace=self.namespace)).get("conversation_id")

        # Replaces Rasa 3.6's handler, which joins the socket to whatever id the client
        # names (and calls python-socketio 5's coroutine `enter_room` without awaiting
        # it, so the socket never joined its room and every reply was lost).
        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: Text, data: Optional[Dict]) -> None:
            token = (data or {}).get("session_id") if isinstance(data, dict) else None
            conversation_id = tokens.verify(token)
            if conversation_id is None:  # none, forged or foreign: a new conversation
                conversation_id, token = tokens.issue()
            await sio.save_session(sid, {"conversation_id": conversation_id}, namespace=self.namespace)
            await sio.enter_room(sid, conversation_id, namespace=self.namespace)
            await sio.emit("session_confirm", token, room=sid, namespace=self.namespace)

        # Replaces Rasa's handler, which takes the sender from the message's own
        # `session_id`: the sender is the conversation this socket proved.
        @sio.on(self.user_message_evt, namespace=self.namespace)
        async def user_message(sid: Text, data: Optional[Dict]) -> None:
            conversation_id = await conversation_of(sid)
            if conversation_id is None or not isinstance(data, dict) or not isinstance(data.get("message"), str):
                logger.info("widget socket without a session or with a malformed message: ignored")
                return
            metadata = data.get(self.metadata_key) or {}
            if isinstance(metadata, str):
                try:
                    metadata = json.loads(metadata)
                except ValueError:
                    metadata = {}
            await handle(UserMessage(data["message"], SocketIOOutput(sio, self.bot_message_evt), conversation_id,
                                     input_channel=self.name(),
                                     metadata=metadata if isinstance(metadata, dict) else {}))

        @sio.on(STATE_REQUEST_EVENT, namespace=self.namespace)
        async def state_request(sid: Text, data: Optional[Dict]) -> None:
            conversation_id = await conversation_of(sid)
            if conversation_id:
                await sio.emit(STATE_EVENT, {"state": await handoff.state_of(conversation_id)}, room=sid)

        @widget.route("/patient-guide-widget.js", methods=["GET"])
        async def bundle(_: Request) -> HTTPResponse:
            if not BUNDLE.exists():
                return response.text("widget not built: run `make widget`", status=404)
            return await response.file(BUNDLE, mime_type="application/javascript",
                                       headers={"Access-Control-Allow-Origin": "*"})

        @widget.route("/texts.json", methods=["GET"])
        async def labels(_: Request) -> HTTPResponse:
            return response.json(widget_texts(), headers={"Access-Control-Allow-Origin": "*"})

        @widget.route("/demo.html", methods=["GET"])
        async def demo(_: Request) -> HTTPResponse:
            return await response.file(DEMO_PAGE, mime_type="text/html")

        return widget
