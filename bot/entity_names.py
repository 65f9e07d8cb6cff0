"""How patients name hospitals, departments and languages, in any of our languages.

The model misses names glued to a particle or inside unspaced text ("래플스요", "看牙",
"영어로", "بالعربي"), and its entity extractor sometimes takes a generic word ("مستشفى")
for a hospital. The names patients use are in the training data's own annotations (each
language's writers annotated every way they name a thing, with its canonical id), so a
form's answer is also looked up here: the longest name found in the text wins, and every
language that adds examples adds names.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Dict, List, Optional, Tuple

from bot import languages


@lru_cache(maxsize=1)
def _annotations() -> Tuple[Tuple[str, str, str], ...]:
    """(entity, canonical id, surface) of every annotation in every language: the files are read once."""
    from bot.nlu import data_lint

    return tuple((kind, value, surface) for tag in languages.TAGS for example in data_lint.load_training(tag)
                 for kind, value, surface in example.entities if value)


@lru_cache(maxsize=None)
def known_names(entity: str) -> List[Tuple[str, str]]:
    """(name, canonical id) pairs for one entity type, casefolded, longest first."""
    pairs = {(surface.casefold(), value) for kind, value, surface in _annotations()
             if kind == entity and len(surface) >= (3 if surface.isascii() else 2)}  # not French "en"
    return sorted(_unambiguous(pairs), key=lambda pair: (-len(pair[0]), pair))


def _unambiguous(pairs: set) -> List[Tuple[str, str]]:
    """A name that stands for two ids (a generic word) tells nothing."""
    ids: Dict[str, set] = {}
    for name, value in pairs:
        ids.setdefault(name, set()).add(value)
    return [(name, value) for name, value in pairs if len(ids[name]) == 1]


def _pattern(name: str) -> re.Pattern:
    # a Latin or Cyrillic name must start a word ("auf Englisch", not "tenglish"); scripts
    # without spaces and particles glued to the front (Arabic "بالعربي") match anywhere
    starts_word = name[0].isascii() or "\u0400" <= name[0] <= "\u04ff"
    return re.compile((r"(?<!\w)" if starts_word else "") + re.escape(name))


@lru_cache(maxsize=None)
def _patterns(entity: str) -> List[Tuple[re.Pattern, str]]:
    return [(_pattern(name), value) for name, value in known_names(entity)]


def named(entity: str, text: str) -> List[str]:
    """The ids the text names, in the order they appear (longer names win where they overlap)."""
    folded = (text or "")[:300].casefold()
    taken: List[Tuple[int, int]] = []
    found: List[Tuple[int, str]] = []
    for pattern, value in _patterns(entity):
        for match in pattern.finditer(folded):
            if any(start < match.end() and match.start() < end for start, end in taken):
                continue
            taken.append(match.span())
            found.append((match.start(), value))
    ordered = [value for _, value in sorted(found)]
    return list(dict.fromkeys(ordered))


def first_named(entity: str, text: str) -> Optional[str]:
    names = named(entity, text)
    return names[0] if names else None
