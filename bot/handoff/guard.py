"""Wraps every patient channel's message handler (REST, widget, Telegram, WeChat).

Before Rasa: an oversized message gets a clear answer instead of being parsed,
and the waiting-notice buttons go to the handoff service. Around Rasa: if the
stores or the model fail (Redis down, say), the patient is asked, in their
language, to try again, and the server keeps running. After Rasa: the handoff
service queues paused conversations and answers emergencies while paused.
Logs name the conversation and the error type, never the message.

The handoff service is built once per server by bot/server/wiring.py and
handed to each channel, which passes it to `guarded`; without the console the
server does not start at all (wiring.HandoffServiceMissing).
"""
from __future__ import annotations

import logging
import os
from contextvars import ContextVar
from functools import lru_cache
from typing import Any, Awaitable, Callable, Optional

from rasa.core.channels.channel import UserMessage

from bot import languages, texts
from bot.handoff.conversations import reply_language
from bot.handoff.service import HandoffService, control_payload
from bot.handoff.shortcuts import SHORTCUT_PREFIX, as_patient_wrote

logger = logging.getLogger(__name__)

MAX_MESSAGE_CHARS = int(os.environ.get("MAX_MESSAGE_CHARS", "2000"))

Handler = Callable[[UserMessage], Awaitable[Any]]

# The tracker Rasa saved for the message this task is handling. Rasa's
# handle_message returns no tracker, and reading it back from the store after
# every message deserialised the whole conversation once more (a Redis round
# trip too); so the processor's save is observed instead. A ContextVar: the
# channel awaits Rasa in the same task, and concurrent messages never mix.
_saved_tracker: ContextVar[Optional[Any]] = ContextVar("saved_tracker", default=None)


@lru_cache(maxsize=None)  # once per process
def observe_saved_trackers() -> None:
    """Make Rasa's MessageProcessor.save_tracker leave the saved tracker for the guard."""
    from rasa.core.processor import MessageProcessor

    save = MessageProcessor.save_tracker

    async def save_tracker(self, tracker) -> None:
        await save(self, tracker)
        _saved_tracker.set(tracker)

    MessageProcessor.save_tracker = save_tracker


@lru_cache(maxsize=1)
def _identifier():
    from bot.nlu.language_identifier import LanguageIdentifier

    return LanguageIdentifier()


async def conversation_language(message: UserMessage, service: "HandoffService") -> str:
    """The conversation's language if its tracker can be read, else the message's own."""
    try:
        tracker = await service.conversations.tracker(message.sender_id)
    except Exception:  # noqa: BLE001 - the store may be what failed; the text still tells
        tracker = None
    return reply_language(tracker) if tracker is not None else language_of(message)


def language_of(message: UserMessage) -> str:
    """Without the tracker (it may be what failed): the text's language, else the channel's hint."""
    detected = _identifier().detect((message.text or "")[:500]).language
    if languages.is_supported(detected):
        return detected
    hint = (message.metadata or {}).get("language_hint")
    return hint if languages.is_supported(hint or "") else texts.FALLBACK_LANGUAGE


async def _tell(message: UserMessage, key: str, language: Optional[str] = None, **values: Any) -> None:
    try:
        await message.output_channel.send_text_message(message.sender_id,
                                                        texts.get(key, language or language_of(message), **values))
    except Exception as error:  # noqa: BLE001 - nothing more we can do for this message
        logger.error("conversation %s: could not tell the patient %s (%s)", message.sender_id, key,
                     type(error).__name__)


def guarded(on_new_message: Handler, service: "HandoffService", channel_shortcuts: frozenset = frozenset()) -> Handler:
    """`service`: the server's handoff service (bot/server/wiring.py).
    `channel_shortcuts`: intent shortcuts the channel itself makes of platform commands
    (Telegram's /start becomes "/greet"); they carry no entities and pass as they are."""
    async def handle(message: UserMessage) -> None:
        if len(message.text or "") > MAX_MESSAGE_CHARS:
            logger.info("conversation %s: message of %d characters refused", message.sender_id, len(message.text))
            # in the conversation's language: the junk itself may look like any language
            await _tell(message, "message_too_long", await conversation_language(message, service),
                        limit=str(MAX_MESSAGE_CHARS))
            return
        try:
            if control_payload(message.text):
                await service.patient_control(message)
                return
            if (message.text or "").startswith(SHORTCUT_PREFIX) and message.text not in channel_shortcuts:
                tracker = await service.conversations.tracker(message.sender_id)
                message.text = as_patient_wrote(message.text, tracker)
            _saved_tracker.set(None)
            await on_new_message(message)
        except Exception as error:  # noqa: BLE001 - the patient gets an answer whatever broke
            logger.error("conversation %s: message not processed (%s: %s)", message.sender_id,
                         type(error).__name__, _safe(error))
            await _tell(message, "service_unavailable")
            return
        try:
            saved = _saved_tracker.get()
            await service.after_patient_turn(message, saved if saved is not None and
                                             saved.sender_id == message.sender_id else None)
        except Exception as error:  # noqa: BLE001 - the reply went out; the handoff bookkeeping failed
            logger.error("conversation %s: handoff bookkeeping failed (%s)", message.sender_id, type(error).__name__)

    return handle


def _safe(error: BaseException) -> str:
    """The error's own text only when it cannot carry the patient's words (connection errors do not)."""
    return str(error)[:200] if isinstance(error, (ConnectionError, OSError, TimeoutError)) else "-"


