"""WeChat official account channel on wechatpy, mounted at /webhooks/wechat/webhook.

- GET: WeChat's server-verification handshake (signature check, echo `echostr`).
- POST: the signature is checked on every message (403 otherwise); in safe
  mode (`encrypt_type=aes`) the message is decrypted and the reply encrypted
  with wechatpy's WeChatCrypto.
- Replays: the signature covers only the token, `timestamp` and `nonce`, so a
  captured request stays valid for ever. After the signature check (a forged
  request is refused as before and records nothing), a request whose
  timestamp is more than 5 minutes from the server's clock is refused (403),
  and so is a (timestamp, nonce) pair already seen in that time. If Rasa fails
  on a message, its pair is released with its MsgId, in case WeChat's retry
  carries the same query string (WeChat does not say whether it does).
- WeChat waits 5 seconds for the passive reply, then sends the same message
  again (up to 3 times). A MsgId is processed once; when the reply is not
  ready in time the request is answered `success` and the reply goes out
  through the customer-service message API when it is ready, so the patient
  gets exactly one answer.
- MsgIds and nonces are recorded in Redis when REDIS_URL is set
  (bot/shared_state.py), so a retry or replay reaching another server
  instance is still a repeat; in memory otherwise.
- The access token is cached by wechatpy's session storage and refreshed
  when it expires, not fetched per message.
- A follower's conversation id is "wechat:<OpenID>" (bot/conversation_ids.py);
  the customer-service API is sent the OpenID in it.

Configuration: WECHAT_TOKEN, WECHAT_APP_ID, WECHAT_APP_SECRET,
WECHAT_ENCODING_AES_KEY (safe mode), WECHAT_API_BASE_URL (tests).
"""
from __future__ import annotations

import asyncio
import logging
import os
import time
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, OutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from wechatpy import WeChatClient, create_reply, parse_message
from wechatpy.crypto import WeChatCrypto
from wechatpy.exceptions import InvalidSignatureException, WeChatClientException
from wechatpy.utils import check_signature

from bot import conversation_ids, languages, texts
from bot.channels.retry import with_backoff
from bot.channels.seen import SeenIds
from bot.handoff import patients
from bot.handoff.guard import guarded
from bot.locales import from_locale
from bot.server.wiring import WiredChannel, Wiring

logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 64 * 1024
PASSIVE_REPLY_SECONDS = 4.0  # WeChat gives up after 5 s; leave time to encrypt and send
MAX_TEXT_BYTES = 2000  # WeChat's text message limit is 2048 bytes
SEND_ATTEMPTS = 5
MAX_CLOCK_SKEW_SECONDS = 300  # a signed request's timestamp may be this far from our clock, either way
# a (timestamp, nonce) pair is remembered while its timestamp can still pass the window: 2 x the skew from now
NONCE_TTL_SECONDS = 2 * MAX_CLOCK_SKEW_SECONDS


class PatientGuideWeChatClient(WeChatClient):
    """wechatpy's client with a configurable API base, the token URL included.

    wechatpy hard-codes https://api.weixin.qq.com/cgi-bin/token in
    fetch_access_token; everything else already follows API_BASE_URL.
    """

    def __init__(self, appid: str, secret: str, api_base_url: Optional[str] = None, **kwargs: Any) -> None:
        super().__init__(appid, secret, **kwargs)
        if api_base_url:
            self.API_BASE_URL = api_base_url

    def fetch_access_token(self):
        return self._fetch_access_token(
            url=f"{self.API_BASE_URL}token",
            params={"grant_type": "client_credential", "appid": self.appid, "secret": self.secret},
        )


def split_utf8(text: str, limit: int = MAX_TEXT_BYTES) -> List[str]:
    pieces, current = [], ""
    for line in text.split("\n"):
        candidate = f"{current}\n{line}" if current else line
        if len(candidate.encode()) <= limit:
            current = candidate
            continue
        if current:
            pieces.append(current)
        while len(line.encode()) > limit:  # one very long line: cut by characters
            cut = limit // 4
            pieces.append(line[:cut])
            line = line[cut:]
        current = line
    return pieces + ([current] if current else [])


def render(messages: List[Dict[str, Any]]) -> str:
    """Rasa messages as one WeChat text: buttons become a list the patient can answer by name."""
    parts = []
    for message in messages:
        lines = [message.get("text") or ""]
        lines += [f"• {button['title']}" for button in message.get("buttons") or []]
        parts.append("\n".join(line for line in lines if line))
    return "\n\n".join(part for part in parts if part)


class WeChatPatients(patients.PatientChannel):
    """Outside a patient's own message, WeChat only takes customer-service messages (48 hours after theirs)."""

    def __init__(self, channel: "WeChatInput") -> None:
        self._channel = channel

    def output(self) -> Optional[OutputChannel]:
        return None  # not used: send() goes to the customer-service API directly

    async def send(self, conversation_id: str, text: str, buttons: Optional[List[Dict]] = None,
                   from_coordinator: bool = False) -> bool:
        if not self._channel.configured:
            return False
        openid = conversation_ids.platform_id(conversation_id, WeChatInput.name())
        return await self._channel._send_customer_service(
            openid, split_utf8(render([{"text": text, "buttons": buttons or []}])))


class WeChatInput(WiredChannel, InputChannel):
    @classmethod
    def name(cls) -> Text:
        return "wechat"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "WeChatInput":
        credentials = credentials or {}

        def setting(key: str) -> Optional[str]:
            return credentials.get(key) or os.environ.get(f"WECHAT_{key.upper()}")

        return cls(token=setting("token"), app_id=setting("app_id"), app_secret=setting("app_secret"),
                   encoding_aes_key=setting("encoding_aes_key"), api_base_url=setting("api_base_url"))

    def __init__(self, token: Optional[str], app_id: Optional[str], app_secret: Optional[str],
                 encoding_aes_key: Optional[str] = None, api_base_url: Optional[str] = None) -> None:
        self.token = token
        self.app_id = app_id
        self.crypto = WeChatCrypto(token, encoding_aes_key, app_id) if token and encoding_aes_key and app_id else None
        self.client = PatientGuideWeChatClient(app_id, app_secret, api_base_url) if app_id and app_secret else None
        # this process's records until the wiring gives the server's (in Redis with REDIS_URL)
        self.seen = SeenIds()
        self.nonces = SeenIds(ttl_seconds=NONCE_TTL_SECONDS)

    def connected(self, wiring: Wiring) -> None:
        self.seen = wiring.shared.seen_ids("wechat-messages")
        self.nonces = wiring.shared.seen_ids("wechat-nonces", ttl_seconds=NONCE_TTL_SECONDS)

    @property
    def configured(self) -> bool:
        return bool(self.token and self.client)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        wechat_webhook = Blueprint("wechat_webhook", __name__)
        on_new_message = guarded(on_new_message, self.wiring.handoff, channel_shortcuts=frozenset({"/greet"}))
        patients.register(self.name(), WeChatPatients(self))

        @wechat_webhook.route("/webhook", methods=["GET"])
        async def verify(request: Request) -> HTTPResponse:
            if not self.configured:
                return response.text("wechat channel not configured", status=503)
            if not await self._authentic(request):
                return response.text("forbidden", status=403)
            return response.text(request.args.get("echostr", ""))

        @wechat_webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if not self.configured:
                return response.text("wechat channel not configured", status=503)
            if not await self._authentic(request):
                return response.text("forbidden", status=403)
            body = request.body or b""
            if len(body) > MAX_BODY_BYTES:
                return response.text("payload too large", status=413)
            if b"<!DOCTYPE" in body.upper() or b"<!ENTITY" in body.upper():
                return response.text("malformed message", status=400)  # no entity tricks
            safe_mode = request.args.get("encrypt_type") == "aes"
            try:
                xml = self._decrypt(request, body) if safe_mode else body
                message = parse_message(xml)
            except InvalidSignatureException:
                return response.text("forbidden", status=403)
            except Exception:  # noqa: BLE001 - any undecodable or unparsable body
                return response.text("malformed message", status=400)
            if message is None:
                return response.text("malformed message", status=400)
            return await self._answer(message, on_new_message, request, safe_mode)

        return wechat_webhook

    async def _authentic(self, request: Request) -> bool:
        """Signed with our token, recent, and not seen before (checked in that order)."""
        if not self._signature_ok(request):
            return False
        try:
            skew = abs(time.time() - int(request.args.get("timestamp", "")))
        except ValueError:
            return False
        if skew > MAX_CLOCK_SKEW_SECONDS:
            logger.warning("wechat request refused: its timestamp is %d s from this server's clock "
                           "(more than %d s: a replay, or a clock to set right)", skew, MAX_CLOCK_SKEW_SECONDS)
            return False
        if not await self.nonces.claim(self._nonce_key(request)):
            logger.warning("wechat request refused: its timestamp and nonce were already used (a replay)")
            return False
        return True

    @staticmethod
    def _nonce_key(request: Request) -> str:
        # the pair, not the nonce alone: WeChat's nonces are short numbers that may recur at another second
        return f"{request.args.get('timestamp', '')}:{request.args.get('nonce', '')}"

    def _signature_ok(self, request: Request) -> bool:
        args = request.args
        try:
            check_signature(self.token, args.get("signature", ""), args.get("timestamp", ""), args.get("nonce", ""))
            return True
        except InvalidSignatureException:
            return False

    def _decrypt(self, request: Request, body: bytes) -> str:
        if self.crypto is None:
            raise InvalidSignatureException()
        args = request.args
        return self.crypto.decrypt_message(body, args.get("msg_signature", ""), args.get("timestamp", ""),
                                           args.get("nonce", ""))

    async def _answer(self, message, on_new_message, request: Request, safe_mode: bool) -> HTTPResponse:
        try:
            conversation_id = conversation_ids.for_channel(self.name(), message.source)
        except ValueError:
            return response.text("malformed message", status=400)  # no OpenID WeChat would send
        message_key = f"wechat:{getattr(message, 'id', None) or f'{message.source}:{message.create_time}'}"
        if not await self.seen.claim(message_key):
            return response.text("success")  # WeChat's retry of a message already taken in
        text, hint = await self._incoming_text(message)
        if text is None:
            reply = texts.get("unsupported_message_type", hint)
            return self._passive(message, reply, request, safe_mode)
        collector = CollectingOutputChannel()
        metadata = {"language_hint": hint} if hint != languages.UNDETERMINED else {}
        task = asyncio.ensure_future(on_new_message(
            UserMessage(text, collector, conversation_id, input_channel=self.name(), metadata=metadata)))
        try:
            await asyncio.wait_for(asyncio.shield(task), PASSIVE_REPLY_SECONDS)
        except asyncio.TimeoutError:
            task.add_done_callback(lambda done: asyncio.ensure_future(self._send_late(done, message, collector)))
            return response.text("success")
        except Exception:  # noqa: BLE001 - Rasa failed: release the id so WeChat's retry is processed
            await self.seen.release(message_key)
            await self.nonces.release(self._nonce_key(request))
            logger.exception("wechat message %s failed; released for WeChat's retry", message_key)
            return response.text("retry", status=500)
        pieces = split_utf8(render(collector.messages))
        if not pieces:
            return response.text("success")
        if len(pieces) > 1:
            asyncio.ensure_future(self._send_customer_service(message.source, pieces[1:]))
        return self._passive(message, pieces[0], request, safe_mode)

    async def _incoming_text(self, message) -> tuple:
        """The text to give Rasa (None for types we cannot read) and the platform language hint."""
        if message.type == "text":
            return message.content, languages.UNDETERMINED
        if message.type == "event" and getattr(message, "event", "") == "subscribe":
            return "/greet", await self._user_language(message.source)
        return None, languages.UNDETERMINED

    async def _user_language(self, openid: str) -> str:
        """The follower's WeChat language ("zh_CN", "en"), used to welcome them."""
        try:
            info = await asyncio.get_running_loop().run_in_executor(None, self.client.user.get, openid)
            return from_locale(info.get("language", ""))
        except (WeChatClientException, OSError):
            return languages.UNDETERMINED

    def _passive(self, message, text: str, request: Request, safe_mode: bool) -> HTTPResponse:
        xml = create_reply(text, message).render()
        if safe_mode:
            xml = self.crypto.encrypt_message(xml, request.args.get("nonce", ""), str(int(time.time())))
        return response.text(xml, content_type="application/xml")

    async def _send_late(self, task: asyncio.Future, message, collector: CollectingOutputChannel) -> None:
        if task.exception() is not None:
            logger.error("wechat message from a follower failed after the passive window: %s", type(task.exception()))
            return
        await self._send_customer_service(message.source, split_utf8(render(collector.messages)))

    async def _send_customer_service(self, openid: str, pieces: List[str]) -> bool:
        """Replies outside the passive window, retried with back-off while the API is unreachable."""
        loop = asyncio.get_running_loop()
        for piece in pieces:
            try:
                await with_backoff(lambda piece=piece: loop.run_in_executor(None, self.client.message.send_text,
                                                                           openid, piece),
                                   (WeChatClientException, OSError), SEND_ATTEMPTS)
            except (WeChatClientException, OSError) as error:
                logger.error("wechat customer-service send failed after %d attempts: %s", SEND_ATTEMPTS,
                             type(error).__name__)
                return False
        return True
