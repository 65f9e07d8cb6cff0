"""The console's case, phrase and audit API on a real Sanic server (no model: trackers are hand-built).

The console is mounted as in tests/test_console_security.py; its handoff service
reads a hand-built tracker (FakeConversations) and sends through a recording
patient channel, so a test sees exactly what the patient would receive.
"""
import contextlib
import json
import uuid
from typing import Dict, List

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker

from bot import texts
from bot.handoff import patients, phrases
from console_server import serving
from test_case_summary import booking_then_asks_for_a_person
from test_console_security import ACCOUNTS, SESSION_SECRET, Client, run

DOMAIN = Domain.load("domain.yml")
CHANNEL = "recording"
CONFIRMED = "phrase_appointment_confirmed"  # "... at {hospital} ... for {date} at {time}."
RENJI_IN_ARABIC = "مستشفى رينجي (الفرع الشرقي)"


class RecordingChannel(patients.PatientChannel):
    def __init__(self) -> None:
        self.sent: List[str] = []

    async def send(self, conversation_id, text, buttons=None, from_coordinator=False):
        self.sent.append(text)
        return True


class FakeConversations:
    """Trackers kept in a dict, as the running agent's tracker store would give them."""

    def __init__(self, *trackers: DialogueStateTracker) -> None:
        self.trackers: Dict[str, DialogueStateTracker] = {t.sender_id: t for t in trackers}

    async def tracker(self, conversation_id):
        return self.trackers.get(conversation_id)

    async def append(self, conversation_id, *events):
        for event in events:
            self.trackers[conversation_id].update(event)

    async def erase(self, conversation_id):
        return self.trackers.pop(conversation_id, None) is not None


def arabic_patient(conversation_id: str) -> DialogueStateTracker:
    """The Arabic booking of test_case_summary.py, under another id, with the date the patient gave."""
    events = list(booking_then_asks_for_a_person().events)
    tracker = DialogueStateTracker.from_events(conversation_id, events, slots=DOMAIN.slots)
    tracker._set_slot("appointment_date", "الثلاثاء القادم")  # as typed: shown, never reinterpreted
    return tracker


@pytest.fixture
def recording():
    channel = RecordingChannel()
    patients.register(CHANNEL, channel)
    return channel


@contextlib.asynccontextmanager
async def console(monkeypatch, *trackers: DialogueStateTracker, **env: str):
    """A console on a real server whose conversations are `trackers`, each queued from the recording channel."""
    from bot.handoff.console import CoordinatorConsole
    from bot.server import wiring
    from bot.server.settings import ServerSettings

    for name, value in {"COORDINATOR_ACCOUNTS": ACCOUNTS, "COORDINATOR_SESSION_SECRET": SESSION_SECRET,
                        "COORDINATOR_ADMINS": "alice", **env}.items():
        monkeypatch.setenv(name, value)
    channel = CoordinatorConsole()
    channel.connect(wiring.build(lambda: None, ServerSettings.from_env()))
    service = channel.wiring.handoff
    service.conversations = FakeConversations(*trackers)
    for tracker in trackers:
        await service.store.enqueue(tracker.sender_id, CHANNEL, "ar")
    async with serving(channel, monkeypatch) as api:
        yield api


def path(conversation_id: str, action: str = "") -> str:
    from urllib.parse import quote

    return f"conversations/{quote(conversation_id, safe='')}" + (f"/{action}" if action else "")


def test_the_case_comes_in_the_coordinators_language(monkeypatch, recording):
    me = f"{CHANNEL}:{uuid.uuid4().hex}"

    async def scenario():
        async with console(monkeypatch, arabic_patient(me)) as api, Client(api) as alice:
            assert (await alice.get(f"{path(me)}/case")).status == 401  # a coordinator's only
            await alice.login("alice")
            case = await alice.get(f"{path(me)}/case?language=zh-Hans")
            assert case.status == 200
            assert case.body["patient_language"]["tag"] == "ar" and case.body["channel"] == CHANNEL
            assert case.body["handover"]["label"] == texts.get("handoff_reason_asked", "zh-Hans")
            assert [i["label"] for i in case.body["intents"]][-1] == texts.get("intent_label_request_human", "zh-Hans")
            hospital = next(fact for fact in case.body["facts"] if fact["slot"] == "hospital")
            assert hospital["name"] == "仁济医院东院"
            # English without ?language=; a language we do not have is refused, not guessed
            english = await alice.get(f"{path(me)}/case")
            assert english.body["handover"]["label"] == texts.get("handoff_reason_asked", "en")
            assert (await alice.get(f"{path(me)}/case?language=xx")).body == {"error": "unknown_language"}
            assert (await alice.get(f"{path('recording:nobody')}/case")).status == 404

    run(scenario())


def test_a_phrase_goes_out_in_the_patients_language_with_its_parameters(monkeypatch, recording):
    me = f"{CHANNEL}:{uuid.uuid4().hex}"

    async def scenario():
        async with console(monkeypatch, arabic_patient(me)) as api, Client(api) as alice:
            await alice.login("alice")
            offered = await alice.get(f"phrases?language=zh-Hans&conversation={me}")
            assert offered.status == 200 and offered.body["patient_language"] == "ar"
            assert [p["key"] for p in offered.body["phrases"]] == list(phrases.PHRASES)
            confirmed = next(p for p in offered.body["phrases"] if p["key"] == CONFIRMED)
            assert confirmed["text"] == texts.get(CONFIRMED, "zh-Hans")
            assert confirmed["patient_text"] == texts.get(CONFIRMED, "ar")
            # pre-filled from the case, as the patient will read them; the time was never given
            assert {p["name"]: p["value"] for p in confirmed["parameters"]} == {
                "hospital": RENJI_IN_ARABIC, "date": "الثلاثاء القادم", "time": ""}
            assert confirmed["parameters"][0]["label"] == texts.get("phrase_parameter_hospital", "zh-Hans")
            # the catalogue alone, for any pair of languages
            plain = await alice.get("phrases?language=ja&patient_language=ru")
            assert plain.body["phrases"][0]["patient_text"] == texts.get(phrases.PHRASES[0], "ru")
            assert (await alice.get("phrases?language=ja&patient_language=klingon")).status == 400

            assert (await alice.post(f"{path(me)}/take")).status == 200
            values = {"hospital": RENJI_IN_ARABIC, "date": "الثلاثاء القادم", "time": "10:30"}
            missing = await alice.post(f"{path(me)}/reply", phrase=CONFIRMED,
                                       parameters={**values, "time": "  "})
            assert (missing.status, missing.body) == (400, {"error": "missing_parameters", "names": ["time"]})
            unknown = await alice.post(f"{path(me)}/reply", phrase="handoff_queued", parameters={})
            assert (unknown.status, unknown.body) == (400, {"error": "unknown_phrase"})
            sent = await alice.post(f"{path(me)}/reply", phrase=CONFIRMED, parameters=values)
            assert sent.status == 200 and sent.body == {"delivered": True}
            # the older quick phrases still go out without parameters
            assert (await alice.post(f"{path(me)}/reply", phrase="quick_anything_else")).status == 200
            # markup in a parameter is text, as typed
            tag = await alice.post(f"{path(me)}/reply", phrase="phrase_call_back", parameters={"time": "<b>3</b>"})
            assert tag.status == 200

            assert recording.sent == [
                texts.get("handoff_coordinator_joined", "ar"),
                texts.get(CONFIRMED, "ar").format(**values),
                texts.get("quick_anything_else", "ar"),
                texts.get("phrase_call_back", "ar").format(time="<b>3</b>")]
            assert RENJI_IN_ARABIC in recording.sent[1] and "10:30" in recording.sent[1]

    run(scenario())


def test_the_audit_trail_keeps_who_did_what_never_what_was_written(monkeypatch, recording):
    me, other = f"{CHANNEL}:{uuid.uuid4().hex}", f"{CHANNEL}:{uuid.uuid4().hex}"
    secret_time = "17:45 بعد العملية"

    async def scenario():
        async with console(monkeypatch, arabic_patient(me), arabic_patient(other)) as api, \
                Client(api) as alice, Client(api) as bob:
            await alice.login("alice")
            await bob.login("bob")
            for _ in range(3):  # the console reloads an open conversation at every change: one "opened"
                assert (await bob.get(path(me))).status == 200
            await bob.get(f"{path(me)}/case?language=en")
            await bob.post(f"{path(me)}/take")
            await bob.post(f"{path(me)}/reply", text="free text with a diagnosis")
            await bob.post(f"{path(me)}/reply", phrase="phrase_call_back", parameters={"time": secret_time})
            await bob.post(f"{path(me)}/handback")
            await alice.post(f"{path(other)}/take")
            await bob.post("logout")

            assert (await bob.get("audit")).status == 401  # logged out
            await bob.login("bob")
            refused = await bob.get("audit")
            assert (refused.status, refused.body) == (403, {"error": "not_admin"})

            trail = await alice.get("audit")
            assert trail.status == 200
            entries = trail.body["entries"]
            assert [(e["coordinator"], e["action"], e["conversation"]) for e in entries] == [
                ("bob", "login", None),
                ("bob", "logout", None),
                ("alice", "took", other),
                ("bob", "handed_back", me),
                ("bob", "replied", me),
                ("bob", "replied", me),
                ("bob", "took", me),
                ("bob", "opened", me),
                ("bob", "login", None),
                ("alice", "login", None)]
            assert all(set(e) == {"at", "coordinator", "action", "conversation"} for e in entries)
            assert [e["at"] for e in entries] == sorted((e["at"] for e in entries), reverse=True)
            written = json.dumps(trail.body, ensure_ascii=False)
            for text in ("diagnosis", secret_time, texts.get("phrase_call_back", "ar")[:10]):
                assert text not in written

            only_other = await alice.get(f"audit?conversation={other}")
            assert [e["action"] for e in only_other.body["entries"]] == ["took"]
            assert len((await alice.get("audit?limit=2")).body["entries"]) == 2

    run(scenario())


def test_two_consoles_on_one_redis_keep_one_audit_trail(monkeypatch, recording, redis_server):
    import redis

    redis.Redis.from_url(redis_server).flushdb()
    me = f"{CHANNEL}:{uuid.uuid4().hex}"

    async def scenario():
        shared = {"REDIS_URL": redis_server}
        async with console(monkeypatch, arabic_patient(me), **shared) as one, \
                console(monkeypatch, arabic_patient(me), **shared) as two, \
                Client(one) as bob_at_one, Client(two) as alice_at_two:
            await bob_at_one.login("bob")
            await alice_at_two.login("alice")
            assert (await bob_at_one.post(f"{path(me)}/take")).status == 200
            # the queue is shared: the other instance knows bob holds it
            assert (await alice_at_two.post(f"{path(me)}/take")).status == 409
            await alice_at_two.get(path(me))
            await bob_at_one.get(path(me))
            await alice_at_two.get(path(me))  # within the quarter hour: not again, whichever instance serves
            trail = (await alice_at_two.get("audit")).body["entries"]
            assert [(e["coordinator"], e["action"]) for e in trail] == [
                ("bob", "opened"), ("alice", "opened"), ("bob", "took"), ("alice", "login"), ("bob", "login")]
            assert (await bob_at_one.get("audit")).status == 403

    run(scenario())
