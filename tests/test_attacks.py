"""An attacker's probes against the running server (REST and the widget's socket.io), each a
finding of issue 23: ids that are not the caller's, typed intent shortcuts, a referral lock
that a new conversation or /restart used to reset, and what the server's log keeps of it all."""
import asyncio
import socket
import time
import uuid

import requests
import socketio

from bot import texts
from conftest import tracker_of
from test_telegram import post as post_telegram, update as telegram_update


def post(server, body, timeout=120):
    return requests.post(f"{server}/webhooks/rest/webhook", json=body, timeout=timeout)


def talk(server, sender, text):
    response = post(server, {"sender": sender, "message": text})
    response.raise_for_status()
    return "\n".join(m.get("text", "") for m in response.json())


def tracker(server, sender):
    return tracker_of(server, sender)


def new_patient():
    return f"attack-{uuid.uuid4().hex[:12]}"


def test_rest_refuses_requests_without_a_valid_sender_or_a_text_message(rasa_server):
    for body in ({"message": "hello"}, {"sender": "", "message": "hello"}, {"sender": 12, "message": "hello"},
                 {"sender": "a\nb", "message": "hello"}, {"sender": "x" * 200, "message": "hello"},
                 {"sender": new_patient(), "message": {"text": "hello"}}, {"sender": new_patient()}, ["hello"]):
        response = post(rasa_server, body)
        assert response.status_code == 400 and "error" in response.json(), body
    assert tracker(rasa_server, "default")["events"] in ([], None) or not any(
        e["event"] == "user" for e in tracker(rasa_server, "default")["events"])


def test_a_rest_caller_cannot_name_another_channels_conversation(rasa_server, telegram_api):
    body, chat = telegram_update("hello")
    assert post_telegram(rasa_server, body).status_code == 200
    assert telegram_api.wait_for_messages(chat)
    for sender in ("telegram:12345", f"telegram:{chat}", f"Telegram:{chat}", "wechat:o-test-1", "widget:" + "0" * 32):
        response = post(rasa_server, {"sender": sender, "message": "I am the intruder"})
        assert response.status_code == 400 and "error" in response.json(), sender
    # the bare chat id is a REST conversation of its own, whatever channel the body claims
    post(rasa_server, {"sender": str(chat), "message": "I am the intruder", "input_channel": "telegram"}
         ).raise_for_status()
    assert tracker(rasa_server, str(chat))["latest_input_channel"] == "rest"
    said = [e["text"] for e in tracker(rasa_server, f"telegram:{chat}")["events"] if e["event"] == "user"]
    assert said == ["hello"]
    time.sleep(1)
    assert len(telegram_api.sent(chat)) == 1  # nothing of the REST exchange reached the Telegram chat


def test_a_typed_intent_shortcut_sets_nothing_and_restart_keeps_the_referral_lock(rasa_server):
    attacker = new_patient()
    talk(rasa_server, attacker, '/inform{"hospital":"renji","department":"dentistry"}')
    slots = tracker(rasa_server, attacker)["slots"]
    assert slots["hospital"] is None and slots["department"] is None
    talk(rasa_server, attacker, "What is the status of referral RF-58840?")
    for day in ("01", "02"):
        talk(rasa_server, attacker, f"2000-01-{day}")
    talk(rasa_server, attacker, "/restart")
    assert not any(e["event"] == "restart" for e in tracker(rasa_server, attacker)["events"])
    assert texts.get("referral_locked", "en") in talk(rasa_server, attacker, "2000-01-03")
    # a fresh conversation, even with the right date of birth, meets the lock
    other = new_patient()
    reply = talk(rasa_server, other, "What is the status of referral RF-58840?")
    reply += talk(rasa_server, other, "2016-01-21")
    assert texts.get("referral_locked", "en") in reply and "received" not in reply.replace("RF-58840", "")


async def widget_client(server, session_id=None):
    client = socketio.AsyncClient()
    confirmed, replies = asyncio.get_running_loop().create_future(), []
    client.on("session_confirm", lambda token: confirmed.done() or confirmed.set_result(token))
    client.on("bot_uttered", lambda message: replies.append(message.get("text", "")))
    # long-polling: python-engineio's websocket client needs a newer aiohttp than Rasa pins
    await client.connect(server, socketio_path="/socket.io", transports=["polling"])
    await client.emit("session_request", {"session_id": session_id})
    return client, await asyncio.wait_for(confirmed, 30), replies


async def wait_for(replies, count, seconds=60):
    deadline = time.monotonic() + seconds
    while len(replies) < count and time.monotonic() < deadline:
        await asyncio.sleep(0.2)


def test_a_foreign_widget_session_id_starts_a_new_conversation(rasa_server):
    async def scenario():
        victim, token, victim_replies = await widget_client(rasa_server)
        await victim.emit("user_uttered", {"message": "Hello", "session_id": token})
        await wait_for(victim_replies, 1)
        victim_id = token.rsplit(".", 1)[0]
        intruders = []
        for claimed in (victim_id, f"{victim_id}.forged", token.replace(token[-1], "0" if token[-1] != "0" else "1")):
            intruder, intruder_token, intruder_replies = await widget_client(rasa_server, claimed)
            assert intruder_token.rsplit(".", 1)[0] != victim_id
            # even naming the victim's id in the message itself does not write into their conversation
            await intruder.emit("user_uttered", {"message": "I am the intruder", "session_id": token})
            await wait_for(intruder_replies, 1)
            intruders.append(intruder)
        await victim.emit("user_uttered", {"message": "Thank you", "session_id": token})
        await wait_for(victim_replies, 2)
        # the rightful owner comes back with their token and keeps the conversation
        returning, returning_token, _ = await widget_client(rasa_server, token)
        for client in (victim, returning, *intruders):
            await client.disconnect()
        return victim_id, returning_token == token

    victim_id, kept = asyncio.run(scenario())
    assert kept
    typed = [e["text"] for e in tracker(rasa_server, victim_id)["events"] if e["event"] == "user"]
    assert typed == ["Hello", "Thank you"]


def disconnect_mid_request(server, sender, text):
    """Sends a message and closes the connection before the answer, as a phone losing its signal."""
    host, port = server.removeprefix("http://").split(":")
    body = ('{"sender": "%s", "message": "%s"}' % (sender, text)).encode()
    with socket.create_connection((host, int(port))) as connection:
        connection.sendall(b"POST /webhooks/rest/webhook HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                           b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)
        time.sleep(0.05)


def test_hostile_requests_leave_no_personal_data_or_forged_lines_in_the_log(rasa_server):
    secret = "Marguerite Okonkwo 13912345678"
    start = rasa_server.log.stat().st_size
    disconnect_mid_request(rasa_server, new_patient(), f"my name is {secret}")
    post(rasa_server, {"sender": new_patient(), "message": ["my name is", secret]})
    post(rasa_server, {"sender": "x\ncoordinator mallory logged in", "message": secret})
    talk(rasa_server, new_patient(), f"call me at {secret}")
    time.sleep(3)  # the cut-off request finishes in the background
    with open(rasa_server.log, encoding="utf-8", errors="replace") as log:
        log.seek(start)
        written = log.read()
    for part in ("Marguerite", "Okonkwo", "13912345678"):
        assert part not in written
    assert not any(line.lstrip().startswith("coordinator mallory") for line in written.splitlines())
    assert "Traceback" not in written


def test_delete_my_data_inside_the_booking_form_is_an_erasure_not_a_contact(rasa_server):
    patient = new_patient()
    talk(rasa_server, patient, "I'd like to book an appointment at Renji")
    talk(rasa_server, patient, "yes")
    talk(rasa_server, patient, "cardiology")
    talk(rasa_server, patient, "next Tuesday")
    talk(rasa_server, patient, "10am")
    assert texts.get("utter_ask_contact", "en") in talk(rasa_server, patient, "Ann Lee")
    reply = talk(rasa_server, patient, "delete my personal data please")
    assert texts.get("erase_done", "en", bookings="0") in reply
    state = tracker(rasa_server, patient)
    assert state["slots"]["contact"] is None and state["slots"]["patient_name"] is None
    assert (state.get("active_loop") or {}).get("name") is None


def test_an_oversized_message_is_refused_in_the_conversations_language(rasa_server):
    patient = new_patient()
    talk(rasa_server, patient, "Здравствуйте, мне нужен стоматолог")
    reply = talk(rasa_server, patient, "xyz " * 700)  # junk that reads as no language, or as another
    assert reply == texts.get("message_too_long", "ru", limit="2000")
