"""`make train` refuses broken training input before any training time is spent (bot/nlu/preflight.py)."""
import contextlib
import io
import shutil
import subprocess
from pathlib import Path

import pytest

from bot.nlu.preflight import main

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture()
def data(tmp_path):
    """A copy of the training data and config that a test may break."""
    shutil.copytree(ROOT / "nlu_data", tmp_path / "nlu_data")
    shutil.copy(ROOT / "config.yml", tmp_path / "config.yml")
    return tmp_path


def preflight(root: Path) -> subprocess.CompletedProcess:
    """`python -m bot.nlu.preflight` run in this process (a new interpreter would spend most of a test
    importing Rasa again): its exit status and what it wrote to stderr."""
    errors = io.StringIO()
    with contextlib.redirect_stderr(errors):
        status = main(["--config", str(root / "config.yml"), "--data", str(root / "nlu_data")])
    return subprocess.CompletedProcess(["bot.nlu.preflight"], status, "", errors.getvalue())


def line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


def test_our_own_data_and_config_pass():
    result = preflight(ROOT)
    assert result.returncode == 0, result.stderr


def test_a_broken_annotation_is_named_by_file_and_line(data):
    path = data / "nlu_data" / "en" / "nlu.yml"
    text = path.read_text(encoding="utf-8")
    good = next(line for line in text.splitlines() if '{"entity": "hospital"' in line)
    broken = good.replace('{"entity": "hospital"', '{"entity": hospital"', 1)
    path.write_text(text.replace(good, broken, 1), encoding="utf-8")
    result = preflight(data)
    assert result.returncode == 1
    assert f"{path}:{line_of(path, broken)}: entity annotation is not JSON" in result.stderr
    assert "nothing was trained" in result.stderr


def test_an_unfinished_annotation_is_named(data):
    path = data / "nlu_data" / "de" / "nlu.yml"
    with path.open("a", encoding="utf-8") as out:
        out.write("- intent: greet\n  metadata:\n    language: de\n  examples: |\n    - hallo [Renji](hospital\n")
    result = preflight(data)
    assert result.returncode == 1
    assert f"{path}:{line_of(path, '[Renji](hospital')}: unfinished entity annotation" in result.stderr


def test_an_intent_with_no_examples_in_one_language_is_named(data):
    # drop every ask_visa block of Japanese (other languages keep theirs)
    for other in (data / "nlu_data" / "ja").glob("*.yml"):
        kept, skipping = [], False
        for line in other.read_text(encoding="utf-8").splitlines(keepends=True):
            if line.startswith("- "):
                skipping = line.strip() == "- intent: ask_visa"
            if not skipping:
                kept.append(line)
        other.write_text("".join(kept), encoding="utf-8")
    result = preflight(data)
    assert result.returncode == 1
    assert "nlu_data/ja/: intent 'ask_visa' (domain.yml) has no training example in ja" in result.stderr


def test_an_unknown_component_is_named_by_line(data):
    config = data / "config.yml"
    config.write_text(config.read_text().replace("name: EntitySynonymMapper", "name: EntitySynonymMaper"))
    result = preflight(data)
    assert result.returncode == 1
    assert f"{config}:{line_of(config, 'EntitySynonymMaper')}: unknown pipeline component 'EntitySynonymMaper'" \
        in result.stderr


def test_yaml_that_does_not_parse_is_named_by_line(data):
    path = data / "nlu_data" / "fr" / "nlu.yml"
    path.write_text(path.read_text(encoding="utf-8") + "- intent: greet\n  examples: |\n   - bonjour\n  x: [\n",
                    encoding="utf-8")
    result = preflight(data)
    assert result.returncode == 1
    assert f"{path}:" in result.stderr and "not valid YAML" in result.stderr
