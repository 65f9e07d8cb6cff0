"""The HTTP API's token (bot/api_token.py): made once, kept private, added to every `run --enable-api`."""
import stat
import subprocess
import sys

from bot import api_token
from conftest import ROOT

RUN = ["run", "--model", "m.tar.gz", "--enable-api", "--port", "5005"]


def test_a_token_is_made_once_kept_owner_only_and_reused(tmp_path, capsys):
    kept = tmp_path / "build" / "rasa-auth-token"
    first = api_token.with_token(RUN, env={}, token_file=kept)
    assert first[-1].startswith("--auth-token=") and len(first[-1]) >= len("--auth-token=") + api_token.MIN_LENGTH
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    told = capsys.readouterr().out
    assert str(kept) in told and first[-1] not in told  # the path is printed, never the token
    again = api_token.with_token(RUN, env={}, token_file=kept)
    assert again[-1] == first[-1] and capsys.readouterr().out == ""  # printed once
    assert kept.read_text().strip() in first[-1]


def test_the_environment_wins_and_nothing_is_written(tmp_path):
    kept = tmp_path / "rasa-auth-token"
    token = "a-token-chosen-by-the-hospital"
    assert api_token.with_token(RUN, env={"RASA_AUTH_TOKEN": token}, token_file=kept)[-1] == f"--auth-token={token}"
    assert not kept.exists()


def test_only_a_server_with_the_api_gets_a_token_and_a_given_one_is_kept(tmp_path):
    kept = tmp_path / "rasa-auth-token"
    without_api = [arg for arg in RUN if arg != "--enable-api"]
    assert api_token.with_token(without_api, env={}, token_file=kept) == without_api
    assert api_token.with_token(["train", "--enable-api"], env={}, token_file=kept) == ["train", "--enable-api"]
    for given in ([*RUN, "--auth-token", "given-on-the-command-line"], [*RUN, "--auth-token=given-so"],
                  [*RUN, "-t", "given-short"]):
        assert api_token.with_token(given, env={}, token_file=kept) == given
    assert not kept.exists()


def test_a_token_beginning_with_a_dash_reaches_rasa_as_the_token():
    """argparse reads "--auth-token -abc…" as a missing value and a new option; CI met it once."""
    import argparse

    from rasa.cli.arguments.run import add_server_arguments

    token = "-Xy" + "z" * 30
    argv = api_token.with_token(["run", "--enable-api"], env={"RASA_AUTH_TOKEN": token})
    parser = argparse.ArgumentParser()
    add_server_arguments(parser)
    assert parser.parse_args(argv[1:]).auth_token == token


def test_a_made_token_never_begins_with_a_dash(tmp_path):
    for attempt in range(50):
        token, _ = api_token.api_token({}, tmp_path / f"token-{attempt}")
        assert not token.startswith("-")


def test_a_short_token_stops_the_start_with_the_reason():
    finished = subprocess.run([sys.executable, "-m", "bot.rasa_command", *RUN], cwd=ROOT, capture_output=True,
                              text=True, timeout=120, env={"PATH": "/usr/bin:/bin", "RASA_AUTH_TOKEN": "1234"})
    assert finished.returncode == 1
    assert "RASA_AUTH_TOKEN must be at least 16 characters" in finished.stderr
    assert "Traceback" not in finished.stderr
