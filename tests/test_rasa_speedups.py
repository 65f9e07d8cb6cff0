"""Rasa's behaviour is kept by the speed fixes in bot/rasa_speedups/ (the
conversation tests show the actions still work end to end against them)."""
import asyncio

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


def test_action_results_get_the_same_verdict_as_the_whole_schema():
    from jsonschema import validators

    schema = RemoteAction.action_response_format_spec()
    whole = validators.validator_for(schema)(schema)
    ours = remote()._validate_action_result
    events = [{"event": name} for name in ("action", "user_featurization", "bot", "session_started", "restart",
                                            "active_loop", "followup", "pause", "resume", "no_such_event")]
    events += [{"event": "slot", "name": "language", "value": "fr"}, {"event": "slot", "name": "language"},
               {"event": "slot", "name": 3, "value": None}, {"event": "action", "name": 7},
               {"event": "action", "name": "utter_greet", "policy": None, "confidence": 0.9},
               {"event": "user", "text": "hi", "parse_data": {"intent": {"name": "greet", "confidence": 1.0}}},
               {"event": "user", "text": 5}, {"event": "entities", "entities": []}, {"event": "entities"},
               {"event": ["slot"]}, {"event": None}, {}, "slot", 3, {"event": "bot", "timestamp": "noon"}]
    results = [{"events": [event], "responses": []} for event in events]
    results += [{"events": events[:4]}, {"responses": [{"text": "hi"}]}, {"responses": ["hi"]}, {"events": {}},
                {}, [], "events"]
    for result in results:
        expected = whole.is_valid(result)
        try:
            verdict = ours(result)
        except ValidationError:
            verdict = False
        assert verdict == expected, result
    assert sum(whole.is_valid(result) for result in results) > 10


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


def test_slots_are_copied_as_copy_copy_would():
    import copy
    import pickle

    slots = Domain.load("domain.yml").slots  # its own: values are set below
    assert slots
    for slot in slots:
        slot.value = ["a", "list"] if slot.type_name == "list" else slot.value
        copied = copy.copy(slot)
        rebuilt = copy._reconstruct(slot, None, *slot.__reduce_ex__(4))  # what copy.copy did before
        assert type(copied) is type(slot) and copied is not slot
        assert copied.__dict__ == slot.__dict__ == rebuilt.__dict__
        assert copied.__dict__ is not slot.__dict__ and copied.value is slot.value  # shallow, as before
        copied.value = "changed"
        assert slot.value != "changed"
        assert pickle.loads(pickle.dumps(slot)).__dict__ == slot.__dict__


def test_the_loaded_model_is_frozen_out_of_garbage_collection():
    import gc

    from rasa.core import run

    from bot.rasa_speedups import frozen_model

    assert hasattr(run.load_agent_on_start, "original")  # the server's start-up listener is the freezing one
    model = [{"weights": [1.0]} for _ in range(1000)]

    async def load(app, loop):
        return model

    gc.unfreeze()
    try:
        assert asyncio.run(frozen_model._freezing(load)(None, None)) is model
        assert gc.get_freeze_count() >= len(model)
    finally:
        gc.unfreeze()


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


# --- the model's graph and the rules, compared with Rasa's own code on the real model ----------

CONVERSATION = ["Hi there", "我想预约眼科", "Renji", "please answer in English", "next Tuesday", "stop",
                "Какая больница рядом с Лоху?", "как туда добраться?", "merci", "ok", "救命 胸口好痛"]


@pytest.fixture(scope="module")
def grown_trackers(agent):
    """One conversation grown turn by turn with the actions the model predicts (not run), a tracker per step."""
    import numpy as np
    from rasa.core.channels import UserMessage
    from rasa.shared.core.events import SessionStarted

    processor = agent.processor
    domain = processor.domain
    tracker = DialogueStateTracker.from_events(
        "speedups", [ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen")],
        slots=domain.slots)
    trackers = []
    for text in CONVERSATION:
        parsed = asyncio.run(processor.parse_message(UserMessage(text)))
        tracker.update(UserUttered(text, parsed["intent"], parsed["entities"], parsed))
        for _ in range(4):
            trackers.append(tracker.copy())
            prediction = processor._predict_next_with_tracker(tracker)
            action = domain.action_names_or_texts[int(np.argmax(prediction.probabilities))]
            tracker.update(ActionExecuted(action))
            if action == "action_listen":
                break
    return trackers


def test_parses_and_predictions_are_rasas_own(agent, grown_trackers):
    """The graph run in order and past states kept: the same parses and predictions as Rasa's own code."""
    from rasa.core.channels import UserMessage
    from rasa.engine.runner.dask import DaskGraphRunner

    processor = agent.processor

    def results():
        parses = [asyncio.run(processor.parse_message(UserMessage(text))) for text in CONVERSATION]
        predictions = [processor._predict_next_with_tracker(tracker.copy()) for tracker in grown_trackers]
        return parses, [(p.policy_name, p.probabilities, p.events, p.is_end_to_end_prediction) for p in predictions]

    ours = results()
    patched = [(DaskGraphRunner, "run"), (DialogueStateTracker, "past_states")]
    fixes = [getattr(owner, name) for owner, name in patched]
    for (owner, name), fix in zip(patched, fixes):
        setattr(owner, name, fix.original)
    try:
        rasas = results()
    finally:
        for (owner, name), fix in zip(patched, fixes):
            setattr(owner, name, fix)
    assert len(ours[1]) > len(CONVERSATION)
    assert ours == rasas


def test_kept_past_states_are_the_same_and_cannot_be_changed_by_a_caller(agent, grown_trackers):
    domain = agent.processor.domain
    rule_only = {"rule_only_slots": [], "rule_only_loops": []}
    for tracker in grown_trackers[::3]:
        tracker = tracker.copy()
        for variant in ({}, {"ignore_rule_only_turns": True, "rule_only_data": rule_only}):
            expected = DialogueStateTracker.past_states.original(tracker, domain, **variant)
            for _ in range(3):  # computed, then kept
                states = tracker.past_states(domain, **variant)
                assert states == expected
                for state in states:  # what the featurizers do to the states they get
                    state.pop("prev_action", None)
                    state.get("user", {}).pop("intent", None)
        tracker.update(ActionExecuted("action_listen"))
        assert tracker.past_states(domain) == DialogueStateTracker.past_states.original(tracker, domain)


def test_an_input_named_like_a_node_is_refused(agent):
    from rasa.engine.exceptions import GraphRunError

    runner = agent.processor.graph_runner
    target = agent.processor.model_metadata.nlu_target
    with pytest.raises(GraphRunError, match="clashes with a node name"):
        runner.run(inputs={"__message__": target}, targets=[target])




def test_diet_loaded_without_training_has_rasas_weights(trained_model, tmp_path, caplog):
    import numpy as np
    from rasa.engine.graph import ExecutionContext
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.nlu.classifiers.diet_classifier import DIETClassifier
    from rasa.utils.tensorflow.models import RasaModel

    storage, metadata = LocalModelStorage.from_model_archive(tmp_path, trained_model)
    # our config names a DIETClassifier subclass (bot/nlu/serving_diet.py)
    node = next(node for node in metadata.predict_schema.nodes.values() if issubclass(node.uses, DIETClassifier))
    context = ExecutionContext(metadata.predict_schema, metadata.model_id)

    def load():
        config = {**node.uses.get_default_config(), **node.config}
        return node.uses.load(config, storage, node.resource, context).model

    ours = load()
    assert "loading as Rasa does" not in caplog.text  # the fix's own path, not its fallback
    fix = RasaModel.__dict__["load"]
    RasaModel.load = classmethod(fix.__func__.original)
    try:
        rasas = load()
    finally:
        RasaModel.load = fix
    assert len(rasas.weights) > 50
    assert [weight.name for weight in ours.weights] == [weight.name for weight in rasas.weights]
    for own, theirs in zip(ours.weights, rasas.weights):
        np.testing.assert_array_equal(own.numpy(), theirs.numpy(), err_msg=own.name)
    np.testing.assert_array_equal(ours.all_labels_embed.numpy(), rasas.all_labels_embed.numpy())


def test_entity_annotations_get_jsonschemas_own_verdicts():
    """The training-time schema cache (bot/rasa_speedups/schema_checks.py) accepts and refuses
    the same entity annotations as jsonschema.validate, through Rasa's own entity parser."""
    import jsonschema
    from rasa.shared.exceptions import RasaException
    from rasa.shared.nlu.training_data import entities_parser

    from bot.rasa_speedups import schema_checks

    examples = [
        '[Renji](hospital)', '[Renji]{"entity": "hospital"}', '[仁济]{"entity": "hospital", "value": "renji"}',
        '[x]{"entity": "a", "role": "from", "group": "1"}', '[x]{"entity": 3}', '[x]{"value": "y"}',
        '[x]{"entity": "a", "colour": "red"}', '[x]{"entity": "a", "value": ["y"]}',
    ]

    def verdicts():
        outcome = []
        for example in examples:
            try:
                outcome.append(str(entities_parser.find_entities_in_training_example(example)))
            except (RasaException, jsonschema.ValidationError) as error:
                outcome.append(f"{type(error).__name__}: {error}")
        return outcome

    original = getattr(jsonschema.validate, "original", jsonschema.validate)
    jsonschema.validate = original
    try:
        rasas = verdicts()
        schema_checks.apply()
        assert jsonschema.validate is not original
        assert verdicts() == verdicts() == rasas
    finally:
        jsonschema.validate = original
    assert sum("Error" in verdict for verdict in rasas) >= 3
