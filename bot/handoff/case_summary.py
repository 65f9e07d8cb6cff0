"""The case at a glance, in the coordinator's language, read from the conversation's Rasa tracker.

Pure functions: everything shown is in the tracker's events (what the patient
wrote, how the NLU read it, the slots the bot filled, the forms it ran, the
pause) or in the queue entry (channel, waited too long, urgent); nothing is
guessed. Labels come from bot/texts (`intent_label_<intent>`,
`entity_label_<entity>`, `slot_label_<slot>`, `handoff_reason_<reason>`); a
name without a text yet is shown as it is rather than failing the console.
"""
from __future__ import annotations

from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence, Tuple

from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    ConversationPaused,
    Restarted,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from bot import languages, texts
from bot.handoff import phrases, reference_data
from bot.handoff.conversations import reply_language

NameOf = Callable[[str, object, str], Optional[str]]

REQUEST_HUMAN, FALLBACK, EMERGENCY = "request_human", "nlu_fallback", "emergency"
EMERGENCY_ACTIONS = ("utter_emergency", "action_emergency_follow_up")
REASONS = ("asked", "misunderstood", "referral_locked", "waited", "other")
# A form is named by the intent that starts it (data/rules.yml): forms have no texts of their own.
FORM_INTENTS = {"booking_form": "book_appointment", "cancel_form": "cancel_appointment",
                "referral_form": "check_referral", "reschedule_form": "reschedule_appointment"}
ACTIVE, STOPPED, COMPLETED = "active", "stopped", "completed"


def label(key: str, language: str, default: str) -> str:
    try:
        return texts.get(key, language)
    except KeyError:
        return default


def _intent_of(event: UserUttered) -> Tuple[Optional[str], Optional[float]]:
    intent = (event.parse_data or {}).get("intent") or event.intent or {}
    return intent.get("name"), intent.get("confidence")


def _user_events(tracker: DialogueStateTracker) -> List[UserUttered]:
    return [event for event in tracker.events if isinstance(event, UserUttered)]


def reading(event: UserUttered, language: str, name_of: NameOf) -> Dict[str, Any]:
    """The bot's reading of one message: its intent and entities, named in `language`."""
    name, confidence = _intent_of(event)
    entities = []
    for entity in (event.parse_data or {}).get("entities") or event.entities or []:
        kind = entity.get("entity")
        if not kind:
            continue
        item = {"entity": kind, "label": label(f"entity_label_{kind}", language, kind), "value": entity.get("value")}
        directory = name_of(kind, entity.get("value"), language)
        if directory:
            item["name"] = directory
        entities.append(item)
    intent = {"name": name, "label": label(f"intent_label_{name}", language, name),
              "confidence": confidence} if name else None
    return {"intent": intent, "entities": entities}


def messages(tracker: DialogueStateTracker, language: str, name_of: NameOf) -> List[Dict[str, Any]]:
    """Every patient message with its language, time and the bot's reading of it."""
    lines = []
    for event in _user_events(tracker):
        if not event.text:
            continue
        lines.append({"text": event.text, "at": event.timestamp,
                      "language": (event.parse_data or {}).get("language") or languages.UNDETERMINED,
                      "emergency": _intent_of(event)[0] == EMERGENCY,
                      **reading(event, language, name_of)})
    return lines


def intents(tracker: DialogueStateTracker, language: str) -> List[Dict[str, str]]:
    """What the patient wanted, message by message, in order."""
    names = [_intent_of(event)[0] for event in _user_events(tracker)]
    return [{"intent": name, "label": label(f"intent_label_{name}", language, name)} for name in names if name]


def facts(tracker: DialogueStateTracker, slots: Sequence[str], language: str,
          name_of: NameOf) -> List[Dict[str, Any]]:
    """The slots of `slots` that hold a value (False too: a refused consent is a fact)."""
    known = []
    for slot in slots:
        value = tracker.get_slot(slot) if slot in tracker.slots else None
        if value is None or value == "":
            continue
        item = {"slot": slot, "label": label(f"slot_label_{slot}", language, slot), "value": value}
        directory = name_of(slot, value, language)
        if directory:
            item["name"] = directory
        known.append(item)
    return known


def latest_form(tracker: DialogueStateTracker) -> Tuple[Optional[str], Optional[str]]:
    """The form this session last ran, and whether it is active, stopped early, or completed."""
    form, state, previous_action = None, None, None
    for event in tracker.events:
        if isinstance(event, (SessionStarted, Restarted)):
            form, state = None, None
        elif isinstance(event, ActionExecuted):
            previous_action = event.action_name
        elif isinstance(event, ActiveLoop):
            if event.name:
                form, state = event.name, ACTIVE
            elif form:
                # the form's own action ends it when all is answered; anything else (a rule's
                # action_deactivate_loop, "stop") broke it off
                state = COMPLETED if previous_action == form else STOPPED
    return form, state


def booking(tracker: DialogueStateTracker, language: str,
            forms: Mapping[str, Sequence[str]]) -> Dict[str, Any]:
    """Consent to keep the booking's data, and the form's unanswered questions (while active or broken off)."""
    consent = tracker.get_slot("data_consent") if "data_consent" in tracker.slots else None
    form, state = latest_form(tracker)
    if form is None:
        return {"consent": consent, "form": None}
    missing = [] if state == COMPLETED else [
        {"slot": slot, "label": label(f"slot_label_{slot}", language, slot)} for slot in forms.get(form, ())
        if slot not in tracker.slots or tracker.get_slot(slot) is None]
    intent = FORM_INTENTS.get(form)
    return {"consent": consent, "form": {
        "name": form, "label": label(f"intent_label_{intent}", language, form) if intent else form,
        "state": state, "missing": missing}}


def handover_reasons(tracker: DialogueStateTracker, waited: bool = False) -> List[str]:
    """Why the conversation reached a coordinator, read from the turn that paused it; "other" if nothing says."""
    events = list(tracker.events)
    paused = next((i for i in range(len(events) - 1, -1, -1) if isinstance(events[i], ConversationPaused)), None)
    reasons = []
    if paused is not None:
        users = [i for i in range(paused) if isinstance(events[i], UserUttered)]
        turn = events[users[-1]:paused] if users else events[:paused]
        last_intents = [_intent_of(events[i])[0] for i in users[-2:]]
        if last_intents and last_intents[-1] == REQUEST_HUMAN:
            reasons.append("asked")
        if last_intents == [FALLBACK, FALLBACK]:
            reasons.append("misunderstood")
        if any(isinstance(e, SlotSet) and e.key == "referral_locked" and e.value for e in turn):
            reasons.append("referral_locked")
    if waited:
        reasons.append("waited")
    return reasons or ["other"]


def emergency(tracker: DialogueStateTracker) -> bool:
    return any((isinstance(e, UserUttered) and _intent_of(e)[0] == EMERGENCY)
               or (isinstance(e, ActionExecuted) and e.action_name in EMERGENCY_ACTIONS) for e in tracker.events)


def summarise(tracker: DialogueStateTracker, coordinator_language: str, *, entry: Any = None,
              case_slots: Optional[Sequence[str]] = None, forms: Optional[Mapping[str, Sequence[str]]] = None,
              name_of: Optional[NameOf] = None) -> Dict[str, Any]:
    """The case for the console; `entry` is the queue entry (store.QueueEntry), when there is one."""
    language = coordinator_language if languages.is_supported(coordinator_language) else texts.FALLBACK_LANGUAGE
    case_slots = phrases.CASE_SLOTS if case_slots is None else case_slots
    forms = reference_data.form_slots() if forms is None else forms
    name_of = reference_data.directory_name if name_of is None else name_of
    # the queue's language is the one replies go out in (service.reply); without an entry, the tracker's
    queued = getattr(entry, "language", None)
    patient = queued if queued and languages.is_supported(queued) else reply_language(tracker)
    reasons = handover_reasons(tracker, waited=bool(getattr(entry, "wait_notified", False)))
    return {
        "conversation": tracker.sender_id,
        "coordinator_language": language,
        "patient_language": {"tag": patient, "name": languages.get(patient).native_name,
                             "english_name": languages.get(patient).english_name},
        "channel": getattr(entry, "channel", None) or tracker.get_latest_input_channel(),
        "intents": intents(tracker, language),
        "facts": facts(tracker, case_slots, language, name_of),
        "booking": booking(tracker, language, forms),
        "handover": {"reason": reasons[0], "label": label(f"handoff_reason_{reasons[0]}", language, reasons[0]),
                     "reasons": [{"reason": r, "label": label(f"handoff_reason_{r}", language, r)} for r in reasons]},
        "emergency": emergency(tracker) or bool(getattr(entry, "urgent", False)),
        "messages": messages(tracker, language, name_of),
    }
