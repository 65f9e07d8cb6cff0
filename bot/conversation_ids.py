"""Conversation ids: what one from outside may be, checked before any store or log sees it, and
the namespace of each channel that has its own platform ids.

Telegram files a conversation under "telegram:<chat id>", WeChat under "wechat:<OpenID>", the web
widget under "widget:<id the server issued>" (bot/channels/widget_sessions.py), so a client of one
channel cannot name a conversation of another: a REST caller that sent a Telegram chat id as its
`sender` used to write into that patient's conversation and read the replies. REST senders stay
as the integrator chose them, but one that starts with a reserved prefix is refused
(`is_reserved`, bot/channels/rest.py). Whatever goes back to a platform (Telegram's `chat_id`,
WeChat's `touser`) is `platform_id(conversation_id, channel)`, which refuses any id that is not
that channel's; the widget's "platform" is our own socket.io room, named by the whole id.

Changed in this version (issue 23): Telegram and WeChat conversations were filed under the bare
chat id / OpenID, widget ones under "web-<hex>". Nothing is migrated: a hospital upgrading in the
middle of conversations sees them start afresh (a widget's old token starts a new conversation, a
handoff queued under an old id no longer reaches the patient, and bookings made in an old
conversation are no longer that chat's to cancel or move). The old trackers stay in the store until
its retention ends (Redis: CONVERSATION_RETENTION_SECONDS).
"""
from __future__ import annotations

import re
import unicodedata
from typing import Any, Union

MAX_ID_CHARS = 128
SEPARATOR = ":"

# What a platform id of each namespace looks like; anything else is refused both ways.
_PLATFORM_IDS = {
    "telegram": re.compile(r"-?[1-9][0-9]{0,19}"),  # Bot API chat ids are integers (negative for groups)
    "wechat": re.compile(r"[A-Za-z0-9_-]{1,64}"),  # OpenIDs: 28 characters of URL-safe base64
    "widget": re.compile(r"[0-9a-f]{32}"),  # uuid4().hex, issued by bot/channels/widget_sessions.py
}
CHANNELS = tuple(_PLATFORM_IDS)
RESERVED_PREFIXES = tuple(channel + SEPARATOR for channel in CHANNELS)


def is_valid(conversation_id: Any) -> bool:
    """A non-empty string of at most MAX_ID_CHARS printable characters, not padded with spaces."""
    return (isinstance(conversation_id, str) and 0 < len(conversation_id) <= MAX_ID_CHARS
            and conversation_id == conversation_id.strip()
            and not any(unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") for ch in conversation_id))


def is_reserved(conversation_id: Any) -> bool:
    """Whether an id is in a channel's namespace, in any letter case (a SQL tracker store may
    compare ids without case): no REST sender may be."""
    return isinstance(conversation_id, str) and conversation_id.lower().startswith(RESERVED_PREFIXES)


def for_channel(channel: str, platform_id: Union[str, int]) -> str:
    """The conversation id of a platform's user or chat: "<channel>:<platform id>".

    ValueError for a channel without a namespace or a platform id that is not one of its ids.
    """
    pattern = _PLATFORM_IDS.get(channel)
    if pattern is None:
        raise ValueError(f"no conversation-id namespace for channel {channel!r}")
    if isinstance(platform_id, bool) or not isinstance(platform_id, (str, int)):
        raise ValueError(f"a {channel} id must be a string or an integer")
    text = str(platform_id)
    if not pattern.fullmatch(text):
        raise ValueError(f"malformed {channel} id")  # the value stays out of the message (and the logs)
    return f"{channel}{SEPARATOR}{text}"


def platform_id(conversation_id: Any, channel: str) -> str:
    """The platform's own id in one of `channel`'s conversation ids.

    ValueError for any other id (a REST sender, another channel's, an id from before this
    version): it must never be sent to this platform.
    """
    pattern = _PLATFORM_IDS.get(channel)
    if pattern is None:
        raise ValueError(f"no conversation-id namespace for channel {channel!r}")
    prefix = channel + SEPARATOR
    if not isinstance(conversation_id, str) or not conversation_id.startswith(prefix) \
            or not pattern.fullmatch(conversation_id[len(prefix):]):
        raise ValueError(f"not a {channel} conversation id")
    return conversation_id[len(prefix):]

