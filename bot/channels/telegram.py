"""Telegram channel on python-telegram-bot, mounted at /webhooks/telegram/webhook.

Why not Rasa's own Telegram connector: it checks no secret token (anyone who
finds the URL can post updates) and calls get_me() for every update.

- Every POST must carry the secret token Telegram was given with setWebhook
  (header X-Telegram-Bot-Api-Secret-Token); otherwise 403 and nothing is read.
- A repeated update_id is processed once, on any server instance when
  REDIS_URL is set (bot/shared_state.py); if processing fails, the id is
  released and a 500 makes Telegram deliver the update again.
- Text, /start and button presses (callback queries) go to Rasa; other
  updates (photo, sticker, voice, location …) get a polite reply.
- The user's Telegram language is passed as metadata; actions/session.py uses
  it for the conversation until the patient's own text shows a language.
- A chat's conversation id is "telegram:<chat id>" (bot/conversation_ids.py);
  the output channel takes conversation ids and sends to the chat id in them.

Configuration (credentials.yml reads environment variables, so an
unconfigured channel answers 503 instead of stopping the server):
TELEGRAM_TOKEN, TELEGRAM_SECRET_TOKEN, TELEGRAM_WEBHOOK_URL (for
`python -m bot.channels.telegram set-webhook`), TELEGRAM_API_BASE_URL (tests).
"""
from __future__ import annotations

import argparse
import asyncio
import hmac
import json
import logging
import os
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import NetworkError, RetryAfter, TimedOut

from bot import conversation_ids, languages, texts
from bot.channels.long_payloads import KEY_MARK, LongPayloads
from bot.channels.retry import with_backoff
from bot.channels.seen import SeenIds
from bot.handoff import patients
from bot.handoff.guard import guarded
from bot.locales import from_locale
from bot.server.wiring import WiredChannel, Wiring

logger = logging.getLogger(__name__)
# httpx logs every request URL at INFO, and Bot API URLs contain the bot token.
logging.getLogger("httpx").setLevel(logging.WARNING)

MAX_MESSAGE_CHARS = 4096  # Telegram's limit for one message
MAX_CALLBACK_BYTES = 64  # Telegram's limit for a button's callback_data
MAX_BODY_BYTES = 64 * 1024  # an update is a few kB; anything far bigger is not from Telegram
SEND_ATTEMPTS = 5
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


def split_message(text: str, limit: int = MAX_MESSAGE_CHARS) -> List[str]:
    """Pieces of at most `limit` characters, cut at line breaks, then spaces, when possible."""
    pieces = []
    while len(text) > limit:
        cut = text.rfind("\n", 0, limit)
        if cut <= 0:
            cut = text.rfind(" ", 0, limit)
        if cut <= 0:
            cut = limit
        pieces.append(text[:cut])
        text = text[cut:].lstrip("\n ")
    return pieces + ([text] if text else [])


def _retry_after(error: BaseException) -> Optional[float]:
    """Telegram's own wait when it rate-limits (RetryAfter), else None for the default back-off."""
    if not isinstance(error, RetryAfter):
        return None
    retry_after = error.retry_after
    return retry_after.total_seconds() if hasattr(retry_after, "total_seconds") else float(retry_after)


async def with_retries(call: Callable[[], Awaitable[Any]], attempts: int = SEND_ATTEMPTS,
                       first_delay: float = 0.5) -> Any:
    """Telegram down or rate-limiting: retry with exponential back-off (RetryAfter's own delay when given)."""
    return await with_backoff(call, (RetryAfter, TimedOut, NetworkError), attempts, first_delay, _retry_after)


def chat_id(recipient_id: Text) -> str:
    """The Telegram chat of a conversation id; ValueError for an id that is not a Telegram conversation's."""
    return conversation_ids.platform_id(recipient_id, "telegram")


class TelegramOutput(OutputChannel):
    """Rasa's `recipient_id` is the conversation id ("telegram:<chat id>"), never sent as it is."""

    def __init__(self, bot: Bot, long_payloads) -> None:
        self.bot = bot
        self.long_payloads = long_payloads  # bot/channels/long_payloads.py

    @classmethod
    def name(cls) -> Text:
        return "telegram"

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        chat = chat_id(recipient_id)
        for piece in split_message(text):
            await with_retries(lambda piece=piece: self.bot.send_message(chat_id=chat, text=piece))

    async def send_text_with_buttons(self, recipient_id: Text, text: Text, buttons: List[Dict[Text, Any]],
                                     **kwargs: Any) -> None:
        chat = chat_id(recipient_id)
        keyboard = InlineKeyboardMarkup(
            [[InlineKeyboardButton(b["title"][:64], callback_data=await self._callback_data(b["payload"]))]
             for b in buttons])
        *first, last = split_message(text) or [""]
        for piece in first:
            await with_retries(lambda piece=piece: self.bot.send_message(chat_id=chat, text=piece))
        await with_retries(lambda: self.bot.send_message(chat_id=chat, text=last or "…", reply_markup=keyboard))

    async def send_image_url(self, recipient_id: Text, image: Text, **kwargs: Any) -> None:
        chat = chat_id(recipient_id)
        await with_retries(lambda: self.bot.send_photo(chat_id=chat, photo=image))

    async def _callback_data(self, payload: str) -> str:
        """Payloads over Telegram's 64 bytes travel as a short key resolved on the way back."""
        if len(payload.encode()) <= MAX_CALLBACK_BYTES:
            return payload
        return await self.long_payloads.keep(payload)

    async def pressed(self, callback_data: str) -> str:
        """What a pressed button stands for: its payload, or (a key no longer kept) the data as it is."""
        if callback_data.startswith(KEY_MARK):
            return await self.long_payloads.payload(callback_data) or callback_data
        return callback_data


class TelegramPatients(patients.PatientChannel):
    """Coordinator replies and notices reach the chat through the same bot."""

    def __init__(self, channel: "TelegramInput") -> None:
        self._channel = channel

    def output(self) -> Optional[OutputChannel]:
        return self._channel.output() if self._channel.configured else None


class TelegramInput(WiredChannel, InputChannel):
    @classmethod
    def name(cls) -> Text:
        return "telegram"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "TelegramInput":
        credentials = credentials or {}
        return cls(token=credentials.get("token") or os.environ.get("TELEGRAM_TOKEN"),
                   secret_token=credentials.get("secret_token") or os.environ.get("TELEGRAM_SECRET_TOKEN"),
                   base_url=credentials.get("base_url") or os.environ.get("TELEGRAM_API_BASE_URL"))

    def __init__(self, token: Optional[str], secret_token: Optional[str], base_url: Optional[str] = None) -> None:
        self.token = token
        self.secret_token = secret_token
        self.base_url = base_url
        # this process's records until the wiring gives the server's (in Redis with REDIS_URL: all instances)
        self.seen = SeenIds()
        self.long_payloads = LongPayloads()
        self._bot: Optional[Bot] = None
        self._output: Optional[TelegramOutput] = None

    def connected(self, wiring: Wiring) -> None:
        self.seen = wiring.shared.seen_ids("telegram-updates")
        self.long_payloads = wiring.shared.long_payloads("telegram")

    @property
    def configured(self) -> bool:
        return bool(self.token and self.secret_token)

    def output(self) -> TelegramOutput:
        # created on first use, inside the server's event loop
        if self._output is None:
            kwargs = {"base_url": self.base_url} if self.base_url else {}
            self._bot = Bot(self.token, **kwargs)
            self._output = TelegramOutput(self._bot, self.long_payloads)
        return self._output

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        telegram_webhook = Blueprint("telegram_webhook", __name__)
        on_new_message = guarded(on_new_message, self.wiring.handoff, channel_shortcuts=frozenset({"/greet"}))
        patients.register(self.name(), TelegramPatients(self))

        @telegram_webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok" if self.configured else "not configured"})

        @telegram_webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if not self.configured:
                return response.text("telegram channel not configured", status=503)
            if not hmac.compare_digest(request.headers.get(SECRET_HEADER, ""), self.secret_token):
                return response.text("forbidden", status=403)
            if len(request.body or b"") > MAX_BODY_BYTES:
                return response.text("payload too large", status=413)
            try:
                data = json.loads(request.body)
                update = Update.de_json(data, self.output().bot)
            except (ValueError, TypeError, KeyError, AttributeError):
                return response.text("malformed update", status=400)
            if update is None or not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
                return response.text("malformed update", status=400)
            update_key = f"telegram:{update.update_id}"
            if not await self.seen.claim(update_key):
                return response.text("ok")  # a retry of an update already taken in
            try:
                await self._handle(update, on_new_message)
            except Exception:  # noqa: BLE001 - any failure: let Telegram deliver it again
                await self.seen.release(update_key)
                logger.exception("telegram update %s failed; released for Telegram's retry", update.update_id)
                return response.text("retry", status=500)
            return response.text("ok")

        return telegram_webhook

    async def _handle(self, update: Update, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> None:
        output = self.output()
        if update.callback_query is not None:
            query = update.callback_query
            await with_retries(lambda: query.answer())
            payload = await output.pressed(query.data or "")
            chat = query.message.chat.id if query.message else query.from_user.id
            await self._to_rasa(on_new_message, payload, chat, query.from_user, output)
            return
        message = update.message or update.edited_message
        if message is None:
            return  # channel posts, polls, member updates: nothing for a patient guide
        if message.text:
            text = message.text
            if text.split()[0] in ("/start", "/help"):
                text = "/greet"  # Rasa's intent shortcut: greet in the patient's language
            await self._to_rasa(on_new_message, text, message.chat.id, message.from_user, output)
            return
        hint = from_locale(getattr(message.from_user, "language_code", "") or "")
        await output.send_text_message(conversation_ids.for_channel(self.name(), message.chat.id),
                                       texts.get("unsupported_message_type", hint))

    @classmethod
    async def _to_rasa(cls, on_new_message, text: str, chat: int, user, output: TelegramOutput) -> None:
        hint = from_locale(getattr(user, "language_code", "") or "")
        metadata = {"language_hint": hint} if hint != languages.UNDETERMINED else {}
        await on_new_message(UserMessage(text, output, conversation_ids.for_channel(cls.name(), chat),
                                         input_channel=cls.name(), metadata=metadata))


async def set_webhook(token: str, url: str, secret_token: str, base_url: Optional[str] = None) -> bool:
    kwargs = {"base_url": base_url} if base_url else {}
    async with Bot(token, **kwargs) as bot:
        return await bot.set_webhook(url=url, secret_token=secret_token,
                                     allowed_updates=["message", "edited_message", "callback_query"])


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Register the Telegram webhook (reads TELEGRAM_* variables)")
    parser.add_argument("command", choices=["set-webhook"])
    parser.parse_args()
    ok = asyncio.run(set_webhook(os.environ["TELEGRAM_TOKEN"], os.environ["TELEGRAM_WEBHOOK_URL"],
                                 os.environ["TELEGRAM_SECRET_TOKEN"], os.environ.get("TELEGRAM_API_BASE_URL")))
    print("webhook registered" if ok else "Telegram refused the webhook")
