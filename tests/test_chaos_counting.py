"""`make chaos`'s counting (scripts/chaos.py): what the patient got, lost and duplicate messages."""
from collections import Counter

from scripts.chaos import (
    ANSWERED,
    FAILED,
    FAULTS,
    NO_REPLY,
    POLITE,
    Load,
    Sent,
    classify,
    notable,
    p99,
    polite_texts,
    recorded_texts,
    tally,
)

POLITE_EN = "Sorry, something went wrong on our side. Please try again in a moment. If it is an emergency, " \
            "call 120 in mainland China or 999 in Hong Kong."


def test_the_polite_text_of_every_language_is_known():
    from bot.languages import TAGS

    texts = polite_texts()
    assert POLITE_EN in texts
    assert len(texts) == len(TAGS)


def test_what_the_patient_got():
    polite = polite_texts()
    some_polite = sorted(polite)[0]
    assert classify(200, [{"recipient_id": "a", "text": "Hello!"}], polite) == ANSWERED
    assert classify(200, [{"recipient_id": "a", "text": "Hello!"}, {"text": some_polite}], polite) == POLITE
    assert classify(200, [{"recipient_id": "a", "buttons": [{"title": "yes"}]}], polite) == ANSWERED
    assert classify(200, [], polite) == NO_REPLY
    assert classify(200, None, polite) == NO_REPLY  # not JSON
    assert classify(400, {"error": "x"}, polite) == NO_REPLY


def test_recorded_texts_count_user_events_only():
    tracker = {"events": [{"event": "user", "text": "hi"}, {"event": "bot", "text": "hi"},
                          {"event": "user", "text": "hi"}, {"event": "action", "name": "x"}]}
    assert recorded_texts(tracker) == Counter({"hi": 2})
    assert recorded_texts({}) == Counter()


def sent(sender, text, outcome, phase="fault", window="fault", attempts=1, wait_ms=10.0):
    return Sent(sender, text, phase, window, attempts=[(0, "200", 0.0, wait_ms)] * attempts, outcome=outcome,
                wait_ms=wait_ms)


def test_lost_duplicates_and_replies_are_counted_per_phase():
    messages = [
        sent("a", "hello", ANSWERED),  # recorded once: fine
        sent("a", "where", ANSWERED, attempts=2),  # retried and recorded twice: one duplicate
        sent("b", "hello", FAILED, attempts=4),  # no 200 at all: lost, whatever the tracker says
        sent("b", "where", NO_REPLY),  # a 200 with nothing said, not recorded: lost
        sent("c", "hello", NO_REPLY),  # a 200 with nothing said but recorded: no reply, not lost
        sent("c", "where", POLITE, window="after"),  # told to try again, not recorded (Redis down): not lost
        sent("d", "hello", ANSWERED, window="after"),  # answered but not recorded
        sent("e", "hello", ANSWERED, phase="baseline", wait_ms=5.0),
        sent("f", "hello", ANSWERED, phase="warm-up"),  # not in any row
    ]
    recorded = {"a": Counter({"hello": 1, "where": 2}), "b": Counter({"hello": 1}), "c": Counter({"hello": 1}),
                "e": Counter({"hello": 1}), "f": Counter({"hello": 3})}
    rows = {row["phase"]: row for row in tally(messages, recorded, ["baseline", "fault"])}
    assert set(rows) == {"baseline", "fault"}
    fault = rows["fault"]
    assert (fault["sent"], fault[ANSWERED], fault[POLITE], fault[NO_REPLY], fault["lost"]) == (7, 3, 1, 1, 2)
    assert (fault["duplicates"], fault["retried"], fault["unrecorded"]) == (1, 2, 1)
    baseline = rows["baseline"]
    assert (baseline["sent"], baseline[ANSWERED], baseline["lost"], baseline["duplicates"]) == (1, 1, 0, 0)
    assert baseline["p99 ms during"] == 5.0 and baseline["p99 ms after"] is None


def test_a_text_sent_twice_in_one_conversation_is_no_duplicate_when_recorded_twice():
    messages = [sent("a", "yes", ANSWERED), sent("a", "yes", ANSWERED)]
    row = tally(messages, {"a": Counter({"yes": 2})}, ["fault"])[0]
    assert (row["duplicates"], row["lost"], row["unrecorded"]) == (0, 0, 0)
    row = tally(messages, {"a": Counter({"yes": 3})}, ["fault"])[0]
    assert row["duplicates"] == 1


def test_p99():
    assert p99([]) is None
    assert p99([7.0]) == 7.0
    assert 98 <= p99([float(value) for value in range(1, 101)]) <= 100


def test_lost_and_duplicated_messages_are_listed_without_their_text():
    lost = Sent("a", "secret words", "fault", "fault", outcome=FAILED, wait_ms=40000.0,
                attempts=[(0, "ServerDisconnectedError", 1.0, 3.0), (1, "TimeoutError", 1.0, 15000.0)])
    twice = sent("b", "hello", ANSWERED)
    fine = sent("c", "hello", ANSWERED)
    found = notable([lost, twice, fine], {"a": Counter(), "b": Counter({"hello": 2}), "c": Counter({"hello": 1})})
    assert [(item["conversation"], item["outcome"], item["recorded times"]) for item in found] == [
        ("a", "lost", 0), ("b", ANSWERED, 2)]
    assert "secret" not in str(found)
    assert found[0]["attempts"] == ("instance 1 ServerDisconnectedError at 1.0 s (3 ms) > "
                                    "instance 2 TimeoutError at 1.0 s (15000 ms)")


def test_a_message_in_flight_as_a_fault_begins_counts_in_the_fault():
    load = Load(["http://127.0.0.1:1", "http://127.0.0.1:2"], set(), rate=20, patients=1)
    load.enter("baseline", "fault")
    message = sent("a", "hello", "", phase="baseline")
    load.in_flight[id(message)] = message
    load.enter(FAULTS[0], "fault")
    assert (message.phase, message.window, message.in_flight_at_fault) == (FAULTS[0], "fault", True)
    load.enter(FAULTS[0], "after")  # the end of a fault moves nothing
    assert message.window == "fault"
