"""Patient identity against an attacker, without a server: signed widget ids, typed intent
shortcuts, conversation ids and each channel's namespace of them, and logs that carry no
personal data or forged lines."""
import io
import json
import logging

import pytest
import structlog
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.log_utils import configure_structlog

from bot import conversation_ids, log_hygiene
from bot.channels.widget_sessions import SessionTokens
from bot.handoff.shortcuts import as_patient_wrote, offered_payloads

HOSPITAL_BUTTON = '/inform{"hospital":"renji"}'


def tracker_with(*events):
    return DialogueStateTracker.from_events("patient", list(events))


def offered_hospital_buttons():
    question = BotUttered("Which hospital?", data={"buttons": [{"title": "Renji", "payload": HOSPITAL_BUTTON}]})
    return tracker_with(UserUttered("book", intent={"name": "book_appointment"}), ActionExecuted("booking_form"),
                        question)


# --- signed widget conversation ids ------------------------------------------------

def test_a_token_proves_its_own_conversation_only():
    tokens = SessionTokens(b"secret")
    conversation_id, token = tokens.issue()
    assert conversation_id.startswith("widget:") and tokens.verify(token) == conversation_id
    assert conversation_ids.platform_id(conversation_id, "widget") == conversation_id.removeprefix("widget:")
    other_id, _ = tokens.issue()
    assert tokens.verify(f"{other_id}.{token.rsplit('.', 1)[1]}") is None  # a signature moved to another id
    assert tokens.verify(conversation_id) is None  # a bare id, as Rasa's widget would send it
    assert SessionTokens(b"other secret").verify(token) is None
    for forged in (None, 42, "", ".", "web-x.", "widget:x.", "default", "x" * 500, f"{conversation_id}.é"):
        assert tokens.verify(forged) is None


def test_a_token_of_the_previous_id_format_starts_a_new_conversation():
    tokens = SessionTokens(b"secret")
    old_id = "web-" + "0" * 32  # how ids were issued before issue 23, signed with the same key
    assert tokens.verify(f"{old_id}.{tokens._signature(old_id)}") is None
    namespaced_elsewhere = "telegram:12345"
    assert tokens.verify(f"{namespaced_elsewhere}.{tokens._signature(namespaced_elsewhere)}") is None


# --- typed intent shortcuts ----------------------------------------------------------

@pytest.mark.parametrize("typed,seen", [
    ("/restart", "restart"),
    ('/inform{"referral_locked": false}', "inform"),
    ('/inform@0.99{"hospital": "renji"}', "inform"),
    ("/ I need help", "I need help"),
    ("/erase_data", "erase_data"),
    ("//", "?"),
    ('/inform{"hospital":"cmer_luohu"}', "inform"),  # a payload that was not offered
])
def test_typed_shortcuts_are_read_as_text(typed, seen):
    assert as_patient_wrote(typed, offered_hospital_buttons()) == seen


def test_only_the_buttons_offered_since_the_patients_last_message_pass():
    assert as_patient_wrote(HOSPITAL_BUTTON, offered_hospital_buttons()) == HOSPITAL_BUTTON
    answered = tracker_with(*offered_hospital_buttons().events, UserUttered("Renji", intent={"name": "inform"}))
    assert offered_payloads(answered) == set()
    assert as_patient_wrote(HOSPITAL_BUTTON, answered) == "inform"
    assert as_patient_wrote(HOSPITAL_BUTTON, None) == "inform"  # no conversation yet


def test_ordinary_text_is_untouched():
    assert as_patient_wrote("I need a dentist / orthodontist", None) == "I need a dentist / orthodontist"


# --- conversation ids -----------------------------------------------------------------

@pytest.mark.parametrize("candidate,valid", [
    ("patient-1", True), ("web-0123abcd", True), ("8123456789", True), ("o6_bmjrPTlm6_2sgVt7hMZOPfL2M", True),
    ("Zhang Wei", True), ("a/b", True), ("张伟", True),
    ("", False), (None, False), (42, False), ("x" * 129, False), ("a\nb", False), ("a\rcoordinator mallory", False),
    (" padded", False), ("a\u2028b", False), ("zero\u200bwidth", False),
])
def test_conversation_ids(candidate, valid):
    assert conversation_ids.is_valid(candidate) is valid


@pytest.mark.parametrize("channel,platform_id,conversation_id", [
    ("telegram", 8123456789, "telegram:8123456789"), ("telegram", "-1001234567890", "telegram:-1001234567890"),
    ("wechat", "o6_bmjrPTlm6_2sgVt7hMZOPfL2M", "wechat:o6_bmjrPTlm6_2sgVt7hMZOPfL2M"),
    ("widget", "0123456789abcdef0123456789abcdef", "widget:0123456789abcdef0123456789abcdef"),
])
def test_channel_conversation_ids_round_trip(channel, platform_id, conversation_id):
    assert conversation_ids.for_channel(channel, platform_id) == conversation_id
    assert conversation_ids.platform_id(conversation_id, channel) == str(platform_id)
    assert conversation_ids.is_valid(conversation_id) and conversation_ids.is_reserved(conversation_id)


@pytest.mark.parametrize("channel,platform_id", [
    ("telegram", ""), ("telegram", "12a"), ("telegram", "12345\n"), ("telegram", "0"), ("telegram", True),
    ("telegram", None), ("telegram", 1.5), ("telegram", "1" * 21), ("telegram", " 12345"),
    ("wechat", ""), ("wechat", "o x"), ("wechat", "o\ncoordinator mallory"), ("wechat", "wechat:o-1"),
    ("wechat", "o" * 65), ("wechat", "张伟"), ("widget", "web-0123"), ("widget", "0123456789ABCDEF0123456789ABCDEF"),
    ("rest", "patient-1"), ("socketio", "0123456789abcdef0123456789abcdef"),
])
def test_a_malformed_platform_id_is_refused(channel, platform_id):
    with pytest.raises(ValueError):
        conversation_ids.for_channel(channel, platform_id)


@pytest.mark.parametrize("conversation_id,channel", [
    ("12345", "telegram"),  # a bare chat id: a REST sender, or a conversation from before issue 23
    ("wechat:12345", "telegram"), ("telegram:12345", "wechat"), ("telegram:", "telegram"),
    ("telegram:12345:6", "telegram"), ("Telegram:12345", "telegram"), ("o-test-1", "wechat"),
    ("web-0123456789abcdef0123456789abcdef", "widget"), (None, "telegram"), ("rest:x", "rest"),
])
def test_an_id_outside_a_channels_namespace_never_yields_a_platform_id(conversation_id, channel):
    with pytest.raises(ValueError):
        conversation_ids.platform_id(conversation_id, channel)


@pytest.mark.parametrize("sender,reserved", [
    ("telegram:12345", True), ("wechat:o-1", True), ("widget:x", True), ("TELEGRAM:12345", True),
    ("Widget:anything", True), ("12345", False), ("patient-1", False), ("his:12345", False),
    ("telegram-12345", False), ("web-0123abcd", False), (None, False),
])
def test_channel_namespaces_are_reserved(sender, reserved):
    assert conversation_ids.is_reserved(sender) is reserved


# --- logs --------------------------------------------------------------------------------

@pytest.fixture
def rasa_logging(monkeypatch):
    """Rasa's own logging set-up (JSON lines, as on a server without a terminal), then ours."""
    stream = io.StringIO()
    monkeypatch.setattr("sys.stdout", stream)
    root = logging.getLogger()
    saved = root.handlers[:], root.level, logging.getLogRecordFactory()
    root.handlers.clear()
    configure_structlog(logging.INFO)
    log_hygiene.apply.cache_clear()
    log_hygiene.apply()
    yield stream
    root.handlers[:], root.level = saved[0], saved[1]
    logging.setLogRecordFactory(saved[2])
    log_hygiene.apply.cache_clear()
    structlog.reset_defaults()


def test_rasa_events_lose_the_patients_text_and_the_stack_frames(rasa_logging):
    secret = "My name is Zhang Wei, call me on 13800138000"
    structlog.get_logger().error("rest.message.received.timeout", text=secret)
    try:
        message = secret
        raise ValueError(message)
    except ValueError:
        structlog.get_logger().exception("rest.message.received.failure", text=secret)
    structlog.get_logger().debug("processor.message.parse", parse_data_text=secret)
    written = rasa_logging.getvalue()
    assert "rest.message.received.timeout" in written and "rest.message.received.failure" in written
    assert "13800138000" not in written and "Zhang Wei" not in written
    assert json.loads(written.splitlines()[1])["error"] == "ValueError"


def test_a_newline_in_an_id_cannot_forge_a_log_line(rasa_logging):
    forged_id = "patient-7\ncoordinator mallory logged in"
    logging.getLogger("bot.handoff").info("conversation %s queued", forged_id)
    logging.getLogger("bot.handoff").info(f"conversation {forged_id} queued")
    lines = rasa_logging.getvalue().splitlines()
    assert len(lines) == 2 and not any(line.startswith("coordinator mallory") for line in lines)
    assert all("patient-7\\ncoordinator mallory" in line for line in lines)


# --- a message cannot hold up the others ------------------------------------------------

def test_long_runs_and_long_messages_reach_the_model_bounded():
    from bot.nlu.tokenizer import MAX_TOKENS, segment

    assert [t.text for t in segment("hello!!!!! 😀😀😀😀 ok", "en")] == ["hello", "!", "!", "😀", "😀", "ok"]
    assert len(segment("😀" * 2000, "en")) == 2
    assert len(segment("我需要帮助" * 400, "zh-Hans")) == MAX_TOKENS
    long_thai = segment("สวัสดีค่ะ อยากนัดหมอฟัน " * 200, "th")
    assert len(long_thai) == MAX_TOKENS
    text = "สวัสดีค่ะ อยากนัดหมอฟัน " * 200
    assert all(text[t.start:t.end] == t.text for t in long_thai)  # offsets still point into the message
