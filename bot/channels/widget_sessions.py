"""Signed conversation ids for the web widget.

Rasa's socket.io channel takes whatever `session_id` a client names and joins
its socket to that conversation's room: anyone who knows or guesses an id reads
that patient's replies and writes in their name. Here the server hands out the
id as a token "<id>.<signature>" (HMAC-SHA256); a socket is joined only to the
id its token proves, and a forged, foreign or missing token starts a new
conversation. The id is "widget:<uuid4 hex>", the widget's namespace in
bot/conversation_ids.py (until issue 23: "web-<hex>"; such tokens now start a
new conversation).

The key is WIDGET_SESSION_SECRET (set the same value on every instance); without
it a random key is kept in build/widget-session-secret, so a restart of `make run`
does not cut patients off their conversations.
"""
from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import uuid
from pathlib import Path
from typing import Optional, Tuple

from bot import conversation_ids

NAMESPACE = "widget"
SECRET_FILE = Path(__file__).resolve().parents[2] / "build" / "widget-session-secret"


def load_secret() -> bytes:
    configured = os.environ.get("WIDGET_SESSION_SECRET")
    if configured:
        return configured.encode()
    if not SECRET_FILE.exists():
        SECRET_FILE.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(SECRET_FILE, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as out:
            out.write(secrets.token_hex(32))
    return SECRET_FILE.read_text().strip().encode()


class SessionTokens:
    def __init__(self, secret: bytes) -> None:
        self._secret = secret

    def _signature(self, conversation_id: str) -> str:
        return hmac.new(self._secret, conversation_id.encode(), hashlib.sha256).hexdigest()

    def issue(self) -> Tuple[str, str]:
        """A new conversation id and the token that proves it."""
        conversation_id = conversation_ids.for_channel(NAMESPACE, uuid.uuid4().hex)
        return conversation_id, f"{conversation_id}.{self._signature(conversation_id)}"

    def verify(self, token: object) -> Optional[str]:
        """The conversation id a token proves, or None."""
        if not isinstance(token, str) or len(token) > 200 or "." not in token:
            return None
        conversation_id, signature = token.rsplit(".", 1)
        try:
            conversation_ids.platform_id(conversation_id, NAMESPACE)
        except ValueError:
            return None
        # as bytes: compare_digest raises on a str with non-ASCII characters
        expected = self._signature(conversation_id).encode()
        return conversation_id if hmac.compare_digest(signature.encode(), expected) else None
