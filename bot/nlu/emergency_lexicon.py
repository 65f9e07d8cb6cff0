"""The curated multilingual emergency lexicon and its matcher.

A classifier can miss a rare phrasing; this lexicon cannot, for the phrases
it lists. Terms live in `emergency_terms/<tag>.txt`, one per line. Every
message is checked against every language's terms, so an emergency is found
even when the language detector guessed wrong.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Dict, List, Optional, Pattern

from bot import languages
from bot.nlu import scripts

TERMS_DIR = Path(__file__).parent / "emergency_terms"
_APOSTROPHES = re.compile(r"['’`´ʼ]")
_LETTER_FOLD = str.maketrans({"đ": "d", "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ؤ": "و", "ئ": "ي", "ـ": None})
_MARKED_SCRIPTS = {scripts.LATIN, scripts.CYRILLIC, scripts.ARABIC}


def normalise(text: str) -> str:
    """Case, width, apostrophes, punctuation and — for Latin, Cyrillic and
    Arabic — diacritics folded away, so 'Can’t  BREATHE!' == 'cant breathe'."""
    text = unicodedata.normalize("NFKC", text).casefold().replace("ё", "е")
    text = _APOSTROPHES.sub("", text)
    kept = []
    base_script = None
    for char in unicodedata.normalize("NFD", text):
        if unicodedata.combining(char):
            if base_script in _MARKED_SCRIPTS:
                continue
        else:
            base_script = scripts.script_of(char)
        kept.append(char)
    text = unicodedata.normalize("NFC", "".join(kept)).translate(_LETTER_FOLD)
    # Punctuation becomes a space; letters, digits and the marks that are part
    # of a word (Thai vowels and tones, which `\w` does not count) stay.
    text = "".join(ch if ch.isalnum() or unicodedata.category(ch).startswith("M") else " " for ch in text)
    return " ".join(text.split())


def read_terms(tag: str) -> List[str]:
    path = TERMS_DIR / f"{tag}.txt"
    if not path.exists():
        return []
    terms = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            term = normalise(line)
            if term:
                terms.append(term)
    return terms


class EmergencyLexicon:
    def __init__(self, terms_by_language: Dict[str, List[str]]) -> None:
        substring, word_prefix, unspaced = set(), set(), set()
        for tag, terms in terms_by_language.items():
            target = substring if languages.get(tag).lexicon_match == "substring" else word_prefix
            target.update(terms)
            if languages.get(tag).lexicon_match == "substring" and not languages.get(tag).right_to_left:
                unspaced.update(terms)
        self._substring = _alternation(substring, r"")
        # for text typed with stray spaces inside a phrase ("หายใจ ไม่ออก"); only scripts written
        # without spaces: Arabic words are spaced, and "ممكن تحركوا" ("can you move") joined
        # would contain "نتحر" ("we kill ourselves")
        self._spaceless = _alternation({t.replace(" ", "") for t in unspaced}, r"")
        # a word_prefix term starts a word and may continue (bleed -> bleeding)
        self._word_prefix = _alternation(word_prefix, r"(?<!\w)")
        self.size = len(substring) + len(word_prefix)

    @classmethod
    @lru_cache(maxsize=1)
    def load(cls) -> "EmergencyLexicon":
        return cls({tag: read_terms(tag) for tag in languages.TAGS})

    def match(self, text: Optional[str]) -> Optional[str]:
        """The first lexicon term found in the text, or None."""
        folded = normalise(text or "")
        if not folded:
            return None
        for pattern, haystack in (
            (self._word_prefix, folded),
            (self._substring, folded),
            (self._spaceless, folded.replace(" ", "")),
        ):
            found = pattern.search(haystack) if pattern else None
            if found:
                return found.group(0)
        return None


def _alternation(terms, prefix: str) -> Optional[Pattern]:
    if not terms:
        return None
    body = "|".join(re.escape(t).replace(r"\ ", r"\s+") for t in sorted(terms, key=len, reverse=True))
    return re.compile(f"{prefix}(?:{body})")
