"""What the case summary looks up besides the tracker: the forms' questions and the directory's names.

Both are read once from the files the bot itself is built from (domain.yml,
actions/data/directory.yml), so the console names a hospital exactly as the
bot did. A missing or unreadable directory only loses the names: ids are
shown instead.
"""
from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path
from typing import Dict, Optional, Tuple

import yaml

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[2]
DOMAIN_FILE = ROOT / "domain.yml"
DIRECTORY_FILE = ROOT / "actions" / "data" / "directory.yml"
NAMED_KINDS = ("hospital", "department", "place", "insurer")  # slots holding a directory id


@lru_cache(maxsize=1)
def form_slots() -> Dict[str, Tuple[str, ...]]:
    """Each form's required slots, in the order it asks them."""
    domain = yaml.safe_load(DOMAIN_FILE.read_text(encoding="utf-8")) or {}
    return {name: tuple((form or {}).get("required_slots") or ())
            for name, form in (domain.get("forms") or {}).items()}


@lru_cache(maxsize=1)
def _directory_names() -> Dict[Tuple[str, str], Dict[str, str]]:
    """(kind, id) -> {language: name}."""
    try:
        data = yaml.safe_load(DIRECTORY_FILE.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as error:
        logger.warning("directory names unavailable to the console (%s): ids are shown", type(error).__name__)
        return {}
    names: Dict[Tuple[str, str], Dict[str, str]] = {}
    for hospital in data.get("hospitals") or []:
        names[("hospital", hospital["id"])] = hospital.get("names") or {}
    for place_id, place in (data.get("places") or {}).items():
        names[("place", place_id)] = place.get("names") or {}
    for kind, section in (("department", "departments"), ("insurer", "insurers")):
        for item_id, by_language in (data.get(section) or {}).items():
            names[(kind, item_id)] = by_language or {}
    return names


def directory_name(kind: str, item_id: object, language: str) -> Optional[str]:
    """The directory's name for an id in a language (else English), or None when it is no known id."""
    if kind not in NAMED_KINDS or not isinstance(item_id, str):
        return None
    by_language = _directory_names().get((kind, item_id))
    if not by_language:
        return None
    return by_language.get(language) or by_language.get("en")
