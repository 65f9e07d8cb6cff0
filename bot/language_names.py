"""How patients name our languages, in any of them: "영어", "英文", "по-английски", "بالعربي".

The model's `target_language` entity misses names glued to a particle or a suffix
("영어로", "英語で"), so "영어로 부탁드려요" got "I can't answer in that language yet".
The names come from the training data's annotations (bot/entity_names.py) plus the
registry's native and English names.
"""
from __future__ import annotations

from typing import Optional

from bot import entity_names, languages


def named_language(text: str, current: Optional[str] = None) -> Optional[str]:
    """The supported language the text asks for, or None.

    A message may name two: "please reply in English, my husband can't read Chinese",
    "¿seguimos en inglés? mi marido no habla español". The one that is not the
    conversation's `current` language is the one asked for.
    """
    named = [tag for tag in entity_names.named("target_language", text) if languages.is_supported(tag)]
    folded = (text or "").casefold()
    named += [lang.tag for lang in languages.LANGUAGES
              if lang.native_name.casefold() in folded and lang.tag not in named]
    return next((tag for tag in named if tag != current), named[0] if named else None)
