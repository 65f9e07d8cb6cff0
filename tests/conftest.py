"""Shared fixtures: the trained model, a language identifier, a live Rasa server."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[1]
MODEL = ROOT / "models" / "patient-guide.tar.gz"
RASA = Path(sys.executable).parent / "rasa"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def trained_model() -> Path:
    if not MODEL.exists():
        pytest.fail("no trained model: run the tests through `make test`, which trains it")
    return MODEL


@pytest.fixture(scope="session")
def identifier():
    """The language identifier with its n-gram model trained on our data, as Rasa trains it."""
    from bot.languages import TAGS
    from bot.nlu import data_lint
    from bot.nlu.language_identifier import LanguageIdentifier, NgramModel

    examples = [ex for tag in TAGS for ex in data_lint.load_training(tag)]
    return LanguageIdentifier(NgramModel.train([ex.text for ex in examples], [ex.language for ex in examples]))


@pytest.fixture(scope="session")
def agent(trained_model):
    from rasa.core.agent import Agent

    return Agent.load(str(trained_model))


@pytest.fixture(scope="session")
def rasa_server(trained_model, tmp_path_factory):
    """A real `rasa run` with the HTTP API on a free localhost port (no action server needed)."""
    port = free_port()
    log = tmp_path_factory.mktemp("rasa") / "rasa.log"
    env = {**os.environ, "ACTION_SERVER_URL": "http://127.0.0.1:9/webhook", "RASA_TELEMETRY_ENABLED": "false"}
    with open(log, "w") as out:
        process = subprocess.Popen(
            [str(RASA), "run", "--model", str(trained_model), "--enable-api", "--interface", "127.0.0.1",
             "--port", str(port), "--credentials", str(ROOT / "credentials.yml"),
             "--endpoints", str(ROOT / "endpoints.yml")],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 180
    try:
        while time.time() < deadline:
            if process.poll() is not None:
                pytest.fail(f"rasa run exited: {log.read_text()[-3000:]}")
            try:
                if requests.get(f"{url}/status", timeout=2).ok:
                    break
            except requests.ConnectionError:
                pass
            time.sleep(1)
        else:
            pytest.fail(f"rasa run did not start in time: {log.read_text()[-3000:]}")
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
