"""The hand-written NLU data: every language complete, evaluation kept apart from training."""
import pytest

from bot.languages import TAGS
from bot.nlu import data_lint
from bot.nlu.emergency_lexicon import read_terms


@pytest.mark.parametrize("tag", TAGS)
def test_language_data_is_complete_and_clean(tag):
    # >= 25 training and >= 8 evaluation examples per intent, metadata,
    # canonical entity ids, no text under two intents, no eval text in training
    assert data_lint.check_language(tag) == []


def test_no_name_maps_to_two_ids():
    assert data_lint.synonym_conflicts() == []


def test_evaluation_never_appears_in_training_in_any_language():
    assert data_lint.cross_language_overlap() == []


@pytest.mark.parametrize("tag", TAGS)
def test_emergency_lexicon_exists_for_every_language(tag):
    assert len(read_terms(tag)) >= 40


def test_lint_catches_overlap(tmp_path, monkeypatch):
    """The lint itself must be able to fail."""
    (tmp_path / "nlu_data" / "en").mkdir(parents=True)
    (tmp_path / "nlu_eval").mkdir()
    block = 'version: "3.1"\nnlu:\n- intent: greet\n  metadata:\n    language: en\n  examples: |\n    - hello there\n'
    (tmp_path / "nlu_data" / "en" / "nlu.yml").write_text(block)
    (tmp_path / "nlu_eval" / "en.yml").write_text(block)
    monkeypatch.setattr(data_lint, "TRAIN_DIR", tmp_path / "nlu_data")
    monkeypatch.setattr(data_lint, "EVAL_DIR", tmp_path / "nlu_eval")
    problems = data_lint.check_language("en")
    assert any("also in training" in p for p in problems)
    assert any("'goodbye' has 0 examples" in p for p in problems)
