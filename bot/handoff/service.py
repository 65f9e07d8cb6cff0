"""What happens to a conversation between "I want a person" and the hand-back.

The patient side is called by the guard after each patient message; the
coordinator side by the console's API. Rasa's ConversationPaused keeps the
bot silent while a coordinator holds the conversation; this service adds the
queue, the coordinator's replies, and ConversationResumed at the hand-back.
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any, Dict, List, Optional

from rasa.core.channels.channel import UserMessage
from rasa.shared.core.events import ActionExecuted, BotUttered, ConversationResumed

from bot import languages, texts
from bot.handoff import case_summary, patients, phrase_replies, phrases
from bot.handoff.audit import HANDED_BACK, REPLIED, TOOK, AuditTrail, InMemoryAuditTrail
from bot.handoff.bus import ConsoleBus
from bot.handoff.conversations import (
    Conversations,
    actions_this_turn,
    answered_this_turn,
    custom_actions_this_turn,
    reply_language,
    transcript,
)
from bot.handoff.store import HELD, WAITING, HandoffStore, QueueEntry, entry_dict

logger = logging.getLogger(__name__)

# Resuming also logs action_listen: a paused turn ended without one, and the
# dialogue policies expect every user message to follow it.
RESUMED = (ConversationResumed(), ActionExecuted("action_listen"))
CALLBACK_PAYLOAD, CONTINUE_PAYLOAD = "/handoff_callback", "/handoff_continue"
CONTROL_PAYLOADS = (CALLBACK_PAYLOAD, CONTINUE_PAYLOAD)
MAX_REPLY_CHARS = 2000
# what the conversation view lists; any phrase of phrases.PHRASES may be sent (reply below)
QUICK_PHRASES = ("quick_one_moment", "quick_appointment_confirmed", "quick_bring_documents", "quick_anything_else")
ERASE_ACTION = "action_erase_data"
BUTTON_KEYS = {CALLBACK_PAYLOAD: "handoff_button_callback", CONTINUE_PAYLOAD: "handoff_button_continue"}


def control_payload(text: Optional[str]) -> Optional[str]:
    """The waiting notice's choice in a message: its payload, or (WeChat has no buttons) its title typed back."""
    typed = (text or "").strip()
    if typed in CONTROL_PAYLOADS:
        return typed
    for payload, key in BUTTON_KEYS.items():
        if any(typed.casefold() == texts.get(key, tag).casefold() for tag in languages.TAGS):
            return payload
    return None


@dataclass
class Outcome:
    """The result of a coordinator's request: ok, or why not (HTTP-shaped for the console)."""

    status: int
    body: Dict[str, Any]


class HandoffService:
    def __init__(self, store: HandoffStore, bus: ConsoleBus, conversations: Conversations,
                 wait_limit_seconds: float, audit: Optional[AuditTrail] = None) -> None:
        self.store = store
        self.bus = bus
        self.conversations = conversations
        self.wait_limit_seconds = wait_limit_seconds
        self.audit = audit or InMemoryAuditTrail()

    # --- the patient's side ---------------------------------------------------

    async def after_patient_turn(self, message: UserMessage, tracker=None) -> None:
        """Called once Rasa has handled a patient's message (and saved `tracker`, if given)."""
        conversation_id = message.sender_id
        if tracker is None:
            tracker = await self.conversations.tracker(conversation_id)
        if tracker is None:
            return
        if tracker.is_paused():
            await self._while_paused(message, tracker)
        elif ERASE_ACTION in actions_this_turn(tracker):
            await self.erase(conversation_id)
        elif not answered_this_turn(tracker):
            # Rasa said nothing. If one of our actions ran, it failed (the action server is
            # down or broke: Rasa logs it and drops its events); otherwise the dialogue had
            # nothing to say. Either way the patient must not be left hanging.
            failed = bool(custom_actions_this_turn(tracker))
            logger.error("conversation %s: no reply produced (%s)", conversation_id,
                         "an action failed" if failed else "nothing predicted")
            await self._say_now(message, "service_unavailable" if failed else "utter_default",
                                reply_language(tracker))

    async def _while_paused(self, message: UserMessage, tracker) -> None:
        conversation_id = message.sender_id
        language = reply_language(tracker)
        if tracker.latest_message.intent.get("name") == "emergency" and not answered_this_turn(tracker):
            # A paused conversation predicts no actions, so the emergency rule cannot run:
            # the numbers go out from here, at once, whoever holds the conversation.
            await self._say_now(message, "utter_emergency", language)
            await self.store.flag(conversation_id, "urgent")
            logger.warning("conversation %s: emergency while waiting for / with a coordinator", conversation_id)
        if await self.store.get(conversation_id) is None:
            # paused in this turn (action_handoff), or queued before an in-memory restart
            if await self.store.enqueue(conversation_id, message.input_channel or "rest", language):
                logger.info("conversation %s queued for a coordinator", conversation_id)
                await patients.channel(message.input_channel or "").send_state(conversation_id, patients.WAITING)
        await self.bus.publish("conversation", {"id": conversation_id})
        await self.bus.publish("queue")

    async def patient_control(self, message: UserMessage) -> None:
        """The buttons of the waiting notice: be written back later, or go on with the bot."""
        conversation_id = message.sender_id
        tracker = await self.conversations.tracker(conversation_id)
        language = reply_language(tracker)
        entry = await self.store.get(conversation_id)
        if entry is None:
            await self._say_now(message, "handoff_continue_bot", language)
        elif entry.state == HELD:
            await self._say_now(message, "handoff_coordinator_joined", language)
        elif control_payload(message.text) == CALLBACK_PAYLOAD:
            await self.store.flag(conversation_id, "callback_requested")
            await self._say_now(message, "handoff_callback_noted", language)
            await self.bus.publish("queue")
        elif await self.store.remove(conversation_id):
            await self.conversations.append(conversation_id, *RESUMED)
            await self._say_now(message, "handoff_continue_bot", language)
            await patients.channel(entry.channel).send_state(conversation_id, patients.ASSISTANT)
            await self.bus.publish("queue")

    async def _say_now(self, message: UserMessage, key: str, language: str) -> None:
        """Answers within the patient's own turn, and keeps it in the transcript."""
        text = texts.get(key, language)
        await message.output_channel.send_text_message(message.sender_id, text)
        await self.conversations.append(message.sender_id, BotUttered(text, metadata={"handoff": key}))

    async def state_of(self, conversation_id: str) -> str:
        entry = await self.store.get(conversation_id)
        if entry is None:
            return patients.ASSISTANT
        return patients.COORDINATOR if entry.state == HELD else patients.WAITING

    # --- the coordinator's side -------------------------------------------------

    async def queue(self) -> List[Dict[str, Any]]:
        now = time.time()
        items = []
        for entry in await self.store.all():
            tracker = await self.conversations.tracker(entry.conversation_id)
            lines = transcript(tracker) if tracker else []
            items.append({**self._summary(entry), "waiting_seconds": round(now - entry.since),
                          "last_messages": lines[-3:]})
        items.sort(key=lambda item: (not item["urgent"], item["since"]))
        return items

    async def conversation(self, conversation_id: str) -> Outcome:
        entry = await self.store.get(conversation_id)
        if entry is None:
            return Outcome(404, {"error": "not_found"})
        tracker = await self.conversations.tracker(conversation_id)
        return Outcome(200, {
            **self._summary(entry), "notes": entry.notes,
            "can_push": patients.channel(entry.channel).can_push,
            "transcript": transcript(tracker) if tracker else [],
            "phrases": [{"key": key, "text": texts.get(key, entry.language)} for key in QUICK_PHRASES]})

    async def case(self, conversation_id: str, coordinator_language: str) -> Outcome:
        """The case at a glance (case_summary.py), for a conversation in the queue or held."""
        entry = await self.store.get(conversation_id)
        tracker = await self.conversations.tracker(conversation_id) if entry is not None else None
        if tracker is None:
            return Outcome(404, {"error": "not_found"})
        return Outcome(200, case_summary.summarise(tracker, coordinator_language, entry=entry))

    async def phrase_choices(self, coordinator_language: str, patient_language: Optional[str] = None,
                             conversation_id: Optional[str] = None) -> Outcome:
        """The phrases in both languages; with a conversation, its language and its case's parameter values."""
        tracker = None
        if conversation_id is not None:
            entry = await self.store.get(conversation_id)
            if entry is None:
                return Outcome(404, {"error": "not_found"})
            tracker = await self.conversations.tracker(conversation_id)
            patient_language = patient_language or entry.language
        patient_language = patient_language or texts.FALLBACK_LANGUAGE
        values = phrase_replies.prefill(tracker, patient_language)
        return Outcome(200, {"language": coordinator_language, "patient_language": patient_language,
                             "phrases": phrase_replies.choices(coordinator_language, patient_language, values)})

    async def take(self, conversation_id: str, coordinator: str) -> Outcome:
        before = await self.store.get(conversation_id)
        entry = await self.store.take(conversation_id, coordinator)
        if entry is None:
            return Outcome(404, {"error": "not_found"})
        if entry.holder != coordinator:
            return Outcome(409, {"error": "held_by_other", "holder": entry.holder})
        if before is not None and before.holder != coordinator:
            logger.info("conversation %s taken by coordinator %s", conversation_id, coordinator)
            await self._send(entry, texts.get("handoff_coordinator_joined", entry.language))
            await patients.channel(entry.channel).send_state(conversation_id, patients.COORDINATOR)
            await self.audit.record(TOOK, coordinator, conversation_id)
            await self._changed(conversation_id)
        return Outcome(200, self._summary(entry))

    async def reply(self, conversation_id: str, coordinator: str, text: Optional[str] = None,
                    phrase: Optional[str] = None, parameters: Any = None) -> Outcome:
        """Free text as typed, or a phrase rendered in the patient's language with `parameters`."""
        entry = await self.store.get(conversation_id)
        if entry is None:
            return Outcome(404, {"error": "not_found"})
        if entry.holder != coordinator:
            return Outcome(409, {"error": "not_holder", "holder": entry.holder})
        if phrase is not None:
            rendered = self._phrase_text(phrase, entry.language, parameters)
            if isinstance(rendered, Outcome):
                return rendered
            text = rendered
        text = (text or "").strip()
        if not text:
            return Outcome(400, {"error": "empty"})
        if len(text) > MAX_REPLY_CHARS:
            return Outcome(400, {"error": "too_long"})
        delivered = await self._send(entry, text, coordinator=coordinator)
        await self.audit.record(REPLIED, coordinator, conversation_id)
        await self._changed(conversation_id)
        return Outcome(200, {"delivered": delivered})

    @staticmethod
    def _phrase_text(phrase: str, language: str, parameters: Any):
        """The phrase as the patient will read it, or the Outcome saying why it cannot be sent."""
        if phrase not in phrases.PHRASES:
            return Outcome(400, {"error": "unknown_phrase"})
        values, too_long = phrase_replies.parameters_sent(parameters)
        if too_long:
            return Outcome(400, {"error": "too_long", "names": too_long})
        try:
            return phrases.render(phrase, language, values)
        except phrases.MissingParameters as error:
            return Outcome(400, {"error": "missing_parameters", "names": list(error.names)})
        except phrases.UnknownPhrase:
            return Outcome(400, {"error": "unknown_phrase"})

    async def note(self, conversation_id: str, coordinator: str, text: str) -> Outcome:
        text = (text or "").strip()
        if not text:
            return Outcome(400, {"error": "empty"})
        if len(text) > MAX_REPLY_CHARS:
            return Outcome(400, {"error": "too_long"})
        if not await self.store.add_note(conversation_id, coordinator, text):
            return Outcome(404, {"error": "not_found"})
        await self._changed(conversation_id)
        return Outcome(200, {})

    async def hand_back(self, conversation_id: str, coordinator: str) -> Outcome:
        entry = await self.store.get(conversation_id)
        if entry is None:
            return Outcome(404, {"error": "not_found"})
        if not await self.store.remove(conversation_id, holder=coordinator):
            return Outcome(409, {"error": "not_holder", "holder": entry.holder})
        logger.info("conversation %s handed back by coordinator %s", conversation_id, coordinator)
        await self.conversations.append(conversation_id, *RESUMED)
        await self._send(entry, texts.get("handoff_returned", entry.language))
        await patients.channel(entry.channel).send_state(conversation_id, patients.ASSISTANT)
        await self.audit.record(HANDED_BACK, coordinator, conversation_id)
        await self._changed(conversation_id)
        return Outcome(200, {})

    async def check_waiting(self) -> int:
        """Tells patients who waited longer than the limit, once each; returns how many were told."""
        told = 0
        now = time.time()
        for entry in await self.store.all():
            if entry.state != WAITING or now - entry.since < self.wait_limit_seconds:
                continue
            if not await self.store.flag(entry.conversation_id, "wait_notified"):
                continue  # told already (perhaps by another server instance)
            buttons = [{"title": texts.get("handoff_button_callback", entry.language), "payload": CALLBACK_PAYLOAD},
                       {"title": texts.get("handoff_button_continue", entry.language), "payload": CONTINUE_PAYLOAD}]
            await self._send(entry, texts.get("handoff_wait_long", entry.language), buttons=buttons)
            told += 1
        if told:
            await self.bus.publish("queue")
        return told

    async def erase(self, conversation_id: str) -> None:
        """The patient asked to be forgotten: the transcript (tracker) and any queue entry and notes go."""
        await self.store.remove(conversation_id)
        await self.conversations.erase(conversation_id)
        logger.info("conversation %s erased on the patient's request", conversation_id)
        await self.audit.forget(conversation_id)  # by the patient: no coordinator, and no id left
        await self.bus.publish("queue")

    async def _send(self, entry: QueueEntry, text: str, coordinator: Optional[str] = None,
                    buttons: Optional[List[Dict]] = None) -> bool:
        """Outside the patient's turn: through their channel, and into the transcript."""
        metadata = {"coordinator": coordinator} if coordinator else {"handoff": True}
        await self.conversations.append(entry.conversation_id, BotUttered(text, metadata=metadata))
        try:
            return await patients.channel(entry.channel).send(entry.conversation_id, text, buttons=buttons,
                                                              from_coordinator=coordinator is not None)
        except Exception as error:  # noqa: BLE001 - the channel's API is down: the transcript keeps it
            logger.error("conversation %s: message to the patient not delivered (%s)", entry.conversation_id,
                         type(error).__name__)
            return False

    async def _changed(self, conversation_id: str) -> None:
        await self.bus.publish("conversation", {"id": conversation_id})
        await self.bus.publish("queue")

    @staticmethod
    def _summary(entry: QueueEntry) -> Dict[str, Any]:
        data = entry_dict(entry)
        data.pop("notes")
        data["id"] = data.pop("conversation_id")
        return data
