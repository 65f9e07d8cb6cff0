"""Patient-facing texts: one file per language (`<tag>.yml`), the same keys in each.

These files are the single source of truth; `domain_responses` compiles them
into Rasa responses with one variation per language, chosen by the
`language` slot (Rasa's conditional response variations).
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Dict, Set

import yaml

from bot import languages

TEXTS_DIR = Path(__file__).parent
FALLBACK_LANGUAGE = "en"  # before the conversation's language is known
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


@lru_cache(maxsize=None)
def load(tag: str) -> Dict[str, str]:
    path = TEXTS_DIR / f"{tag}.yml"
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def keys() -> Set[str]:
    """Every key any language defines."""
    return {key for tag in languages.TAGS for key in load(tag)}


def placeholders(text: str) -> Set[str]:
    return set(_PLACEHOLDER.findall(text))


def get(key: str, tag: str, **values: str) -> str:
    """One text in a language (English when the language is unknown)."""
    catalogue = load(tag) if languages.is_supported(tag) else load(FALLBACK_LANGUAGE)
    text = catalogue.get(key) or load(FALLBACK_LANGUAGE)[key]
    return text.format(**values) if values else text
