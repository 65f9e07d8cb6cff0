"""What a text's writing systems already prove about its language.

Scripts settle most languages outright (Hangul is Korean, kana is Japanese,
Thai script is Thai); letters that only one language uses settle more
(Vietnamese tone marks, Simplified versus Traditional Han). Only what is left
— Latin text without such letters, Han text written in neither form only —
needs a statistical model.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Dict, Optional

HAN, KANA, HANGUL, THAI, ARABIC, CYRILLIC, LATIN, OTHER = (
    "han", "kana", "hangul", "thai", "arabic", "cyrillic", "latin", "other",
)

_RANGES = (
    (0x4E00, 0x9FFF, HAN), (0x3400, 0x4DBF, HAN), (0xF900, 0xFAFF, HAN), (0x20000, 0x2FA1F, HAN),
    (0x3040, 0x30FF, KANA), (0x31F0, 0x31FF, KANA), (0xFF66, 0xFF9F, KANA),
    (0xAC00, 0xD7AF, HANGUL), (0x1100, 0x11FF, HANGUL), (0x3130, 0x318F, HANGUL),
    (0x0E00, 0x0E7F, THAI),
    (0x0600, 0x06FF, ARABIC), (0x0750, 0x077F, ARABIC), (0x08A0, 0x08FF, ARABIC),
    (0xFB50, 0xFDFF, ARABIC), (0xFE70, 0xFEFC, ARABIC),
    (0x0400, 0x04FF, CYRILLIC),
)

# Letters a supported language never uses but a neighbour does: their presence
# means "some other language" (Ukrainian, Persian/Urdu, Polish, Turkish ...).
FOREIGN_CYRILLIC = set("іїєґђјљњћџўәғқңөұүһ")
RUSSIAN_ONLY = set("ыэъё")
FOREIGN_ARABIC = set("پچژگکیٹڈڑںےھ")
FOREIGN_LATIN = set("ãõåøæłąęśźżńřůěşğıőűșțħ")
# Vietnamese-only: breve, horn and stroke letters, and the hook-above /
# dot-below tone marks (checked on the decomposed form).
VIETNAMESE_LETTERS = set("ăơưđ")
VIETNAMESE_MARKS = {"\u0309", "\u0323"}

# URLs, e-mail addresses and referral ids say nothing about the language.
# ASCII-only on purpose: in "hanako@gmail.comでお願いします" the Japanese stays.
_URLISH = re.compile(
    r"(https?://[!-~]+|www\.[!-~]+|[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}|(?<![A-Za-z])rf[-\s]?\d+)",
    re.IGNORECASE,
)


def script_of(char: str) -> Optional[str]:
    """The writing system of one character, or None for digits, punctuation, emoji, spaces."""
    if unicodedata.category(char)[0] not in "LM":  # letters and the marks on them only
        return None
    code = ord(char)
    for low, high, script in _RANGES:
        if low <= code <= high:
            return script
    return LATIN if "LATIN" in unicodedata.name(char, "") else OTHER


@dataclass(frozen=True)
class ScriptProfile:
    counts: Dict[str, int]
    letters: str  # the letters only, lower-cased, in order

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def count(self, script: str) -> int:
        return self.counts.get(script, 0)


def profile(text: str) -> ScriptProfile:
    """Letter counts per script; URLs, e-mail addresses and referral ids are ignored."""
    text = _URLISH.sub(" ", text)
    counts: Counter = Counter()
    letters = []
    for char in text:
        script = script_of(char)
        if script is not None:
            counts[script] += 1
            letters.append(char.lower())
    return ScriptProfile(dict(counts), "".join(letters))


def has_vietnamese_letters(letters: str) -> bool:
    if any(ch in VIETNAMESE_LETTERS for ch in letters):
        return True
    decomposed = unicodedata.normalize("NFD", letters)
    return any(mark in decomposed for mark in VIETNAMESE_MARKS)


def has_foreign_latin_letters(letters: str) -> bool:
    return any(ch in FOREIGN_LATIN for ch in letters)


def cyrillic_language(letters: str) -> Optional[str]:
    """'ru', or None when the letters show another Cyrillic language."""
    if any(ch in RUSSIAN_ONLY for ch in letters):
        return "ru"
    return None if any(ch in FOREIGN_CYRILLIC for ch in letters) else "ru"


def arabic_language(letters: str) -> Optional[str]:
    """'ar', or None when the letters show Persian or Urdu."""
    foreign = sum(ch in FOREIGN_ARABIC for ch in letters)
    return None if foreign and foreign * 10 >= len(letters) else "ar"


@lru_cache(maxsize=1)
def _han_tables():
    # hanziconv ships the Simplified <-> Traditional character tables as two
    # aligned strings; a character in only one of them belongs to one form.
    from hanziconv.charmap import simplified_charmap, traditional_charmap

    simplified, traditional = set(simplified_charmap), set(traditional_charmap)
    return simplified - traditional, traditional - simplified


def han_form_votes(letters: str) -> Dict[str, int]:
    """How many characters are Simplified-only and Traditional-only."""
    simplified_only, traditional_only = _han_tables()
    return {
        "zh-Hans": sum(ch in simplified_only for ch in letters),
        "zh-Hant": sum(ch in traditional_only for ch in letters),
    }
