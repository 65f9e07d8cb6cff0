"""Coordinator accounts (from configuration) and their passwords.

Accounts: COORDINATOR_ACCOUNTS, "name:bcrypt-hash" pairs separated by
commas, or COORDINATOR_ACCOUNTS_FILE, a YAML file `{name: bcrypt-hash}`.
Make a hash with `python -m bot.handoff.accounts hash` (it asks for the password).

Sessions are in sessions.py, the login limits in login_throttle.py.
"""
from __future__ import annotations

import getpass
import hashlib
import hmac
import logging
import os
import sys
from pathlib import Path
from typing import Dict, Optional

import bcrypt
import yaml

logger = logging.getLogger(__name__)

DEFAULT_COST = 12  # bcrypt.gensalt()'s, used when no account is configured


def load_accounts() -> Dict[str, bytes]:
    accounts: Dict[str, str] = {}
    path = os.environ.get("COORDINATOR_ACCOUNTS_FILE")
    if path:
        accounts.update(yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {})
    for pair in filter(None, (os.environ.get("COORDINATOR_ACCOUNTS") or "").split(",")):
        name, _, hashed = pair.strip().partition(":")
        accounts[name] = hashed
    return {name: hashed.encode() for name, hashed in accounts.items() if name and hashed.startswith("$2")}


def bcrypt_cost(hashed: bytes) -> int:
    """The cost factor written in a bcrypt hash: b"$2b$12$..." → 12."""
    try:
        return int(hashed.split(b"$")[2])
    except (IndexError, ValueError):
        return DEFAULT_COST


class Accounts:
    def __init__(self, accounts: Optional[Dict[str, bytes]] = None) -> None:
        self._accounts = load_accounts() if accounts is None else accounts
        if not self._accounts:
            logger.warning("no coordinator accounts configured (COORDINATOR_ACCOUNTS): nobody can log in")
        # An unknown name is checked against this hash, made once with the accounts' own cost (the
        # highest, if they differ), so it takes as long as a known name: the time tells no names.
        cost = max((bcrypt_cost(hashed) for hashed in self._accounts.values()), default=DEFAULT_COST)
        self._unknown_name_hash = bcrypt.hashpw(b"no such coordinator", bcrypt.gensalt(rounds=cost))

    def known(self, username: str) -> bool:
        return username in self._accounts

    def check_password(self, username: str, password: str) -> bool:
        """One bcrypt check whether or not the account exists (blocking: run it off the event loop)."""
        hashed = self._accounts.get(username, self._unknown_name_hash)
        return bcrypt.checkpw(password.encode()[:72], hashed) and username in self._accounts


def name_tag(username: str, key: bytes) -> str:
    """A short keyed hash of a typed name, for the logs: repeated tries show, the text (perhaps a
    password typed in the wrong field, perhaps forged log lines) does not."""
    return hmac.new(key, username.encode("utf-8", "replace"), hashlib.sha256).hexdigest()[:12]


def main() -> None:
    if sys.argv[1:] != ["hash"]:
        sys.exit("usage: python -m bot.handoff.accounts hash")
    password = getpass.getpass("password: ") if sys.stdin.isatty() else sys.stdin.readline().rstrip("\n")
    print(bcrypt.hashpw(password.encode(), bcrypt.gensalt()).decode())


if __name__ == "__main__":
    main()
