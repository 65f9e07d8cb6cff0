"""How patients name our languages, in any of them: "영어", "英文", "по-английски", "بالعربي".

The model's `target_language` entity misses names glued to a particle or a suffix
("영어로", "英語で", "بالإنجليزي"), so "영어로 부탁드려요" got "I can't answer in that
language yet". The names come from the training data's own `target_language`
annotations (every language's writers named every language) plus the registry's
native and English names, so adding a language adds its names.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import List, Optional, Tuple

from bot import languages


@lru_cache(maxsize=1)
def known_names() -> List[Tuple[str, str]]:
    """(name, tag) pairs, casefolded, longest first (so "繁體中文" wins over "中文")."""
    from bot.nlu import data_lint

    pairs = {(lang.native_name.casefold(), lang.tag) for lang in languages.LANGUAGES}
    pairs |= {(lang.english_name.split(" (")[0].casefold(), lang.tag) for lang in languages.LANGUAGES
              if "(" not in lang.english_name}
    for tag in languages.TAGS:
        for example in data_lint.load_training(tag):
            pairs |= {(surface.casefold(), value) for entity, value, surface in example.entities
                      if entity == "target_language" and value and languages.is_supported(value)
                      and len(surface) >= (3 if surface.isascii() else 2)}  # not French "en"
    return sorted(pairs, key=lambda pair: (-len(pair[0]), pair))


def _pattern(name: str) -> re.Pattern:
    # a Latin or Cyrillic name must start a word ("auf Englisch", not "tenglish"); scripts
    # without spaces and particles glued to the front (Arabic "بالعربي") match anywhere
    starts_word = name[0].isascii() or "\u0400" <= name[0] <= "\u04ff"
    return re.compile((r"(?<!\w)" if starts_word else "") + re.escape(name))


@lru_cache(maxsize=1)
def _patterns() -> List[Tuple[re.Pattern, str]]:
    return [(_pattern(name), tag) for name, tag in known_names()]


def named_language(text: str) -> Optional[str]:
    """The supported language the text names, or None (the longest name found wins)."""
    folded = (text or "")[:300].casefold()
    return next((tag for pattern, tag in _patterns() if pattern.search(folded)), None)
