"""Messages parsed in a worker process (bot/parse_worker/): the same parses, and nothing lost when it fails."""
from __future__ import annotations

import asyncio
import os
import signal
import time

import pytest
import requests
from rasa.core.channels import UserMessage

from bot import parse_worker
from bot.parse_worker import pool

TEXTS = [
    "Is there a hospital in Pudong with English-speaking doctors?",
    "我想预约下周二的牙科",
    "羅湖口岸附近有冇眼科",
    "保険の直接請求はできますか",
    "영어 가능한 병원이 있나요",
    "Как добраться до больницы Жэньцзи?",
    "هل يمكنني حجز موعد مع طبيب أسنان؟",
    "Je voudrais prendre rendez-vous en dermatologie",
    "Wie komme ich zum Renji?",
    "¿Aceptan mi seguro internacional?",
    "Tôi muốn đặt lịch khám mắt",
    "มีโรงพยาบาลในผู่ตงที่หมอพูดภาษาอังกฤษได้ไหม",
    "my father collapsed and is not breathing",  # an emergency
    "Lorem ipsum dolor sit amet",  # no supported language
    "/greet",  # a button payload
]


def rounded(value):
    """Parses compared to 6 decimals: the same model in two processes may differ in the last float bits."""
    if isinstance(value, float):
        return round(value, 6)
    if isinstance(value, dict):
        return {key: rounded(item) for key, item in value.items()}
    if isinstance(value, list):
        return [rounded(item) for item in value]
    return value


@pytest.fixture(scope="module")
def loop():
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


@pytest.fixture(scope="module")
def processor_with_worker(agent, trained_model, loop):
    """The test's own processor (the real model), with one parse worker started as the server starts it."""
    parse_worker.apply()
    processor = agent.processor

    async def started():
        workers = parse_worker.start_workers(processor, 1)
        deadline = time.monotonic() + 300
        while not any(worker.ready for worker in workers.workers):
            assert time.monotonic() < deadline, "the parse worker did not load the model"
            await asyncio.sleep(0.5)
        return workers

    workers = loop.run_until_complete(started())
    yield processor
    loop.run_until_complete(workers.close())
    processor.__dict__.pop("_patient_guide_parse_workers")


def parse_in_server(processor, text):
    """Rasa's own parse_message, in this process."""
    return type(processor).parse_message.original(processor, UserMessage(text))


def test_worker_parses_as_the_server_does(processor_with_worker, loop):
    processor = processor_with_worker
    workers = parse_worker.workers_of(processor)
    before = workers.parsed_by_workers
    for text in TEXTS:
        by_worker = loop.run_until_complete(processor.parse_message(UserMessage(text)))
        in_server = loop.run_until_complete(parse_in_server(processor, text))
        assert rounded(by_worker) == rounded(in_server), text
    assert workers.parsed_by_workers - before == len(TEXTS)
    assert workers.parsed_in_server == 0


def test_a_message_the_worker_cannot_be_sent_is_parsed_in_the_server(processor_with_worker, loop):
    processor = processor_with_worker
    workers = parse_worker.workers_of(processor)
    by_worker, in_server = workers.parsed_by_workers, workers.parsed_in_server
    unpicklable = UserMessage(TEXTS[1], metadata={"callback": lambda: None})
    assert rounded(loop.run_until_complete(processor.parse_message(unpicklable))) == \
        rounded(loop.run_until_complete(parse_in_server(processor, TEXTS[1])))
    assert workers.parsed_in_server == in_server + 1
    for text in TEXTS[2:5]:  # the worker's answers still go to the messages they belong to
        assert rounded(loop.run_until_complete(processor.parse_message(UserMessage(text)))) == \
            rounded(loop.run_until_complete(parse_in_server(processor, text)))
    assert workers.parsed_by_workers == by_worker + 3


def test_a_stuck_worker_is_replaced_and_no_message_is_lost(processor_with_worker, loop, monkeypatch):
    processor = processor_with_worker
    workers = parse_worker.workers_of(processor)
    monkeypatch.setattr(pool, "TIMEOUT_SECONDS", 2)
    stuck, in_server = workers.workers[0], workers.parsed_in_server
    os.kill(stuck.process.pid, signal.SIGSTOP)  # alive but silent: only the timeout can tell

    async def three_at_once():
        return await asyncio.gather(*(processor.parse_message(UserMessage(text)) for text in TEXTS[:3]))

    began = time.monotonic()
    parses = loop.run_until_complete(three_at_once())
    assert time.monotonic() - began < 10
    for text, parsed in zip(TEXTS[:3], parses):  # parsed in the server instead, each one
        assert rounded(parsed) == rounded(loop.run_until_complete(parse_in_server(processor, text)))
    assert workers.parsed_in_server - in_server == 3
    assert loop.run_until_complete(stuck.process.wait()) == -signal.SIGKILL

    async def replaced():
        deadline = time.monotonic() + 300
        while not any(worker.ready and worker is not stuck for worker in workers.workers):
            assert time.monotonic() < deadline, "no new parse worker"
            await asyncio.sleep(0.5)

    loop.run_until_complete(replaced())
    answered = workers.parsed_by_workers
    loop.run_until_complete(processor.parse_message(UserMessage(TEXTS[0])))
    assert workers.parsed_by_workers == answered + 1


def test_the_server_reports_its_parse_workers(rasa_server):
    state = requests.get(f"{rasa_server}/webhooks/rest/ready", timeout=10).json()
    assert state["model_loaded"] and state["parse_workers"]["ready"] == state["parse_workers"]["started"] == 1
    reply = requests.post(f"{rasa_server}/webhooks/rest/webhook", json={"sender": "parse-worker", "message": "Hello"},
                          timeout=30)
    assert reply.status_code == 200 and reply.json()
    after = requests.get(f"{rasa_server}/webhooks/rest/ready", timeout=10).json()["parse_workers"]
    assert after["parsed_by_workers"] > state["parse_workers"]["parsed_by_workers"]


def test_warm_up_parses_a_greeting_in_every_language_once():
    from bot import texts
    from bot.languages import TAGS
    from bot.parse_worker.warm_up import warm_up

    parsed = []
    warm_up(parsed.append)
    assert parsed == [texts.get("utter_greet", tag) for tag in TAGS] and all(parsed)
