"""Coordinator handoff against the live server: patients on REST, Telegram and WeChat, coordinators on the console API.

The browser side (widget + console pages) is in test_browser.py.
"""
import json
import time
import uuid

import jwt
import pytest
import requests

from bot import texts
from conftest import COORDINATORS, HANDOFF_WAIT_LIMIT_SECONDS, tracker_of
from test_telegram import post as post_telegram, update as telegram_update
from test_wechat import (
    openid as wechat_openid,
    post as post_wechat,
    reply_text as wechat_reply,
    text_xml as wechat_text,
)

CONSOLE_HEADERS = {"X-Requested-With": "patient-guide-console"}


def talk(server, sender, text):
    response = requests.post(f"{server}/webhooks/rest/webhook", json={"sender": sender, "message": text}, timeout=120)
    response.raise_for_status()
    return "\n".join(m.get("text", "") for m in response.json())


class Coordinator:
    def __init__(self, server, name):
        self.server, self.name, self.http = server, name, requests.Session()

    def login(self, password=None):
        return self.http.post(f"{self.server}/coordinator/api/login", headers=CONSOLE_HEADERS, timeout=30,
                              json={"username": self.name, "password": password or COORDINATORS[self.name]})

    def get(self, path):
        return self.http.get(f"{self.server}/coordinator/api/{path}", timeout=30)

    def post(self, path, **body):
        return self.http.post(f"{self.server}/coordinator/api/{path}", json=body, headers=CONSOLE_HEADERS, timeout=60)

    def queue_ids(self):
        return [c["id"] for c in self.get("queue").json()["conversations"]]


@pytest.fixture
def alice(rasa_server):
    coordinator = Coordinator(rasa_server, "alice")
    assert coordinator.login().status_code == 200
    return coordinator


@pytest.fixture
def bob(rasa_server):
    coordinator = Coordinator(rasa_server, "bob")
    assert coordinator.login().status_code == 200
    return coordinator


def patient():
    return f"handoff-{uuid.uuid4()}"


def test_full_handoff_on_rest_in_french(rasa_server, alice, bob):
    me = patient()
    talk(rasa_server, me, "Bonjour, je cherche un hôpital avec des médecins qui parlent français")
    # typed, not a button: a patient's typed "/request_human" is only text (bot/handoff/shortcuts.py)
    assert talk(rasa_server, me, "Je voudrais parler à un coordinateur, s'il vous plaît") == \
        texts.get("handoff_queued", "fr")
    queue = alice.get("queue").json()["conversations"]
    entry = next(c for c in queue if c["id"] == me)
    assert (entry["channel"], entry["language"], entry["state"]) == ("rest", "fr", "waiting")
    assert entry["last_messages"]  # the coordinator sees what the patient said

    # the bot stays silent while the conversation waits or is held
    assert talk(rasa_server, me, "Vous êtes là ?") == ""
    assert alice.post(f"conversations/{me}/take").status_code == 200
    taken_by_bob = bob.post(f"conversations/{me}/take")
    assert taken_by_bob.status_code == 409 and taken_by_bob.json()["holder"] == "alice"
    assert bob.post(f"conversations/{me}/reply", text="hello").status_code == 409

    assert alice.post(f"conversations/{me}/reply", text="Bonjour, je m'appelle Alice.").status_code == 200
    assert alice.post(f"conversations/{me}/reply", phrase="quick_one_moment").status_code == 200
    assert alice.post(f"conversations/{me}/note", text="wants a French-speaking GP").status_code == 200
    view = alice.get(f"conversations/{me}").json()
    assert [p["text"] for p in view["phrases"]][0] == texts.get("quick_one_moment", "fr")
    assert view["notes"][0]["text"] == "wants a French-speaking GP" and view["can_push"] is False
    said = [(line["role"], line["text"]) for line in view["transcript"]]
    assert ("coordinator", "Bonjour, je m'appelle Alice.") in said
    assert ("coordinator", texts.get("quick_one_moment", "fr")) in said
    assert ("user", "Vous êtes là ?") in said
    assert all(line.get("language") for line in view["transcript"] if line["role"] == "user")
    # the private note never reaches the patient's transcript
    assert all("French-speaking GP" not in line["text"] for line in view["transcript"])

    assert bob.post(f"conversations/{me}/handback").status_code == 409
    assert alice.post(f"conversations/{me}/handback").status_code == 200
    assert me not in alice.queue_ids()
    # the bot is back, in French, and remembers the conversation
    assert talk(rasa_server, me, "Merci beaucoup !") == texts.get("utter_thank", "fr")
    slots = tracker_of(rasa_server, me)["slots"]
    assert slots["language"] == "fr"


def test_an_emergency_while_waiting_is_answered_at_once_and_flagged(rasa_server, alice):
    me = patient()
    talk(rasa_server, me, "こんにちは")
    assert talk(rasa_server, me, "担当の方と直接話したいです") == texts.get("handoff_queued", "ja")
    assert alice.post(f"conversations/{me}/take").status_code == 200
    reply = talk(rasa_server, me, "父が倒れて息をしていません")
    assert reply == texts.get("utter_emergency", "ja") and "120" in reply and "999" in reply
    entry = next(c for c in alice.get("queue").json()["conversations"] if c["id"] == me)
    assert entry["urgent"] is True
    alice.post(f"conversations/{me}/handback")


def test_coordinator_replies_reach_a_telegram_patient(rasa_server, telegram_api, alice):
    body, chat = telegram_update("Здравствуйте", language_code="ru")
    post_telegram(rasa_server, body)
    telegram_api.wait_for_messages(chat)
    body, _ = telegram_update("Можно поговорить с живым человеком?", chat_id=chat, language_code="ru")
    post_telegram(rasa_server, body)
    sent = telegram_api.wait_for_messages(chat, count=2)
    assert sent[-1]["text"] == texts.get("handoff_queued", "ru")
    conversation = f"telegram:{chat}"  # the chat's conversation id; the Bot API is sent the bare chat id
    assert conversation in alice.queue_ids() and str(chat) not in alice.queue_ids()
    assert alice.post(f"conversations/{conversation}/take").status_code == 200
    reply = alice.post(f"conversations/{conversation}/reply", text="Добрый день! Чем помочь?")
    assert reply.status_code == 200 and reply.json()["delivered"] is True
    texts_sent = [m["text"] for m in telegram_api.wait_for_messages(chat, count=4)]
    assert texts.get("handoff_coordinator_joined", "ru") in texts_sent and "Добрый день! Чем помочь?" in texts_sent
    assert alice.post(f"conversations/{conversation}/handback").status_code == 200
    assert texts.get("handoff_returned", "ru") in [m["text"] for m in telegram_api.wait_for_messages(chat, count=5)]


def test_coordinator_replies_reach_a_wechat_follower(rasa_server, wechat_api, alice):
    follower = wechat_openid()
    queued = post_wechat(rasa_server, wechat_text("转人工", follower))
    assert texts.get("handoff_queued", "zh-Hans") in wechat_reply(queued)
    conversation = f"wechat:{follower}"
    assert conversation in alice.queue_ids()
    assert alice.post(f"conversations/{conversation}/take").status_code == 200
    greeting = "您好，我是协调员，请问有什么可以帮您？"
    reply = alice.post(f"conversations/{conversation}/reply", text=greeting)
    assert reply.status_code == 200 and reply.json()["delivered"] is True
    sent = wechat_api.sent_to(follower)  # the customer-service API, to the bare OpenID (sent before the 200)
    assert texts.get("handoff_coordinator_joined", "zh-Hans") in sent and greeting in sent
    assert alice.post(f"conversations/{conversation}/handback").status_code == 200
    assert texts.get("handoff_returned", "zh-Hans") in wechat_api.sent_to(follower)


def test_a_patient_left_waiting_is_offered_a_callback_or_the_bot(rasa_server, telegram_api, alice):
    body, chat = telegram_update("Ich möchte bitte mit einem Menschen sprechen", language_code="de")
    post_telegram(rasa_server, body)
    sent = telegram_api.wait_for_messages(chat, count=2, timeout=HANDOFF_WAIT_LIMIT_SECONDS + 15)
    notice = sent[-1]
    assert notice["text"] == texts.get("handoff_wait_long", "de")  # Telegram's language_code until the text shows one
    markup = notice["reply_markup"]
    markup = json.loads(markup) if isinstance(markup, str) else markup  # as python-telegram-bot posted it
    buttons = [b["callback_data"] for row in markup["inline_keyboard"] for b in row]
    assert buttons == ["/handoff_callback", "/handoff_continue"]
    # "go on with the bot": out of the queue, and the bot answers again
    body, _ = telegram_update("/handoff_continue", chat_id=chat)
    post_telegram(rasa_server, body)
    assert telegram_api.wait_for_messages(chat, count=3)[-1]["text"] == texts.get("handoff_continue_bot", "de")
    assert f"telegram:{chat}" not in alice.queue_ids()


def test_the_console_refuses_strangers_forgeries_and_patients(rasa_server, alice):
    stranger = Coordinator(rasa_server, "alice")
    assert stranger.login(password="wrong").status_code == 401
    assert Coordinator(rasa_server, "mallory").login(password="x").status_code == 401
    assert stranger.get("queue").status_code == 401  # no session: a patient cannot read the queue
    forged = jwt.encode({"sub": "alice", "exp": int(time.time()) + 600, "typ": "coordinator"}, "guessed-secret",
                        algorithm="HS256")
    stranger.http.cookies.set("pg_coordinator", forged, path="/coordinator")
    assert stranger.get("queue").status_code == 401
    expired = jwt.encode({"sub": "alice", "exp": int(time.time()) - 5, "typ": "coordinator"}, "test-session-secret",
                         algorithm="HS256")
    stranger.http.cookies.set("pg_coordinator", expired, path="/coordinator")
    assert stranger.get("queue").status_code == 401
    # a logged-in console still needs its header on POSTs (a cross-site form cannot add it)
    no_header = alice.http.post(f"{rasa_server}/coordinator/api/conversations/x/take", json={}, timeout=30)
    assert no_header.status_code == 403
    assert alice.post("conversations/no-such-conversation/take").status_code == 404


def test_too_many_wrong_passwords_are_throttled(rasa_server):
    bob = Coordinator(rasa_server, "bob")
    codes = [bob.login(password=f"wrong-{i}").status_code for i in range(6)]
    assert codes[:5] == [401] * 5 and codes[5] == 429


def test_html_in_a_patient_message_is_kept_as_text(rasa_server, alice):
    me = patient()
    talk(rasa_server, me, "I want to talk to a real person")
    talk(rasa_server, me, "<img src=x onerror=alert(1)>")
    transcript = alice.get(f"conversations/{me}").json()["transcript"]
    assert any(line["text"] == "<img src=x onerror=alert(1)>" for line in transcript)


def test_an_oversized_message_gets_a_clear_answer(rasa_server):
    long_message = "Bonjour, je voudrais vous expliquer toute mon histoire médicale en détail. " * 280
    assert len(long_message) > 20000
    assert talk(rasa_server, patient(), long_message) == texts.get("message_too_long", "fr", limit="2000")
