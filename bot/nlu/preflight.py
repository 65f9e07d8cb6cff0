"""Checks `make train` runs before Rasa spends any training time.

Rasa reports a broken annotation or an unknown component only after it has
loaded everything, sometimes minutes into a run, and often without the file
and line. These checks read the files as text, so every message names its
file and line:
- YAML that does not parse;
- an entity annotation Rasa would not read (`[text]{bad json}`, `[text](`);
- an intent of the domain with no training example in some language;
- a pipeline or policy name Rasa cannot resolve.
The fuller data lint (counts, entity ids, train/eval overlap) is `make check`.

    .venv/bin/python -m bot.nlu.preflight [--config config.yml]
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Dict, Iterator, List, Set

import yaml

from bot.languages import TAGS

ROOT = Path(__file__).resolve().parents[2]
_EXAMPLE = re.compile(r"^\s*- (?P<text>.*)$")
_INTENT = re.compile(r"^- intent:\s*(?P<intent>\S+)")
_LEFTOVER = re.compile(r"\]\s*[({]|\[[^\]]*$")


def _relative(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def yaml_problems(path: Path) -> List[str]:
    try:
        yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else 0
        return [f"{_relative(path)}:{line}: not valid YAML: {getattr(error, 'problem', error)}"]
    return []


def annotation_problems(path: Path) -> Iterator[str]:
    """Annotations Rasa's entity parser would drop or choke on, with their line."""
    from rasa.shared.nlu.training_data.entities_parser import ENTITY_REGEX

    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        example = _EXAMPLE.match(line)
        if not example:
            continue
        text = example.group("text")
        for match in ENTITY_REGEX.finditer(text):
            spec = match.group("entity_dict")
            if spec is None:
                continue
            try:
                entity = json.loads("{" + spec + "}")
            except json.JSONDecodeError as error:
                yield f"{_relative(path)}:{number}: entity annotation is not JSON ({error.msg}): {match.group(0)}"
                continue
            if not isinstance(entity.get("entity"), str):
                yield f"{_relative(path)}:{number}: entity annotation names no \"entity\": {match.group(0)}"
        if _LEFTOVER.search(ENTITY_REGEX.sub("", text)):
            yield f"{_relative(path)}:{number}: unfinished entity annotation: {text}"


def intents_by_language(files: Dict[str, List[Path]]) -> Dict[str, Set[str]]:
    found: Dict[str, Set[str]] = {}
    for tag, paths in files.items():
        found[tag] = set()
        for path in paths:
            for block in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu") or []:
                if "intent" in block and str(block.get("examples") or "").strip():
                    found[tag].add(block["intent"])
    return found


def missing_intents(domain: Path, data_dir: Path, files: Dict[str, List[Path]]) -> Iterator[str]:
    intents = [i if isinstance(i, str) else next(iter(i)) for i in yaml.safe_load(domain.read_text())["intents"]]
    for tag, found in intents_by_language(files).items():
        for intent in intents:
            if intent not in found:
                yield f"{_relative(data_dir / tag)}/: intent '{intent}' (domain.yml) has no training example in {tag}"


def component_problems(config: Path) -> Iterator[str]:
    from rasa.engine.recipes.default_recipe import DefaultV1Recipe
    from rasa.shared.exceptions import RasaException

    lines = config.read_text(encoding="utf-8").splitlines()
    spec = yaml.safe_load("\n".join(lines)) or {}
    for section in ("pipeline", "policies"):
        for step in spec.get(section) or []:
            name = str(step.get("name"))
            try:
                DefaultV1Recipe._from_registry(name)  # how Rasa itself resolves a component name
            except (RasaException, ImportError, AttributeError, ValueError):
                named = re.compile(rf"name:\s*{re.escape(name)}\s*$")
                number = next((i for i, line in enumerate(lines, 1) if named.search(line)), 0)
                kind = "policy" if section == "policies" else "pipeline"
                yield f"{_relative(config)}:{number}: unknown {kind} component '{name}'"


def run(config: Path, data_dir: Path, domain: Path) -> List[str]:
    files = {tag: sorted((data_dir / tag).glob("*.yml")) for tag in TAGS}
    every_file = [config, domain] + [path for paths in files.values() for path in paths]
    problems = [p for path in every_file for p in yaml_problems(path)]
    if problems:
        return problems  # nothing else can be read reliably
    problems += [p for paths in files.values() for path in paths for p in annotation_problems(path)]
    problems += list(missing_intents(domain, data_dir, files))
    problems += list(component_problems(config))
    return problems


def main(argv: List[str]) -> int:
    parser = argparse.ArgumentParser(description="checks before training")
    parser.add_argument("--config", type=Path, default=ROOT / "config.yml")
    parser.add_argument("--data", type=Path, default=ROOT / "nlu_data")
    parser.add_argument("--domain", type=Path, default=ROOT / "domain.yml")
    args = parser.parse_args(argv)
    problems = run(args.config.resolve(), args.data.resolve(), args.domain.resolve())
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"make train: {len(problems)} problem(s) found before training; nothing was trained.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
