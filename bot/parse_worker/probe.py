"""Waiting, from outside, until a server's parse workers serve (for the bench and the tests)."""
from __future__ import annotations

import json
import time
import urllib.request


def wait_for_parse_workers(server_url: str, timeout: float = 300) -> dict:
    """Poll GET /webhooks/rest/ready until every parse worker started is ready; its last answer."""
    deadline = time.time() + timeout
    while True:
        try:
            with urllib.request.urlopen(f"{server_url}/webhooks/rest/ready", timeout=2) as reply:
                state = json.load(reply)
            workers = state["parse_workers"]
            if workers["ready"] == workers["started"]:
                return state
        except OSError:
            pass
        if time.time() > deadline:
            raise TimeoutError(f"{server_url}: parse workers not ready after {timeout:g} s")
        time.sleep(1)
