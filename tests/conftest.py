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

from bot.parse_worker.probe import wait_for_parse_workers

ROOT = Path(__file__).resolve().parents[1]
MODEL = ROOT / "models" / "patient-guide.tar.gz"
RASA = Path(sys.executable).parent / "rasa"
# The HTTP API's token for every server the tests start (bot/api_token.py); fixed, so a server
# started by scripts/journey_server.py in another process takes the same one. Loopback only.
API_TOKEN = "tests-only-api-token-0123456789"


def api_url(server: str, path: str) -> str:
    """`server` + `path` with the API token (Rasa's `--auth-token` reads `?token=`)."""
    return f"{server}{path}{'&' if '?' in path else '?'}token={API_TOKEN}"


def tracker_of(server: str, sender: str) -> dict:
    """A conversation's tracker, read through Rasa's HTTP API."""
    return requests.get(api_url(server, f"/conversations/{sender}/tracker"), timeout=30).json()


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


def start(command, env, log: Path, ready_url: str, timeout: float = 180, **popen) -> subprocess.Popen:
    """Starts a server process and waits until `ready_url` answers."""
    with open(log, "w") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, **popen)
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


@pytest.fixture
def fresh_database(tmp_path, monkeypatch):
    """The action server's database, new for one test, its calendar pinned to TODAY."""
    from actions.db import database

    monkeypatch.setenv("PATIENT_GUIDE_DB_URL", f"sqlite:///{tmp_path / 'guide.sqlite'}")
    monkeypatch.setenv("PATIENT_GUIDE_TODAY", TODAY)
    database.cache_clear()
    yield database()
    database.cache_clear()


# The action server's calendar is pinned so relative dates ("next Tuesday") are stable.
TODAY = "2026-11-23"  # a Monday


def start_action_server(workdir: Path, port: int) -> subprocess.Popen:
    """`rasa run actions` on loopback with its own SQLite database (workdir/guide.sqlite)."""
    env = {**os.environ, "PATIENT_GUIDE_DB_URL": f"sqlite:///{workdir / 'guide.sqlite'}", "PATIENT_GUIDE_TODAY": TODAY,
           "SANIC_HOST": "127.0.0.1"}
    return start([str(RASA), "run", "actions", "--actions", "actions", "--port", str(port)], env,
                 workdir / "actions.log", f"http://127.0.0.1:{port}/health")


@pytest.fixture(scope="session")
def action_server(tmp_path_factory):
    port = free_port()
    process = start_action_server(tmp_path_factory.mktemp("actions"), port)
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


class RedisProcess:
    """A real redis-server (Debian's package, installed by .ci/run) on a free loopback port.

    With `keep_data`, it can be stopped and started again on the same port with its data (AOF).
    """

    def __init__(self, workdir: Path, keep_data: bool = False) -> None:
        self.port, self.workdir, self.keep_data, self.process = free_port(), workdir, keep_data, None
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        import shutil

        import redis

        if shutil.which("redis-server") is None:
            pytest.fail("redis-server is not installed (.ci/run installs Debian's redis-server)")
        persistence = ["--appendonly", "yes", "--appendfsync", "always"] if self.keep_data else ["--appendonly", "no"]
        self.process = subprocess.Popen(["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                                         "--dir", str(self.workdir), *persistence],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        client = redis.Redis(port=self.port)
        for _ in range(100):
            try:
                client.ping()
                return
            except redis.ConnectionError:
                time.sleep(0.1)
        pytest.fail("redis-server did not start")

    def stop(self) -> None:
        stop(self.process)


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory):
    """A redis-server for the session, no persistence; yields its URL."""
    server = RedisProcess(tmp_path_factory.mktemp("redis"))
    server.start()
    yield server.url
    server.stop()


# Two coordinator accounts for the console (cheap bcrypt rounds: tests only).
COORDINATORS = {"alice": "alice-password-1", "bob": "bob-password-2"}


def coordinator_accounts() -> str:
    import bcrypt

    return ",".join(f"{name}:{bcrypt.hashpw(password.encode(), bcrypt.gensalt(rounds=4)).decode()}"
                    for name, password in COORDINATORS.items())


class Server(str):
    """A server's base URL that also knows where its log is."""

    log: Path


HANDOFF_WAIT_LIMIT_SECONDS = 4


def rasa_env(action_server: str, telegram_api, wechat_api) -> dict:
    return {**os.environ, "ACTION_SERVER_URL": action_server, "RASA_TELEMETRY_ENABLED": "false",
            "TELEGRAM_TOKEN": TELEGRAM_TOKEN, "TELEGRAM_SECRET_TOKEN": TELEGRAM_SECRET,
            "TELEGRAM_API_BASE_URL": telegram_api.base_url, **WECHAT, "WECHAT_API_BASE_URL": wechat_api.base_url,
            "COORDINATOR_ACCOUNTS": coordinator_accounts(), "COORDINATOR_SESSION_SECRET": "test-session-secret",
            "HANDOFF_WAIT_LIMIT_SECONDS": str(HANDOFF_WAIT_LIMIT_SECONDS), "HANDOFF_CHECK_SECONDS": "1",
            "RASA_AUTH_TOKEN": API_TOKEN}


def start_rasa(model: Path, env: dict, log: Path, endpoints: str = "endpoints.yml", timeout: float = 180) -> tuple:
    port = free_port()
    process = start(
        [sys.executable, "-m", "bot.rasa_command", "run", "--model", str(model), "--enable-api",
         "--interface", "127.0.0.1", "--port", str(port), "--credentials", str(ROOT / "credentials.yml"),
         "--endpoints", str(ROOT / endpoints)],
        env, log, api_url(f"http://127.0.0.1:{port}", "/status"), timeout)
    # as in production: messages parsed by the parse workers, which load the model after the server
    wait_for_parse_workers(f"http://127.0.0.1:{port}", timeout)
    server = Server(f"http://127.0.0.1:{port}")
    server.log = log
    return server, process


@pytest.fixture(scope="session")
def rasa_server(trained_model, action_server, telegram_api, wechat_api, tmp_path_factory):
    """A real `rasa run` as `make run` starts it: HTTP API, all channels, the console, the action server."""
    server, process = start_rasa(trained_model, rasa_env(action_server, telegram_api, wechat_api),
                                 tmp_path_factory.mktemp("rasa") / "rasa.log")
    yield server
    stop(process)


@pytest.fixture(scope="session")
def journey_server(trained_model, request):
    """The server journeys talk to: `rasa_server`, or one already running at JOURNEY_SERVER_URL
    (`scripts/journey_server.sh` starts one as the tests would), so that writers of journey files
    can play them again and again without a minute of start-up each time."""
    url = os.environ.get("JOURNEY_SERVER_URL")
    return Server(url) if url else request.getfixturevalue("rasa_server")


def pytest_collection_modifyitems(items):
    """Marks `model` every test that needs the trained model (all server fixtures start from
    `trained_model`), so `make check` can run the rest in seconds with `-m "not model"`."""
    for item in items:
        if "trained_model" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.model)
