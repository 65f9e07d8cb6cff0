"""Bad input always gets a parse result, never an exception."""
import asyncio

import pytest

from bot.languages import UNDETERMINED

BAD = {
    "empty": "",
    "spaces": "   \n\t ",
    "emoji only": "😀😀🙏",
    "control characters": "\x00\x01\x1b[31mhello\x7f",
    "20,000 characters": "我需要帮助" * 4000,
    "20,000 Japanese characters": "予約をお願いします" * 2223,
    "mixed scripts": "hello 你好 привет مرحبا こんにちは 안녕 สวัสดี",
    "unsupported language": "Dzień dobry, potrzebuję lekarza, który mówi po polsku",
    "lone surrogate-free oddities": "\u200b\u200d\ufeff",
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_parse_never_raises(agent, name):
    result = asyncio.run(agent.parse_message(BAD[name]))
    assert "intent" in result
    assert result["language"] in {UNDETERMINED, "zh-Hans", "zh-Hant", "en", "ja", "ko", "ru", "ar", "fr", "de", "es",
                                  "vi", "th"}


@pytest.mark.parametrize("name", ["empty", "spaces", "emoji only", "unsupported language",
                                  "lone surrogate-free oddities"])
def test_no_supported_language_is_und(agent, name):
    assert asyncio.run(agent.parse_message(BAD[name]))["language"] == UNDETERMINED


def test_long_text_keeps_its_language(agent):
    assert asyncio.run(agent.parse_message(BAD["20,000 characters"]))["language"] == "zh-Hans"
