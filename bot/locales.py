"""Platform locale codes (Telegram's language_code, WeChat's user language) as our language tags.

Kept out of bot/languages.py on purpose: that file is part of the NLU code
hash (bot/nlu/code_version.py), and channel code should not retrain the model.
"""
from __future__ import annotations

from bot.languages import BY_TAG, UNDETERMINED

# Traditional-script Chinese locales; every other zh locale writes Simplified.
_TRADITIONAL_REGIONS = {"tw", "hk", "mo", "hant"}


def from_locale(code: str) -> str:
    """"en-US", "zh_CN", "zh-hant", "zh-HK", "pt-BR" -> "en", "zh-Hans", "zh-Hant", "zh-Hant", "und"."""
    parts = code.replace("_", "-").lower().split("-") if code else []
    if not parts:
        return UNDETERMINED
    if parts[0] == "zh":
        return "zh-Hant" if _TRADITIONAL_REGIONS & set(parts[1:]) else "zh-Hans"
    return parts[0] if parts[0] in BY_TAG else UNDETERMINED
