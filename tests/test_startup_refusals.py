"""The server refuses to start, saying why, rather than run without what patients rely on:
the coordinator console (the handoff service the guard needs), or the Redis that REDIS_URL names."""
import asyncio
import os
import subprocess
import sys
import uuid

import pytest
import yaml
from sanic import Blueprint, Sanic, response

from bot.handoff import guard, runtime
from conftest import ROOT, free_port

CONSOLE_KEY = "bot.handoff.console.CoordinatorConsole"


def test_a_patient_channel_without_the_handoff_service_stops_the_start(monkeypatch):
    """The check itself, on a bare Sanic app: it runs before the server starts (before Rasa loads the model)."""
    monkeypatch.setattr(runtime, "_service", None)  # no console mounted
    monkeypatch.setattr(Sanic, "test_mode", True)
    app = Sanic(f"no_console_{uuid.uuid4().hex[:12]}")
    blueprint = Blueprint("patients")

    @blueprint.route("/webhook")
    async def webhook(_):
        return response.text("ok")

    guard.require_handoff_service(blueprint, "wechat")
    app.blueprint(blueprint)

    async def scenario():
        server = await app.create_server(host="127.0.0.1", port=free_port(), return_asyncio_server=True)
        try:
            await server.startup()
            with pytest.raises(guard.HandoffServiceMissing, match=f"wechat channel.*`{CONSOLE_KEY}:`"):
                await server.before_start()
            runtime.install(object())  # with the console's service installed, the same check passes
            await server.before_start()
        finally:
            server.close()
            await server.wait_closed()

    asyncio.run(scenario())


def run_rasa_until_it_exits(model, credentials, log, extra_env=None, timeout=240):
    # endpoints.yml needs an action server URL; nothing is ever sent there: the start stops before the model loads
    env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "ACTION_SERVER_URL": "http://127.0.0.1:9/webhook",
           **(extra_env or {})}
    if not extra_env or "REDIS_URL" not in extra_env:
        env.pop("REDIS_URL", None)
    with open(log, "w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot.rasa_command", "run", "--model", str(model), "--enable-api",
             "--interface", "127.0.0.1", "--port", str(free_port()), "--credentials", str(credentials),
             "--endpoints", str(ROOT / "endpoints.yml")],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        return process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        pytest.fail(f"the server started (or hung) instead of refusing: {log.read_text()[-3000:]}")


def test_credentials_without_the_console_stop_the_server_with_the_reason(trained_model, tmp_path):
    channels = yaml.safe_load((ROOT / "credentials.yml").read_text())
    assert CONSOLE_KEY in channels
    del channels[CONSOLE_KEY]
    credentials = tmp_path / "credentials-without-console.yml"
    credentials.write_text(yaml.safe_dump(channels))
    log = tmp_path / "rasa.log"
    assert run_rasa_until_it_exits(trained_model, credentials, log) != 0
    logged = log.read_text(errors="replace")
    assert "HandoffServiceMissing" in logged and f"`{CONSOLE_KEY}:`" in logged
    assert "Rasa server is up and running" not in logged


def test_an_unreachable_redis_stops_the_server_without_showing_its_password(trained_model, tmp_path):
    log = tmp_path / "rasa.log"
    url = f"redis://:s3cret-redis-pass@127.0.0.1:{free_port()}/0"  # nothing listens there
    assert run_rasa_until_it_exits(trained_model, ROOT / "credentials.yml", log, {"REDIS_URL": url}) != 0
    logged = log.read_text(errors="replace")
    assert "SharedStateUnavailable" in logged and "REDIS_URL is set but Redis at redis://:***@127.0.0.1" in logged
    assert "s3cret-redis-pass" not in logged
