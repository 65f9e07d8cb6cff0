"""The token Rasa's HTTP API asks for: RASA_AUTH_TOKEN, or one made once and kept in build/.

Why: with `--enable-api` and no `--auth-token`, whoever reaches the port can read
any conversation (`GET /conversations/<id>/tracker`: names, contacts, birth
dates), append events to it or replace the model. Rasa's own `--auth-token`
closes that: every API route then answers 401 unless the request carries
`?token=<token>`. The channels' webhooks (REST, socket.io, Telegram, WeChat)
and the console keep their own checks and need no token; `GET /` (Rasa's
hello) and `GET /webhooks/rest/ready` stay open for health probes.

bot/rasa_command.py adds the token to every `run --enable-api` that does not
pass one, so `make run`, the tests, the bench and the container all start
with it, and it never appears on a command line (`ps`) or in a log.
"""
from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Mapping, Tuple

from rasa.shared.exceptions import RasaException

ENV_NAME = "RASA_AUTH_TOKEN"
TOKEN_FILE = Path(__file__).resolve().parents[1] / "build" / "rasa-auth-token"
# 16 characters of a random token are ~96 bits; shorter ones are guessable over a network
MIN_LENGTH = 16


class WeakApiToken(RasaException):
    """RASA_AUTH_TOKEN is set but too short to keep the API closed: the server must not start."""


def api_token(env: Mapping[str, str] = os.environ, token_file: Path = TOKEN_FILE) -> Tuple[str, bool]:
    """(the token, whether it was made just now). RASA_AUTH_TOKEN wins; else the kept one; else a new one."""
    given = env.get(ENV_NAME, "").strip()
    if given:
        if len(given) < MIN_LENGTH:
            raise WeakApiToken(f"{ENV_NAME} must be at least {MIN_LENGTH} characters "
                               f"(make one with: python -c 'import secrets; print(secrets.token_hex(24))')")
        return given, False
    if token_file.exists():
        kept = token_file.read_text().strip()
        if len(kept) >= MIN_LENGTH:
            return kept, False
    token = secrets.token_hex(24)  # hex: a token_urlsafe may begin with "-", which argparse takes for an option
    token_file.parent.mkdir(parents=True, exist_ok=True)
    # owner-only from the first byte: the token opens every conversation
    descriptor = os.open(token_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as kept_file:
        kept_file.write(token + "\n")
    return token, True


def how_to_use(token_file: Path = TOKEN_FILE) -> str:
    """What `make run` prints once, when it made the token (the path, not the token: terminals are logged)."""
    return (f"The HTTP API needs a token; one was made and kept in {token_file} (set {ENV_NAME} to choose your own).\n"
            f"  curl -s \"localhost:5005/status?token=$(cat {token_file})\"")


def with_token(argv: list, env: Mapping[str, str] = os.environ, token_file: Path = TOKEN_FILE) -> list:
    """`rasa run` arguments with `--auth-token` added when the API is enabled without one."""
    given = any(arg in ("--auth-token", "-t") or arg.startswith("--auth-token=") for arg in argv)
    if not argv or argv[0] != "run" or "--enable-api" not in argv or given:
        return argv
    token, made = api_token(env, token_file)
    if made:
        print(how_to_use(token_file), flush=True)
    # one argument with "=": a token beginning with "-" (RASA_AUTH_TOKEN may) is not taken for an option
    return [*argv, f"--auth-token={token}"]
