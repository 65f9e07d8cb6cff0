"""Checks on the hand-written NLU data: counts, metadata, entity ids, train/eval overlap.

Data writers run it with the project venv to check their files early:
    .venv/bin/python -m bot.nlu.data_lint            # whole repository
    .venv/bin/python -m bot.nlu.data_lint ja ko      # some languages only
The same functions back tests/test_training_data.py.
"""
from __future__ import annotations

import json
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Tuple

import yaml

from bot.languages import TAGS
from bot.nlu.entity_ids import CANONICAL_VALUES

ROOT = Path(__file__).resolve().parents[2]
TRAIN_DIR = ROOT / "nlu_data"
EVAL_DIR = ROOT / "nlu_eval"
DOMAIN_FILE = ROOT / "domain.yml"
MIN_TRAIN_PER_INTENT = 25
MIN_EVAL_PER_INTENT = 8

# [text]{"entity": ..., "value": ...}  or  [text](entity)  or  [text](entity:value)
_ANNOTATION = re.compile(r"\[(?P<text>[^\]]+)\](?:\{(?P<json>[^}]*)\}|\((?P<paren>[^)]*)\))")


@dataclass
class Example:
    language: str
    intent: str
    text: str  # plain text, annotations removed
    entities: List[Tuple[str, Optional[str], str]] = field(default_factory=list)  # (entity, value, surface)
    source: str = ""


def strip_annotations(annotated: str) -> Tuple[str, List[Tuple[str, Optional[str], str]]]:
    """Plain text of an annotated example and its (entity, value, surface text) triples."""
    entities = []

    def replace(match: re.Match) -> str:
        surface = match.group("text")
        if match.group("json") is not None:
            spec = json.loads("{" + match.group("json") + "}")
            entities.append((spec["entity"], spec.get("value"), surface))
        else:
            name, _, value = match.group("paren").partition(":")
            entities.append((name, value or None, surface))
        return surface

    return _ANNOTATION.sub(replace, annotated), entities


def normalise(text: str) -> str:
    """Comparison key for overlap checks: case, width, spacing and punctuation folded."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = "".join(ch for ch in text if not unicodedata.category(ch).startswith("P"))
    return " ".join(text.split())


def load_file(path: Path) -> List[Example]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    examples = []
    for block in data.get("nlu", []):
        if "intent" not in block:
            continue
        language = (block.get("metadata") or {}).get("language", "")
        for line in str(block.get("examples", "")).splitlines():
            line = line.strip()
            if not line.startswith("- "):
                continue
            text, entities = strip_annotations(line[2:].strip())
            examples.append(Example(language, block["intent"], text, entities, str(path)))
    return examples


def load_training(language: str) -> List[Example]:
    return [ex for path in sorted((TRAIN_DIR / language).glob("*.yml")) for ex in load_file(path)]


def load_evaluation(language: str) -> List[Example]:
    path = EVAL_DIR / f"{language}.yml"
    return load_file(path) if path.exists() else []


def required_intents() -> List[str]:
    return list(yaml.safe_load(DOMAIN_FILE.read_text(encoding="utf-8"))["intents"])


def check_language(language: str) -> List[str]:
    """All problems found in one language's training and evaluation data."""
    problems: List[str] = []
    try:
        train, evaluation = load_training(language), load_evaluation(language)
    except (yaml.YAMLError, json.JSONDecodeError, KeyError) as error:
        return [f"{language}: cannot read data: {error}"]
    intents = required_intents()
    for name, examples, minimum in (("train", train, MIN_TRAIN_PER_INTENT), ("eval", evaluation, MIN_EVAL_PER_INTENT)):
        counts: Dict[str, int] = {}
        for ex in examples:
            counts[ex.intent] = counts.get(ex.intent, 0) + 1
            if ex.language != language:
                problems.append(f"{language} {name}: block for '{ex.intent}' has metadata language '{ex.language}'")
            if ex.intent not in intents:
                problems.append(f"{language} {name}: unknown intent '{ex.intent}'")
            problems.extend(_entity_problems(language, name, ex))
        for intent in intents:
            if counts.get(intent, 0) < minimum:
                problems.append(f"{language} {name}: intent '{intent}' has {counts.get(intent, 0)} examples, needs {minimum}")
        problems.extend(_conflicting_labels(language, name, examples))
    problems.extend(_lexicon_false_alarms(language, train))
    train_keys = {normalise(ex.text) for ex in train}
    for ex in evaluation:
        if normalise(ex.text) in train_keys:
            problems.append(f"{language}: evaluation text also in training: {ex.text!r}")
    return sorted(set(problems))


def _lexicon_false_alarms(language: str, examples: List[Example]) -> Iterable[str]:
    """Non-emergency training text that the emergency lexicon would force to `emergency`."""
    from bot.nlu.emergency_lexicon import EmergencyLexicon  # needs the venv (hanziconv)

    lexicon = EmergencyLexicon.load()
    for ex in examples:
        if ex.intent != "emergency" and lexicon.match(ex.text):
            yield f"{language} train: '{ex.intent}' text matches emergency term {lexicon.match(ex.text)!r}: {ex.text!r}"


def _entity_problems(language: str, name: str, ex: Example) -> Iterable[str]:
    for entity, value, surface in ex.entities:
        if entity not in CANONICAL_VALUES:
            yield f"{language} {name}: unknown entity '{entity}' in {ex.text!r}"
            continue
        allowed = CANONICAL_VALUES[entity]
        if allowed is not None and (value or surface) not in allowed:
            yield f"{language} {name}: '{surface}' maps to unknown {entity} id '{value}'"


def _conflicting_labels(language: str, name: str, examples: List[Example]) -> Iterable[str]:
    seen: Dict[str, str] = {}
    for ex in examples:
        key = normalise(ex.text)
        if key in seen and seen[key] != ex.intent:
            yield f"{language} {name}: {ex.text!r} is both '{seen[key]}' and '{ex.intent}'"
        seen.setdefault(key, ex.intent)


def synonym_conflicts(languages: Iterable[str] = TAGS) -> List[str]:
    """Surface texts mapped to two different ids anywhere in training data."""
    mapping: Dict[str, Tuple[str, str]] = {}
    problems = []
    for language in languages:
        for ex in load_training(language):
            for entity, value, surface in ex.entities:
                if value is None:
                    continue
                key = surface.casefold()
                if key in mapping and mapping[key][1] != value:
                    problems.append(f"'{surface}' maps to both {mapping[key]} and ({entity}, {value})")
                mapping.setdefault(key, (entity, value))
    return sorted(set(problems))


def cross_language_overlap() -> List[str]:
    """Evaluation texts of any language that appear in any language's training data."""
    train_keys = {normalise(ex.text) for tag in TAGS for ex in load_training(tag)}
    return [f"{tag}: evaluation text also in some training data: {ex.text!r}"
            for tag in TAGS for ex in load_evaluation(tag) if normalise(ex.text) in train_keys]


def main(argv: List[str]) -> int:
    languages = argv or list(TAGS)
    problems = [p for language in languages for p in check_language(language)]
    problems += synonym_conflicts(languages) + cross_language_overlap()
    for problem in problems:
        print(problem)
    for language in languages:
        print(f"{language}: {len(load_training(language))} training, {len(load_evaluation(language))} evaluation examples")
    print("OK" if not problems else f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
