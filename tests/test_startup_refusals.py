"""The server refuses to start, saying why, rather than run without what patients rely on:
the coordinator console (the handoff service the guard needs), the Redis that REDIS_URL names,
or the Rasa version our replacements of its code were written for (bot/server/)."""
import os
import subprocess
import sys

import pytest
import yaml

from bot.handoff.console import CoordinatorConsole
from bot.server import patches, wiring
from bot.server.settings import ServerSettings
from conftest import ROOT, free_port

CONSOLE_KEY = "bot.handoff.console.CoordinatorConsole"


def test_patient_channels_without_the_console_are_refused_before_they_are_mounted():
    """The wiring's check itself: Rasa mounts the channels after it (and loads the model later still)."""
    from bot.channels.rest import GuardedRestInput
    from bot.channels.wechat import WeChatInput

    channels = [GuardedRestInput(), WeChatInput(None, None, None)]
    with pytest.raises(wiring.HandoffServiceMissing, match=f"rest, wechat channel.*`{CONSOLE_KEY}:`"):
        wiring.wire(app=None, input_channels=channels, settings=ServerSettings())
    assert all(channel._wiring is None for channel in channels)
    built = wiring.wire(app=None, input_channels=[*channels, CoordinatorConsole()], settings=ServerSettings())
    assert all(channel.wiring is built for channel in channels)  # with the console, each gets the same wiring


def test_a_channel_mounted_without_the_wiring_says_so():
    from bot.channels.rest import GuardedRestInput

    async def handler(_message):
        return None

    with pytest.raises(wiring.NotWired, match="rest channel"):
        GuardedRestInput().blueprint(handler)


def test_another_rasa_version_is_refused_naming_the_replacements():
    with pytest.raises(patches.UnsupportedRasaVersion) as refused:
        patches.check_rasa_version(patches.SERVER, installed="3.7.0")
    for patch in patches.SERVER:
        assert f"{patch.module}.{patch.function}" in str(refused.value)
    patches.check_rasa_version(patches.SERVER)  # the installed one is the patched one


def test_the_server_does_not_start_on_another_rasa_version(tmp_path):
    """The real start: Rasa's version as the package metadata tells it, before Rasa is imported."""
    fake_version = ("import importlib.metadata as m, runpy, sys; m.version = lambda name: '3.7.0'; "
                    "sys.argv = ['bot.rasa_command', 'run', '--enable-api']; "
                    "runpy.run_module('bot.rasa_command', run_name='__main__')")
    finished = subprocess.run([sys.executable, "-c", fake_version], cwd=ROOT, capture_output=True, text=True,
                              timeout=120, env={**os.environ, "RASA_AUTH_TOKEN": "x" * 32})
    assert finished.returncode == 1
    assert "Rasa 3.7.0 is installed" in finished.stderr and "bot.rasa_speedups.schema_checks" in finished.stderr


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
