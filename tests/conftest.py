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


def start(command, env, log: Path, ready_url: str, timeout: float = 180) -> subprocess.Popen:
    """Starts a server process and waits until `ready_url` answers."""
    with open(log, "w") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    deadline = time.time() + timeout
    while time.time() < deadline:
        if process.poll() is not None:
            pytest.fail(f"{command[1:3]} exited: {log.read_text()[-3000:]}")
        try:
            if requests.get(ready_url, timeout=2).ok:
                return process
        except requests.ConnectionError:
            pass
        time.sleep(1)
    process.kill()
    pytest.fail(f"{command[1:3]} did not start in time: {log.read_text()[-3000:]}")


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


# The action server's calendar is pinned so relative dates ("next Tuesday") are stable.
TODAY = "2026-11-23"  # a Monday


@pytest.fixture(scope="session")
def action_server(tmp_path_factory):
    """`rasa run actions` with its own SQLite database."""
    port = free_port()
    workdir = tmp_path_factory.mktemp("actions")
    env = {**os.environ, "PATIENT_GUIDE_DB_URL": f"sqlite:///{workdir / 'guide.sqlite'}", "PATIENT_GUIDE_TODAY": TODAY}
    process = start([str(RASA), "run", "actions", "--actions", "actions", "--port", str(port)], env,
                    workdir / "actions.log", f"http://127.0.0.1:{port}/health")
    yield f"http://127.0.0.1:{port}/webhook"
    stop(process)


TELEGRAM_TOKEN = "123456:TEST-token"
TELEGRAM_SECRET = "test-secret-token"


@pytest.fixture(scope="session")
def telegram_api():
    from standins.telegram_api import TelegramApiStandIn

    stand_in = TelegramApiStandIn().start()
    yield stand_in
    stand_in.stop()


WECHAT = {"WECHAT_TOKEN": "wechat-test-token", "WECHAT_APP_ID": "wx0123456789abcdef",
          "WECHAT_APP_SECRET": "test-app-secret",
          "WECHAT_ENCODING_AES_KEY": "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"}


@pytest.fixture(scope="session")
def wechat_api():
    from standins.wechat_api import WeChatApiStandIn

    stand_in = WeChatApiStandIn().start()
    yield stand_in
    stand_in.stop()


@pytest.fixture(scope="session")
def rasa_server(trained_model, action_server, telegram_api, wechat_api, tmp_path_factory):
    """A real `rasa run` as `make run` starts it: HTTP API, REST, socket.io and Telegram channels, the action server."""
    port = free_port()
    env = {**os.environ, "ACTION_SERVER_URL": action_server, "RASA_TELEMETRY_ENABLED": "false",
           "TELEGRAM_TOKEN": TELEGRAM_TOKEN, "TELEGRAM_SECRET_TOKEN": TELEGRAM_SECRET,
           "TELEGRAM_API_BASE_URL": telegram_api.base_url, **WECHAT, "WECHAT_API_BASE_URL": wechat_api.base_url}
    process = start(
        [str(RASA), "run", "--model", str(trained_model), "--enable-api", "--interface", "127.0.0.1",
         "--port", str(port), "--credentials", str(ROOT / "credentials.yml"), "--endpoints", str(ROOT / "endpoints.yml")],
        env, tmp_path_factory.mktemp("rasa") / "rasa.log", f"http://127.0.0.1:{port}/status")
    yield f"http://127.0.0.1:{port}"
    stop(process)
