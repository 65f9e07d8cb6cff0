"""A server for writing journey tests: the action server (calendar pinned as in the tests,
its own fresh database) and Rasa with the trained model, on loopback, until Ctrl-C.

    .venv/bin/python scripts/journey_server.py [ENV_FILE]   # prints (and writes) JOURNEY_SERVER_URL=...
    JOURNEY_SERVER_URL=http://127.0.0.1:PORT .venv/bin/python -m pytest -q tests/test_journeys.py -k ja

Each run starts with an empty database, so referral locks and bookings from a previous run are gone.
"""
from __future__ import annotations

import os
import signal
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from conftest import API_TOKEN, MODEL, free_port, start_action_server, start_rasa, stop  # noqa: E402


def main() -> None:
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # a plain kill stops both servers too
    workdir = Path(tempfile.mkdtemp(prefix="journeys-"))
    actions_port = free_port()
    actions = start_action_server(workdir, actions_port)
    env = {**os.environ, "ACTION_SERVER_URL": f"http://127.0.0.1:{actions_port}/webhook",
           "RASA_TELEMETRY_ENABLED": "false", "COORDINATOR_SESSION_SECRET": "journey-server-session-secret-32b",
           "RASA_AUTH_TOKEN": API_TOKEN}
    server, rasa = start_rasa(MODEL, env, workdir / "rasa.log")
    exports = (f"export JOURNEY_SERVER_URL={server}\n"
               f"export PATIENT_GUIDE_DB_URL=sqlite:///{workdir / 'guide.sqlite'}\n")
    print(exports + f"(logs in {workdir})", flush=True)
    if len(sys.argv) > 1:  # a file to `source` in other shells
        Path(sys.argv[1]).write_text(exports)
    try:
        while rasa.poll() is None:
            time.sleep(1)
    except KeyboardInterrupt:
        pass
    finally:
        stop(rasa)
        stop(actions)


if __name__ == "__main__":
    main()
