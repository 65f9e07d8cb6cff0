"""Rasa's own command line, started the way every Rasa process of ours starts.

    .venv/bin/python -m bot.rasa_command run --model ...          (`make run`, the tests' servers)
    .venv/bin/python -m bot.rasa_command train --config ...       (`make train`)
    .venv/bin/python -m bot.rasa_command data validate ...        (tests/test_dialogue_data.py)

Two replacements must be in place before Rasa's CLI imports anything, so they
cannot wait for Rasa to load our channels (bot/server/patches.py BEFORE_RASA,
after its check of Rasa's version): JAX is kept out (bot/lean_imports.py), and
the training data's schema checks are made once per schema
(bot/rasa_speedups/schema_checks.py; Rasa reads and validates the data before
it imports a component). And `run --enable-api` gets the API's token
(bot/api_token.py) unless one is given. What each command does is Rasa's, unchanged.
"""
from __future__ import annotations

import sys


def main() -> None:
    from bot import api_token
    from bot.server import patches

    try:
        patches.apply(patches.BEFORE_RASA)  # after checking Rasa's version (bot/server/patches.py)
        sys.argv = ["rasa", *api_token.with_token(sys.argv[1:])]
    except (patches.UnsupportedRasaVersion, api_token.WeakApiToken) as error:
        sys.exit(f"Not starting: {error}")
    from rasa.__main__ import main as rasa_main

    rasa_main()


if __name__ == "__main__":
    main()
