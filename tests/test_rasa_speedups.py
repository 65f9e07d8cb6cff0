"""Rasa's behaviour is kept by the speed fixes in bot/rasa_speedups.py (the
conversation tests show the actions still work end to end against them)."""
import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, Event, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

import bot.channels  # noqa: F401  (applies the fixes, as the server does)

DOMAIN = Domain.load("domain.yml")


def remote(name="validate_booking_form"):
    return RemoteAction(name, EndpointConfig("http://127.0.0.1:1/webhook"))


def test_action_results_are_still_validated():
    action = remote()
    assert action._validate_action_result({"events": [{"event": "slot", "name": "language", "value": "fr"}],
                                           "responses": [{"response": "utter_greet"}]})
    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        action._validate_action_result({"events": "not a list"})
    with pytest.raises(ValidationError):
        action._validate_action_result({"events": [{"event": "no_such_event"}]})


def test_actions_receive_the_domain_without_its_responses():
    domain = Domain.from_dict({**DOMAIN.as_dict(), "responses": {"utter_greet": [{"text": "hello"}]}})
    tracker = DialogueStateTracker.from_events("patient-1", [ActionExecuted("action_listen"), UserUttered("hi")])
    payload = remote()._action_call_format(tracker, domain)
    sent = payload["domain"]
    assert "responses" not in sent
    assert sent["slots"] == domain.as_dict()["slots"] and sent["forms"] == domain.as_dict()["forms"]
    assert domain.as_dict()["responses"] == {"utter_greet": [{"text": "hello"}]}  # the server's own is untouched
    assert payload["tracker"]["sender_id"] == "patient-1" and payload["next_action"] == "validate_booking_form"


def test_events_are_still_resolved_by_name():
    assert Event.resolve_by_type("slot") is SlotSet
    assert Event.resolve_by_type("slot") is SlotSet  # the remembered answer is the same
    assert Event.resolve_by_type("no_such_event", UserUttered) is UserUttered
    assert Event.resolve_by_type("topic") is None
    with pytest.raises(ValueError):
        Event.resolve_by_type("no_such_event")


def test_requests_to_an_endpoint_reuse_one_connection():
    import asyncio

    from aiohttp import web

    async def scenario():
        peers = []

        async def webhook(request):
            peers.append(request.transport.get_extra_info("peername"))
            return web.json_response({"events": [], "responses": []})

        app = web.Application()
        app.router.add_post("/webhook", webhook)
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]
        endpoint = EndpointConfig(f"http://127.0.0.1:{port}/webhook")
        try:
            results = [await endpoint.request(json={"n": n}) for n in range(3)]
            # a copy (Rasa copies endpoints) still works, with a session of its own
            results.append(await endpoint.copy().request(json={"n": 3}))
        finally:
            async with endpoint.session() as session:
                await session.close()
            await runner.cleanup()
        return results, peers

    results, peers = asyncio.run(scenario())
    assert results == [{"events": [], "responses": []}] * 4
    assert len(set(peers[:3])) == 1 and peers[3] != peers[0]
