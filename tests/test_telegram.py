"""The Telegram channel: real python-telegram-bot against a local stand-in of the Bot API.

Updates are posted to our webhook as Telegram would post them; replies are
read from what the stand-in received from the real PTB client.
"""
import asyncio
import itertools
import json
import time

import pytest
import requests

from bot import texts
from bot.channels.seen import SeenIds
from bot.channels.telegram import TelegramInput, TelegramPatients, split_message, with_retries
from conftest import TELEGRAM_SECRET, TELEGRAM_TOKEN, api_url, free_port, tracker_of

_ids = itertools.count(int(time.time()))


def update(text=None, chat_id=None, language_code="en", **extra):
    chat_id = chat_id or next(_ids)
    message = {"message_id": next(_ids) % 100000, "date": int(time.time()),
               "chat": {"id": chat_id, "type": "private"},
               "from": {"id": chat_id, "is_bot": False, "first_name": "P", "language_code": language_code}}
    if text is not None:
        message["text"] = text
    message.update(extra)
    return {"update_id": next(_ids), "message": message}, chat_id


def tracker(server, conversation_id):
    return tracker_of(server, conversation_id)


def post(server, body, secret=TELEGRAM_SECRET, raw=None):
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers["X-Telegram-Bot-Api-Secret-Token"] = secret
    data = raw if raw is not None else json.dumps(body)
    return requests.post(f"{server}/webhooks/telegram/webhook", data=data, headers=headers, timeout=120)


@pytest.mark.parametrize("text,language,expected_key", [
    ("你好，我想找医院", "zh-Hans", None), ("こんにちは", "ja", "utter_greet"), ("Здравствуйте", "ru", "utter_greet"),
    ("مرحبا", "ar", "utter_greet"), ("Hola, buenos días", "es", "utter_greet"),
])
def test_a_message_in_each_language_is_answered_in_it(rasa_server, telegram_api, text, language, expected_key):
    body, chat = update(text, language_code="en")
    assert post(rasa_server, body).status_code == 200
    sent = telegram_api.wait_for_messages(chat)
    assert sent
    if expected_key:
        assert sent[0]["text"] == texts.get(expected_key, language)
    else:
        assert any("\u4e00" <= ch <= "\u9fff" for ch in sent[0]["text"])


def test_a_chat_is_filed_under_its_telegram_conversation_id_and_answered_in_that_chat(rasa_server, telegram_api):
    body, chat = update("hello")
    assert post(rasa_server, body).status_code == 200
    assert telegram_api.wait_for_messages(chat)[0]["text"] == texts.get("utter_greet", "en")
    assert not any(str(c["params"].get("chat_id", "")).startswith("telegram:") for c in telegram_api.calls)
    said = [e["text"] for e in tracker(rasa_server, f"telegram:{chat}")["events"] if e["event"] == "user"]
    assert said == ["hello"]
    assert not any(e["event"] == "user" for e in tracker(rasa_server, str(chat))["events"] or [])


def test_replies_outside_the_patients_turn_reach_the_chat_in_the_conversation_id_only(telegram_api):
    """A coordinator's reply goes through TelegramPatients with the conversation id (bot/handoff/service.py)."""
    chat = next(_ids)
    channel = TelegramInput(TELEGRAM_TOKEN, TELEGRAM_SECRET, base_url=telegram_api.base_url)

    async def scenario():
        reach = TelegramPatients(channel)
        async with channel.output().bot:
            assert await reach.send(f"telegram:{chat}", "Добрый день! Чем помочь?", from_coordinator=True)
            assert await reach.send(f"telegram:{chat}", "Choose", buttons=[{"title": "Bot", "payload": "/x"}])
            for not_telegrams in (str(chat), f"wechat:{chat}", f"widget:{chat}", f"rest-{chat}"):
                with pytest.raises(ValueError):  # the handoff service logs it and reports "not delivered"
                    await reach.send(not_telegrams, "must not be sent")

    asyncio.run(scenario())
    assert [m["text"] for m in telegram_api.sent(chat)] == ["Добрый день! Чем помочь?", "Choose"]
    assert not any("must not be sent" == c["params"].get("text") for c in telegram_api.calls)


def test_forged_secret_token_is_refused_and_nothing_is_processed(rasa_server, telegram_api):
    body, chat = update("hello")
    assert post(rasa_server, body, secret="wrong").status_code == 403
    assert post(rasa_server, body, secret=None).status_code == 403
    time.sleep(1)
    assert telegram_api.sent(chat) == []


def test_repeated_update_is_processed_once(rasa_server, telegram_api):
    body, chat = update("hello")
    assert post(rasa_server, body).status_code == 200
    assert post(rasa_server, body).status_code == 200
    time.sleep(1)
    assert len(telegram_api.sent(chat)) == 1


def test_buttons_become_an_inline_keyboard_and_a_press_comes_back_as_a_message(rasa_server, telegram_api):
    body, chat = update("How do I get to the hospital?")
    post(rasa_server, body)
    reply = telegram_api.wait_for_messages(chat)[-1]
    keyboard = json.loads(reply["reply_markup"]) if isinstance(reply["reply_markup"], str) else reply["reply_markup"]
    button = next(b for row in keyboard["inline_keyboard"] for b in row if "cmer_luohu" in b["callback_data"])
    press = {"update_id": next(_ids), "callback_query": {
        "id": str(next(_ids)), "chat_instance": "1", "data": button["callback_data"],
        "from": {"id": chat, "is_bot": False, "first_name": "P", "language_code": "en"},
        "message": {"message_id": 1, "date": int(time.time()), "chat": {"id": chat, "type": "private"}, "text": "x"}}}
    assert post(rasa_server, press).status_code == 200
    answer = telegram_api.wait_for_messages(chat, count=2)[-1]["text"]
    assert texts.get("route_walk_after_customs", "en", origin="Luohu Port", minutes="5") in answer
    assert any(c["method"] == "answerCallbackQuery" for c in telegram_api.calls)


def test_start_greets_in_the_telegram_language_until_the_text_says_otherwise(rasa_server, telegram_api):
    body, chat = update("/start", language_code="ko")
    post(rasa_server, body)
    assert telegram_api.wait_for_messages(chat)[0]["text"] == texts.get("utter_greet", "ko")
    body, _ = update("Bonjour", chat_id=chat, language_code="ko")
    post(rasa_server, body)
    assert telegram_api.wait_for_messages(chat, count=2)[1]["text"] == texts.get("utter_greet", "fr")


def test_a_sticker_gets_a_polite_reply_in_the_users_language(rasa_server, telegram_api):
    body, chat = update(None, language_code="vi", sticker={"file_id": "x", "file_unique_id": "y", "width": 1,
                                                           "height": 1, "is_animated": False, "is_video": False,
                                                           "type": "regular"})
    assert post(rasa_server, body).status_code == 200
    assert telegram_api.wait_for_messages(chat)[0]["text"] == texts.get("unsupported_message_type", "vi")


@pytest.mark.parametrize("raw", ["{not json", "[]", json.dumps({"update_id": "x"}), "x" * 70_000])
def test_malformed_or_oversized_bodies_get_a_4xx_and_the_server_keeps_running(rasa_server, raw):
    assert 400 <= post(rasa_server, None, raw=raw).status_code < 500
    assert requests.get(api_url(rasa_server, "/status"), timeout=10).ok


def test_telegram_down_the_reply_is_retried(rasa_server, telegram_api):
    body, chat = update("hello")
    telegram_api.fail_next = 2
    assert post(rasa_server, body).status_code == 200
    assert telegram_api.wait_for_messages(chat)[0]["text"] == texts.get("utter_greet", "en")


def test_long_messages_are_split_at_line_breaks_within_the_limit():
    text = "\n".join(["x" * 1000] * 9)
    pieces = split_message(text)
    assert len(pieces) == 3 and all(len(p) <= 4096 for p in pieces)
    assert "".join(pieces).replace("\n", "") == text.replace("\n", "")


def test_retries_give_up_after_the_last_attempt():
    from telegram.error import NetworkError

    calls = []

    async def always_down():
        calls.append(1)
        raise NetworkError("down")

    with pytest.raises(NetworkError):
        asyncio.run(with_retries(always_down, attempts=3, first_delay=0.01))
    assert len(calls) == 3


def test_a_failed_id_is_released_for_the_platforms_retry():
    async def scenario():
        seen = SeenIds()
        assert await seen.claim("a") and not await seen.claim("a")
        await seen.release("a")
        assert await seen.claim("a")
        expiring = SeenIds(ttl_seconds=10)
        assert await expiring.claim("b", now=0) and not await expiring.claim("b", now=5)
        assert await expiring.claim("b", now=20)

    asyncio.run(scenario())


def test_the_bot_token_never_reaches_the_logs(rasa_server, telegram_api):
    body, chat = update("hello")
    post(rasa_server, body)
    assert telegram_api.wait_for_messages(chat)
    assert TELEGRAM_TOKEN not in rasa_server.log.read_text(errors="replace")


def test_the_same_update_posted_to_two_instances_on_one_redis_is_handled_once(redis_server, monkeypatch):
    """Telegram's retry reaching the other instance behind the load balancer (issue 19)."""
    import aiohttp
    from sanic import Sanic

    from bot.server import wiring
    from bot.server.settings import ServerSettings

    monkeypatch.setattr(Sanic, "test_mode", True)
    handled = []

    async def on_new_message(message):
        handled.append(message.sender_id)

    async def serve(name):
        channel = TelegramInput(TELEGRAM_TOKEN, TELEGRAM_SECRET, base_url="http://127.0.0.1:9/bot")
        channel.connect(wiring.build(lambda: None, ServerSettings(redis_url=redis_server)))
        app = Sanic(f"telegram_{name}_{next(_ids)}")
        app.blueprint(channel.blueprint(on_new_message), url_prefix="/webhooks/telegram")
        port = free_port()
        server = await app.create_server(host="127.0.0.1", port=port, return_asyncio_server=True, access_log=False)
        await server.startup()
        await server.before_start()
        await server.after_start()
        return server, f"http://127.0.0.1:{port}"

    async def scenario():
        instances = [await serve("a"), await serve("b")]
        body, chat = update("hello")
        try:
            async with aiohttp.ClientSession() as http:
                for _, url in instances:
                    async with http.post(f"{url}/webhooks/telegram/webhook", json=body,
                                         headers={"X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET}) as reply:
                        assert reply.status == 200
        finally:
            for server, _ in instances:
                await server.before_stop()
                await server.close()
                await server.after_stop()
        assert handled == [f"telegram:{chat}"]

    asyncio.run(scenario())
