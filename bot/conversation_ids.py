"""What a conversation id from outside may be, checked before any store or log sees it."""
from __future__ import annotations

import unicodedata
from typing import Any

MAX_ID_CHARS = 128


def is_valid(conversation_id: Any) -> bool:
    """A non-empty string of at most MAX_ID_CHARS printable characters, not padded with spaces."""
    return (isinstance(conversation_id, str) and 0 < len(conversation_id) <= MAX_ID_CHARS
            and conversation_id == conversation_id.strip()
            and not any(unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") for ch in conversation_id))
