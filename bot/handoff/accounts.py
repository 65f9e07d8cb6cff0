"""Coordinator accounts (from configuration) and their login sessions.

Accounts: COORDINATOR_ACCOUNTS, "name:bcrypt-hash" pairs separated by
commas, or COORDINATOR_ACCOUNTS_FILE, a YAML file `{name: bcrypt-hash}`.
Make a hash with `python -m bot.handoff.accounts hash` (it asks for the password).

Sessions are signed, expiring tokens (PyJWT, HS256) in an HttpOnly cookie.
COORDINATOR_SESSION_SECRET must be set when several server instances serve
the console (or sessions should survive a restart); otherwise each process
makes its own secret.
"""
from __future__ import annotations

import getpass
import logging
import os
import secrets
import sys
import time
from collections import defaultdict, deque
from pathlib import Path
from typing import Deque, Dict, Optional

import bcrypt
import jwt
import yaml

logger = logging.getLogger(__name__)

SESSION_HOURS = float(os.environ.get("COORDINATOR_SESSION_HOURS", "8"))
MAX_FAILURES, FAILURE_WINDOW_SECONDS = 5, 300
_DUMMY_HASH = bcrypt.hashpw(b"no such coordinator", bcrypt.gensalt(rounds=4))


def load_accounts() -> Dict[str, bytes]:
    accounts: Dict[str, str] = {}
    path = os.environ.get("COORDINATOR_ACCOUNTS_FILE")
    if path:
        accounts.update(yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {})
    for pair in filter(None, (os.environ.get("COORDINATOR_ACCOUNTS") or "").split(",")):
        name, _, hashed = pair.strip().partition(":")
        accounts[name] = hashed
    return {name: hashed.encode() for name, hashed in accounts.items() if name and hashed.startswith("$2")}


class Accounts:
    def __init__(self, accounts: Optional[Dict[str, bytes]] = None, secret: Optional[str] = None) -> None:
        self._accounts = load_accounts() if accounts is None else accounts
        configured_secret = secret or os.environ.get("COORDINATOR_SESSION_SECRET")
        if not configured_secret:
            logger.warning("COORDINATOR_SESSION_SECRET is not set: console sessions end when this process does")
        self._secret = configured_secret or secrets.token_urlsafe(32)
        self._failures: Dict[str, Deque[float]] = defaultdict(deque)
        if not self._accounts:
            logger.warning("no coordinator accounts configured (COORDINATOR_ACCOUNTS): nobody can log in")

    def throttled(self, username: str) -> bool:
        recent = self._failures[username]
        while recent and time.time() - recent[0] > FAILURE_WINDOW_SECONDS:
            recent.popleft()
        return len(recent) >= MAX_FAILURES

    def check_password(self, username: str, password: str) -> bool:
        # an unknown name costs the same bcrypt check as a known one (no user enumeration by timing)
        hashed = self._accounts.get(username, _DUMMY_HASH)
        ok = bcrypt.checkpw(password.encode()[:72], hashed) and username in self._accounts
        if not ok:
            self._failures[username].append(time.time())
        return ok

    def issue_session(self, username: str) -> str:
        now = int(time.time())
        return jwt.encode({"sub": username, "iat": now, "exp": now + int(SESSION_HOURS * 3600), "typ": "coordinator"},
                          self._secret, algorithm="HS256")

    def session_user(self, token: Optional[str]) -> Optional[str]:
        """The coordinator a session token belongs to; None if missing, forged, expired or the account is gone."""
        if not token:
            return None
        try:
            claims = jwt.decode(token, self._secret, algorithms=["HS256"], options={"require": ["exp", "sub"]})
        except jwt.PyJWTError:
            return None
        username = claims.get("sub")
        return username if claims.get("typ") == "coordinator" and username in self._accounts else None


def main() -> None:
    if sys.argv[1:] != ["hash"]:
        sys.exit("usage: python -m bot.handoff.accounts hash")
    password = getpass.getpass("password: ") if sys.stdin.isatty() else sys.stdin.readline().rstrip("\n")
    print(bcrypt.hashpw(password.encode(), bcrypt.gensalt()).decode())


if __name__ == "__main__":
    main()
