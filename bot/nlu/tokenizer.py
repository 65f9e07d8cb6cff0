"""Rasa tokenizer that segments each message as its own language.

Whitespace tokenisation is wrong for Chinese, Japanese and Thai, and one
spaCy pipeline cannot serve twelve languages, so this picks a spaCy blank
pipeline per message from the `language` set by LanguageDetector:
- ja: SudachiPy with SudachiDict-core (pinned; spaCy's own Japanese tokenizer);
- th: PyThaiNLP's newmm dictionary segmenter (pinned);
- vi: syllables, with spaCy's multi-language rule-based tokenizer ("xx"):
  Vietnamese syllables are space-separated, and spaCy's own Vietnamese
  tokenizer either needs pyvi (its own scikit-learn pins) or, without it,
  splits on spaces only, leaving punctuation glued on ("Allianz,", "khám?");
- ko: spaCy's rule-based tokenizer on spaces (eojeol), then the common
  particles split off the end of a word ("병원에서" -> "병원", "에서") and a
  Latin name off the Hangul glued to it ("C-MER에서" -> "C-MER", "에서").
  spaCy's default Korean tokenizer needs a system MeCab-ko. Without the
  split, 183 of the 474 Korean training examples with an entity had it end
  inside a token, and Rasa leaves such annotations out of DIET's entity
  training (11 after it);
- ar: spaCy's rule-based tokenizer, then a word split after a tatweel, as
  in "لـرنجي" (to Renji): the prefix is written joined to the name;
- zh: one token per Han character, Latin words and numbers kept whole.
  spaCy's "char" segmenter also splits "book" into b/o/o/k, and jieba's
  dictionary is Simplified-only; characters plus the word-bigram features of
  the featurizer serve both Chinese forms equally;
- everything else (and `und`): spaCy's rule-based tokenizer for that language.
"""
from __future__ import annotations

import re
import threading
from typing import Any, Dict, Iterable, Iterator, List, Text, Tuple

from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.tokenizers.tokenizer import Token, Tokenizer
from rasa.shared.nlu.training_data.message import Message

from bot import languages
from bot.nlu.code_version import code_version

LANGUAGE = "language"

_HAN = r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]"
_NOT_HAN_WORD_CHAR = rf"(?:(?!{_HAN})[^\W_])"
_HAN_OR_WORD = re.compile(
    rf"{_HAN}"  # one Han character
    rf"|{_NOT_HAN_WORD_CHAR}+(?:[-'.]{_NOT_HAN_WORD_CHAR}+)*"  # a Latin word, a number, RF-20831
    r"|[^\s\w]",  # punctuation or emoji, one at a time
)
# Only the start of a very long message is tokenised: SudachiPy refuses input
# over ~49 kB, and intent classification gains nothing from page-long text.
# (The emergency guard still reads the whole message.)
MAX_TOKENIZED_CHARS = 2000
# DIET's transformer costs grow with the square of the tokens: a message of 2,000 emoji
# took 1-2 s to parse and held up every other patient's reply. Runs of one token (emoji,
# "!!!!!") are cut to two and a message to its first MAX_TOKENS tokens (chat messages
# have a few dozen); tokens keep their offsets, so entities still point into the text.
MAX_TOKENS = 120
MAX_REPEATS = 2
# spaCy's rule-based tokenizer strips affixes from a run without spaces one character at
# a time, matching its suffix pattern against the rest each time: quadratic in the run's
# length. 2,000 emoji in one run took 450 ms (cached only for the identical text, so an
# attacker varying it paid every time), holding up every other parse. Runs longer than
# any word are cut into pieces of this length before spaCy sees them (Japanese and Thai,
# which are written without spaces, have their own segmenters and are not cut).
MAX_RUN_CHARS = 100
_LONG_RUN = re.compile(rf"\S{{{MAX_RUN_CHARS + 1},}}")
_SPACY_CONFIG = {
    "ko": {"nlp": {"tokenizer": {"@tokenizers": "spacy.Tokenizer.v1"}}},
}
_pipelines: Dict[str, Any] = {}
_pipelines_lock = threading.Lock()


def spacy_pipeline(spacy_lang: str):
    """The blank spaCy pipeline for a language, built once per process."""
    with _pipelines_lock:
        if spacy_lang not in _pipelines:
            import spacy

            _pipelines[spacy_lang] = spacy.blank(spacy_lang, config=_SPACY_CONFIG.get(spacy_lang, {}))
        return _pipelines[spacy_lang]


def load_all_pipelines() -> None:
    """Build every language's pipeline now. Built on first use instead, the first
    Japanese, Thai or Korean message after a start waited seconds for its
    dictionary, and so did every conversation behind it (one event loop)."""
    for language in languages.LANGUAGES:
        if language.spacy_lang != "zh":
            spacy_pipeline(language.spacy_lang)


# Korean particles (josa) and copula endings written joined to the word before them, longest first.
_KO_PARTICLES = sorted(
    "이 가 은 는 을 를 에 에서 에게 한테 께 으로 로 와 과 도 만 까지 부터 의 이랑 랑 인데 인가요 이에요 예요 "
    "이요 요 에서는 에는 으로는 로는 에도 이나 나 이죠 죠 이라서 라서 인지 라고 이라고 처럼 보다 하고 께서".split(),
    key=len, reverse=True)
_KO_MIN_STEM = 2  # syllables left before a particle: "아이" (child) stays whole
_NOT_HANGUL_THEN_HANGUL = re.compile(r"^([^\uac00-\ud7a3]+)([\uac00-\ud7a3].*)$")
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
TATWEEL = "\u0640"


def segment(text: str, language_tag: str) -> List[Token]:
    text = text[:MAX_TOKENIZED_CHARS]
    spacy_lang = languages.BY_TAG[language_tag].spacy_lang if languages.is_supported(language_tag) else "xx"
    if spacy_lang == "zh":
        return bounded(Token(m.group(), m.start()) for m in _HAN_OR_WORD.finditer(text))
    tokens = spacy_tokens(spacy_pipeline(spacy_lang), text)
    if spacy_lang == "ko":
        tokens = (piece for token in tokens for piece in korean_pieces(token))
    elif spacy_lang == "ar":
        tokens = (piece for token in tokens for piece in after_tatweel(token))
    return bounded(tokens)


def spacy_tokens(nlp, text: str) -> Iterator[Token]:
    """spaCy's tokens, with offsets into `text`; lazily, piece by piece (bounded() stops early)."""
    from spacy.tokenizer import Tokenizer as RuleBasedTokenizer

    pieces = rule_based_pieces(text) if isinstance(nlp.tokenizer, RuleBasedTokenizer) else [(0, text)]
    for offset, piece in pieces:
        yield from (Token(t.text, offset + t.idx) for t in nlp(piece) if not t.is_space)


def rule_based_pieces(text: str) -> List[Tuple[int, str]]:
    """(offset, piece): the text cut inside runs without spaces longer than MAX_RUN_CHARS, every MAX_RUN_CHARS."""
    cuts = [cut for run in _LONG_RUN.finditer(text)
            for cut in range(run.start() + MAX_RUN_CHARS, run.end(), MAX_RUN_CHARS)]
    starts = [0, *cuts]
    return [(start, text[start:end]) for start, end in zip(starts, [*cuts, len(text)])]


def korean_pieces(token: Token) -> List[Token]:
    """A Latin name (or number) split from the Hangul after it, and a particle from the word before it."""
    glued = _NOT_HANGUL_THEN_HANGUL.match(token.text)
    if glued and any(ch.isalnum() for ch in glued.group(1)):
        head = Token(glued.group(1), token.start)
        return [head, *korean_pieces(Token(glued.group(2), token.start + len(glued.group(1))))]
    if _HANGUL.search(token.text):
        for particle in _KO_PARTICLES:
            stem_length = len(token.text) - len(particle)
            if token.text.endswith(particle) and stem_length >= _KO_MIN_STEM:
                return [Token(token.text[:stem_length], token.start), Token(particle, token.start + stem_length)]
    return [token]


def after_tatweel(token: Token) -> List[Token]:
    """"لـرنجي" -> "لـ", "رنجي": a prefix joined by a tatweel to the word after it."""
    cut = token.text.find(TATWEEL) + 1
    if 0 < cut < len(token.text):
        return [Token(token.text[:cut], token.start), *after_tatweel(Token(token.text[cut:], token.start + cut))]
    return [token]


def bounded(tokens: Iterable[Token]) -> List[Token]:
    """At most MAX_TOKENS tokens, no token more than MAX_REPEATS times in a row."""
    kept: List[Token] = []
    for token in tokens:
        if len(kept) >= MAX_REPEATS and all(previous.text == token.text for previous in kept[-MAX_REPEATS:]):
            continue
        kept.append(token)
        if len(kept) == MAX_TOKENS:
            break
    return kept


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER], is_trainable=False)
class MultilingualTokenizer(Tokenizer):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            "intent_tokenization_flag": False, "intent_split_symbol": "_", "token_pattern": None,
            "code_version": code_version(),
        }

    @classmethod
    def create(
        cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
        execution_context: ExecutionContext,
    ) -> "MultilingualTokenizer":
        load_all_pipelines()
        return cls(config)

    def tokenize(self, message: Message, attribute: Text) -> List[Token]:
        text = message.get(attribute) or ""
        # Only the patient's text is in a natural language; intent and action
        # names are identifiers and go to the plain rule-based tokenizer.
        tag = message.get(LANGUAGE) if attribute == "text" else None
        tokens = segment(text, tag or languages.UNDETERMINED)
        return self._apply_token_pattern(tokens)
