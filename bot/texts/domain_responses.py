"""Compiles bot/texts/<tag>.yml into the domain Rasa trains on.

    python -m bot.texts.domain_responses --out build/domain

writes build/domain/domain.yml (a copy of the hand-written domain) and
build/domain/responses.yml. Only `utter_*` keys become responses; the other
keys are texts the action server fills in. Each response has two variations
per language: one for a conversation whose patient chose a language
(`preferred_language`), one for a conversation without a choice, which
follows the detected `language`; plus an unconditioned English variation for
the first message before any language is known.
"""
from __future__ import annotations

import argparse
import shutil
from pathlib import Path
from typing import Dict, List

import yaml

from bot import languages, texts

ROOT = Path(__file__).resolve().parents[2]


def responses() -> Dict[str, List[dict]]:
    compiled: Dict[str, List[dict]] = {}
    for key in sorted(k for k in texts.keys() if k.startswith("utter_")):
        variations = []
        for tag in languages.TAGS:
            if key not in texts.load(tag):
                continue
            text = texts.load(tag)[key]
            variations.append({"text": text, "condition": [_slot("preferred_language", tag)]})
            variations.append({"text": text, "condition": [_slot("preferred_language", None), _slot("language", tag)]})
        variations.append({"text": texts.get(key, texts.FALLBACK_LANGUAGE)})
        compiled[key] = variations
    return compiled


def _slot(name: str, value) -> dict:
    return {"type": "slot", "name": name, "value": value}


def write(out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(ROOT / "domain.yml", out_dir / "domain.yml")
    document = {"version": "3.1", "responses": responses()}
    with open(out_dir / "responses.yml", "w", encoding="utf-8") as file:
        file.write("# Generated from bot/texts/*.yml by bot.texts.domain_responses. Do not edit.\n")
        yaml.safe_dump(document, file, allow_unicode=True, sort_keys=False, width=1000)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "domain")
    write(parser.parse_args().out)
