"""Production set-up: two Rasa instances and one action server sharing one real Redis.

Messages of one conversation alternate between the instances and stay
coherent; concurrent messages are processed one at a time (Rasa's Redis lock
store) and none is lost; Redis and the action server go down and come back;
a patient's data is erased on request; logs carry no personal data.
"""
import concurrent.futures
import uuid

import pytest
import redis
import requests

from bot import texts
from bot.redis_url import endpoint_env
from conftest import RedisProcess, api_url, free_port, rasa_env, start_action_server, start_rasa, stop, tracker_of

ENDPOINTS = "endpoints-redis.yml"


class ActionServer:
    def __init__(self, workdir):
        self.port, self.workdir, self.process = free_port(), workdir, None
        self.url = f"http://127.0.0.1:{self.port}/webhook"
        self.log = workdir / "actions.log"

    def start(self):
        self.process = start_action_server(self.workdir, self.port)

    def stop(self):
        stop(self.process)


@pytest.fixture(scope="module")
def deployment(trained_model, telegram_api, wechat_api, tmp_path_factory):
    workdir = tmp_path_factory.mktemp("deployment")
    store = RedisProcess(workdir, keep_data=True)
    store.start()
    actions = ActionServer(workdir)
    actions.start()
    env = {**rasa_env(actions.url, telegram_api, wechat_api), "REDIS_URL": store.url, **endpoint_env(store.url)}
    instances, processes = [], []
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        started = [pool.submit(start_rasa, trained_model, env, workdir / f"rasa-{i}.log", ENDPOINTS, 300)
                   for i in range(2)]
        for future in started:
            server, process = future.result()
            instances.append(server)
            processes.append(process)
    yield {"instances": instances, "redis": store, "actions": actions}
    for process in processes:
        stop(process)
    actions.stop()
    store.stop()


def talk(server, sender, text):
    response = requests.post(f"{server}/webhooks/rest/webhook", json={"sender": sender, "message": text}, timeout=120)
    response.raise_for_status()
    return "\n".join(m.get("text", "") for m in response.json())


def tracker(server, sender):
    return tracker_of(server, sender)


def test_a_conversation_alternating_between_instances_stays_coherent(deployment):
    a, b = deployment["instances"]
    me = f"prod-{uuid.uuid4()}"
    assert texts.get("consent_ask", "es") in talk(a, me, "Hola, quiero pedir una cita")
    assert texts.get("book_ask_hospital", "es") in talk(b, me, "sí")
    assert "Renji" in talk(a, me, '/inform{"hospital":"renji"}')
    assert texts.get("utter_ask_appointment_date", "es") in talk(b, me, '/inform{"department":"cardiology"}')
    for server in (a, b):
        state = tracker(server, me)
        assert state["active_loop"]["name"] == "booking_form"
        assert state["slots"]["hospital"] == "renji" and state["slots"]["language"] == "es"
        assert state["slots"]["requested_slot"] == "appointment_date"


def test_concurrent_messages_of_one_conversation_are_all_processed_in_turn(deployment):
    a, b = deployment["instances"]
    me = f"prod-{uuid.uuid4()}"
    messages = [f"gracias {i}" for i in range(10)]
    with concurrent.futures.ThreadPoolExecutor(10) as pool:
        replies = list(pool.map(lambda pair: talk(pair[0], me, pair[1]),
                                [((a, b)[i % 2], text) for i, text in enumerate(messages)]))
    assert all(reply for reply in replies)  # every message was answered
    events = tracker(a, me)["events"]
    received = [e["text"] for e in events if e["event"] == "user"]
    assert sorted(received) == sorted(messages)  # none lost
    # processed one at a time: each message is followed by its own answer before the next one starts
    kinds = [e["event"] for e in events if e["event"] in ("user", "bot")]
    assert kinds == ["user", "bot"] * len(messages)


def test_the_handoff_queue_is_shared_by_the_instances(deployment):
    a, b = deployment["instances"]
    me = f"prod-{uuid.uuid4()}"
    assert talk(a, me, "I'd like to talk to a real person please") == texts.get("handoff_queued", "en")
    from test_handoff import Coordinator

    alice = Coordinator(b, "alice")
    assert alice.login().status_code == 200
    assert me in alice.queue_ids()  # queued by instance a, seen on instance b
    assert alice.post(f"conversations/{me}/take").status_code == 200
    bob = Coordinator(a, "bob")
    assert bob.login().status_code == 200
    assert bob.post(f"conversations/{me}/take").status_code == 409
    assert talk(a, me, "hello?") == ""  # paused on both instances
    assert alice.post(f"conversations/{me}/handback").status_code == 200
    assert talk(a, me, "thanks") == texts.get("utter_thank", "en")


def test_redis_outage_gets_a_polite_answer_and_the_conversation_goes_on(deployment):
    a, b = deployment["instances"]
    me = f"prod-{uuid.uuid4()}"
    assert texts.get("consent_ask", "ko") in talk(a, me, "예약하고 싶어요")
    deployment["redis"].stop()
    try:
        assert talk(b, me, "네 동의합니다") == texts.get("service_unavailable", "ko")
        assert requests.get(api_url(a, "/status"), timeout=10).ok  # the server keeps running
    finally:
        deployment["redis"].start()
    assert texts.get("book_ask_hospital", "ko") in talk(b, me, "네 동의합니다")
    assert tracker(a, me)["active_loop"]["name"] == "booking_form"


def test_action_server_outage_gets_a_polite_answer_then_actions_work_again(deployment):
    a, _ = deployment["instances"]
    me = f"prod-{uuid.uuid4()}"
    talk(a, me, "Bonjour")
    deployment["actions"].stop()
    try:
        reply = talk(a, me, "Quels sont les horaires de l'hôpital Renji ?")
        assert reply == texts.get("service_unavailable", "fr")
    finally:
        deployment["actions"].start()
    assert "Renji" in talk(a, me, "Quels sont les horaires de l'hôpital Renji ?")


def test_erasing_removes_the_conversation_bookings_and_queue_entry(deployment):
    a, b = deployment["instances"]
    me = f"prod-{uuid.uuid4()}"
    talk(a, me, "please answer in English")
    talk(a, me, "I'd like to book an appointment")
    talk(b, me, "yes")
    talk(a, me, '/inform{"hospital":"renji"}')
    talk(b, me, '/inform{"department":"cardiology"}')
    talk(a, me, "next Tuesday")
    talk(b, me, "10am")
    talk(a, me, "Zhang Wei")
    talk(b, me, "+86 138 0013 8000")
    assert "BK-" in talk(a, me, "yes")
    assert talk(b, me, "please delete all my data") == texts.get("erase_done", "en", bookings="1")
    client = redis.Redis.from_url(deployment["redis"].url, decode_responses=True)
    assert not [key for key in client.keys("*") if me in key]  # tracker and any handoff records are gone
    events = tracker(a, me)["events"]
    assert not any("Zhang Wei" in str(event) for event in events)


def test_logs_of_a_full_booking_carry_no_personal_data(deployment):
    a, b = deployment["instances"]
    me = f"prod-{uuid.uuid4()}"
    said = ["please answer in English", "I'd like to book an appointment", "yes", '/inform{"hospital":"renji"}',
            '/inform{"department":"cardiology"}', "next Tuesday", "10am", "Marguerite Okonkwo-Lindqvist",
            "marguerite.okonkwo@example.org", "yes", "check my referral RF-20831", "1961-04-17"]
    for i, text in enumerate(said):
        talk((a, b)[i % 2], me, text)
    logs = "".join(path.read_text(errors="replace") for path in
                   [a.log, b.log, deployment["actions"].log])
    for secret in ("Marguerite", "Okonkwo", "marguerite.okonkwo@example.org", "RF-20831", "1961-04-17",
                   "next Tuesday", "I'd like to book an appointment"):
        assert secret not in logs, secret


def test_a_tracker_store_outage_fails_the_message_and_keeps_no_copy_in_memory():
    """Rasa's FailSafeTrackerStore forked the conversation: a new one on a failed read, an
    in-memory copy nobody reads on a failed write (bot/tracker_store_outage.py)."""
    import asyncio

    from rasa.core.tracker_store import FailSafeTrackerStore, TrackerStore
    from rasa.shared.core.trackers import DialogueStateTracker

    from bot import tracker_store_outage

    tracker_store_outage.apply()

    class Down(TrackerStore):
        async def retrieve(self, sender_id):
            raise redis.ConnectionError("Redis is restarting")

        async def retrieve_full_tracker(self, sender_id):
            raise redis.ConnectionError("Redis is restarting")

        async def save(self, tracker):
            raise redis.ConnectionError("Redis is restarting")

        async def keys(self):
            return []

    store = FailSafeTrackerStore(Down(domain=None))

    async def scenario():
        for call in (store.retrieve("p1"), store.retrieve_full_tracker("p1"),
                     store.save(DialogueStateTracker.from_events("p1", []))):
            with pytest.raises(redis.ConnectionError):
                await call

    asyncio.run(scenario())
    assert store._fallback_tracker_store is None  # never made: nothing kept in memory
