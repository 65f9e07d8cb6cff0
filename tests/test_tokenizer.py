"""How the multilingual tokenizer cuts words where a language glues them (bot/nlu/tokenizer.py)."""
import pytest

from bot.languages import TAGS
from bot.nlu import data_lint
from bot.nlu.tokenizer import segment, spacy_pipeline, spacy_tokens


def words(text: str, tag: str):
    return [token.text for token in segment(text, tag)]


@pytest.mark.parametrize("text, expected", [
    ("화산병원이 신경과로 유명하다", ["화산병원", "이", "신경과", "로", "유명하다"]),
    ("렌지병원이요", ["렌지병원", "이요"]),  # a form answer: the name, then the polite ending
    ("회사 보험이 Allianz인데", ["회사", "보험", "이", "Allianz", "인데"]),
    ("123번 버스", ["123", "번", "버스"]),
    ("아이 진료", ["아이", "진료"]),  # a one-syllable stem keeps its "particle": 아이 is a word
])
def test_korean_particles_and_latin_names_come_apart(text, expected):
    assert words(text, "ko") == expected


def test_an_arabic_prefix_joined_by_a_tatweel_comes_apart():
    assert words("كيف أوصل لـرنجي؟", "ar") == ["كيف", "أوصل", "لـ", "رنجي", "؟"]


def test_vietnamese_punctuation_is_not_glued_to_words():
    assert words("mình có bh Allianz, cần khám?", "vi") == ["mình", "có", "bh", "Allianz", ",", "cần", "khám", "?"]


@pytest.mark.parametrize("tag", ["ko", "ar", "vi"])
def test_token_offsets_point_into_the_text(tag):
    for example in data_lint.load_training(tag)[:300]:
        for token in segment(example.text, tag):
            assert example.text[token.start:token.end] == token.text


# Left inside a token: Korean words joined to a particle not in the list ("디수이호역에서"),
# Thai names PyThaiNLP segments differently from the annotation.
MOST_MISALIGNED = {"ko": 11, "th": 7}


@pytest.mark.parametrize("tag", TAGS)
def test_entity_annotations_start_and_end_on_token_boundaries(tag):
    """Rasa leaves an annotation that ends inside a token out of DIET's entity training."""
    most_misaligned = MOST_MISALIGNED.get(tag, 0)
    misaligned = []
    for example in data_lint.load_training(tag):
        tokens = segment(example.text, tag)
        starts, ends = {t.start for t in tokens}, {t.end for t in tokens}
        for _, _, surface in example.entities:
            at = example.text.find(surface)
            if at >= 0 and (at not in starts or at + len(surface) not in ends):
                misaligned.append(example.text)
    assert len(misaligned) <= most_misaligned, misaligned[:10]


def test_spacy_never_sees_a_run_without_spaces_longer_than_a_word(monkeypatch):
    """Its affix splitting is quadratic in such a run (2,000 emoji: 450 ms of one core per message)."""
    from bot.nlu import tokenizer

    seen = []
    real = tokenizer.spacy_pipeline("xx")

    class Recording:
        tokenizer = real.tokenizer

        def __call__(self, text):
            seen.append(text)
            return real(text)

    monkeypatch.setattr(tokenizer, "spacy_pipeline", lambda _lang: Recording())
    text = "hi " + "".join(chr(0x1F600 + i % 80) for i in range(1990)) + " ok"
    tokens = tokenizer.segment(text, "und")
    assert max(len(run) for piece in seen for run in piece.split()) <= tokenizer.MAX_RUN_CHARS
    assert len(tokens) == tokenizer.MAX_TOKENS  # bounded, and the rest of the run never tokenised
    assert len(seen) < 1990 // tokenizer.MAX_RUN_CHARS + 1
    assert all(text[t.start:t.start + len(t.text)] == t.text for t in tokens)


@pytest.mark.parametrize("tag", ["en", "de", "ru", "fr", "ko", "vi", "ar"])
def test_messages_without_overlong_runs_are_tokenised_by_spacy_as_a_whole(tag):
    from bot.languages import BY_TAG

    nlp = spacy_pipeline(BY_TAG[tag].spacy_lang)
    for example in data_lint.load_training(tag)[:300]:
        whole = [(t.text, t.idx) for t in nlp(example.text) if not t.is_space]
        pieces = [(t.text, t.start) for t in spacy_tokens(nlp, example.text)]
        assert pieces == whole, example.text


def test_languages_written_without_spaces_are_not_cut():
    sentence = "来週の火曜日に仁済病院の歯科で予約を取りたいのですが、午前中に空いている時間はありますか" * 3
    assert len(sentence) > 100
    assert "".join(words(sentence, "ja")) == sentence
    assert all(len(word) < 20 for word in words(sentence, "ja"))  # Sudachi's words, not 100-character pieces
