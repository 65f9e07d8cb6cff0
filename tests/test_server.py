"""The Rasa server as `make run` starts it: HTTP API and REST channel, in-memory stores."""
import uuid

import requests

from conftest import api_url, tracker_of


def test_model_parse_reports_language(rasa_server):
    result = requests.post(api_url(rasa_server, "/model/parse"), json={"text": "ขอบคุณมากครับ"}, timeout=30).json()
    assert result["language"] == "th"
    assert result["intent"]["name"] == "thank"


def talk(server, sender, text):
    response = requests.post(f"{server}/webhooks/rest/webhook", json={"sender": sender, "message": text}, timeout=60)
    response.raise_for_status()
    return [m.get("text", "") for m in response.json()]


def test_reply_in_the_patients_language_and_slot_kept_on_neutral_message(rasa_server):
    sender = f"test-{uuid.uuid4()}"
    assert any("Здравствуйте" in t for t in talk(rasa_server, sender, "привет"))
    tracker = tracker_of(rasa_server, sender)
    assert tracker["slots"]["language"] == "ru"
    assert tracker["latest_message"]["language"] == "ru"
    # no language signal: the message is `und` and the conversation stays Russian
    parsed = requests.post(api_url(rasa_server, "/model/parse"), json={"text": "👍"}, timeout=30).json()
    assert parsed["language"] == "und"
    replies = talk(rasa_server, sender, "👍")
    tracker = tracker_of(rasa_server, sender)
    assert tracker["slots"]["language"] == "ru"
    assert replies and all(any("\u0400" <= ch <= "\u04ff" for ch in t) for t in replies)


def test_emergency_answered_with_numbers_in_language(rasa_server):
    replies = talk(rasa_server, f"test-{uuid.uuid4()}", "救命！我妈妈突然晕倒了，叫不醒")
    assert any("120" in t and "999" in t and "急救" in t for t in replies)


def test_language_switches_when_the_patient_switches(rasa_server):
    sender = f"test-{uuid.uuid4()}"
    talk(rasa_server, sender, "bonjour")
    replies = talk(rasa_server, sender, "hola, buenos días")
    assert any("Hola" in t for t in replies)
