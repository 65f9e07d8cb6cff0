"""Language identification for chat messages, independent of Rasa.

Short chat messages are the normal case and langdetect alone is unreliable
on them, so the decision is layered:
1. what the scripts prove (bot.nlu.scripts): Hangul, kana, Thai, Arabic,
   Cyrillic, Vietnamese letters, Simplified versus Traditional Han;
2. for what is left, a character n-gram Naive Bayes model trained on our own
   per-language training examples (it knows chat words such as "merci",
   "danke", "唔該"), blended with langdetect, restricted to the supported
   languages, whose weight grows with the text's length;
3. `und` for Latin text in a language we do not support (Italian,
   Portuguese, Dutch ...): langdetect (all its 55 profiles) names such a
   language AND most of the text's words never occur in our training data.
   langdetect alone is not enough: it calls short Spanish "it" or "pt".
Everything is deterministic: langdetect is seeded per call and the global
random state is restored afterwards.
"""
from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

from bot import languages
from bot.languages import UNDETERMINED
from bot.nlu import scripts

# Messages that carry no language at all, whatever the conversation's language.
NEUTRAL_WORDS = frozenset({
    "ok", "okay", "okey", "k", "kk", "hmm", "hm", "haha", "hahaha", "lol", "wow",
    "oh", "ah", "eh", "yeah", "xd", "ha",
})
# English chat words that patients of every language type ("hi", "thx",
# "bye bye"). A message made only of them reads as English but is never
# decisive: it must not flip a Vietnamese or German conversation to English.
PAN_LINGUAL_ENGLISH = frozenset({
    "hi", "hello", "hey", "bye", "byebye", "thanks", "thank", "you", "thx", "tks", "ty",
    "yes", "yeah", "sorry", "please", "pls", "good", "morning", "night", "ok", "okay",
})
MAX_CHARS = 2000  # enough to decide; keeps a 20,000-character message cheap
LATIN_TAGS = tuple(t for t in languages.TAGS if t in ("en", "fr", "de", "es", "vi"))
HAN_TAGS = ("zh-Hans", "zh-Hant", "ja")
# Our n-gram model's posterior above which langdetect is not consulted.
SURE_WITHOUT_LANGDETECT = 0.99


@dataclass(frozen=True)
class Detection:
    language: str  # a supported tag or "und"
    confidence: float
    # True when the evidence is strong enough to change a conversation's language
    decisive: bool


UNKNOWN = Detection(UNDETERMINED, 0.0, False)


_WORD = re.compile(r"[^\W\d_]{3,}")
_WORD_ANY = re.compile(r"[^\W\d_]+")


class NgramModel:
    """Multinomial Naive Bayes over character 1-4-grams and whole words, trained
    on our data, plus the words the training data uses (for the
    unsupported-language test). Whole words matter for short chat: "bien
    entendu" shares its letter sequences with German, its words with French."""

    def __init__(self, vectorizer=None, classifier=None, known_words: frozenset = frozenset()) -> None:
        self.vectorizer = vectorizer
        self.classifier = classifier
        self.known_words = known_words

    @classmethod
    def train(cls, texts: Sequence[str], tags: Sequence[str]) -> "NgramModel":
        from sklearn.feature_extraction.text import CountVectorizer
        from sklearn.naive_bayes import MultinomialNB
        from sklearn.pipeline import FeatureUnion

        vectorizer = FeatureUnion([
            ("chars", CountVectorizer(analyzer="char_wb", ngram_range=(1, 4), lowercase=True)),
            ("words", CountVectorizer(analyzer="word", token_pattern=r"(?u)\b\w+\b", lowercase=True)),
        ])
        classifier = MultinomialNB(alpha=0.1)
        classifier.fit(vectorizer.fit_transform([_clean(t) for t in texts]), list(tags))
        # Prediction reads feature_log_prob_ only; the raw counts were half of the pickled model.
        del classifier.feature_count_
        known_words = frozenset(w for t in texts for w in _WORD.findall(_clean(t)))
        return cls(vectorizer, classifier, known_words)

    @property
    def trained(self) -> bool:
        return self.classifier is not None

    def unknown_word_share(self, text: str) -> Optional[float]:
        """Share of the text's words (3+ letters) never seen in training; None if under 3 words."""
        words = _WORD.findall(_clean(text))
        if len(words) < 3 or not self.known_words:
            return None
        return sum(w not in self.known_words for w in words) / len(words)

    def _counts(self, text: str):
        """The vectorizer's counts for one text, as FeatureUnion.transform gives them.

        FeatureUnion runs its parts through joblib even on one core, which was
        half of a detection's time for one short text: the parts run directly.
        """
        from scipy import sparse

        # train() builds the union: unweighted CountVectorizers only
        return sparse.hstack([part.transform([text]) for _, part in self.vectorizer.transformer_list]).tocsr()

    def posteriors(self, text: str, candidates: Iterable[str]) -> Dict[str, float]:
        candidates = list(candidates)
        if not self.trained:
            return {tag: 1.0 / len(candidates) for tag in candidates}
        import numpy as np

        counts = self._counts(_clean(text))
        # Naive Bayes' joint log-likelihood over the text's own features only, the same
        # numbers predict_log_proba gives before normalising; predict_log_proba multiplies
        # by the whole classes x 158,000-feature table (2.4 ms a call against 0.01 ms).
        clf = self.classifier
        joint = clf.class_log_prior_ + clf.feature_log_prob_[:, counts.indices] @ counts.data
        classes = list(clf.classes_)
        scores = np.array([joint[classes.index(t)] if t in classes else -np.inf for t in candidates])
        scores = np.exp(scores - scores.max())
        scores /= scores.sum()
        return dict(zip(candidates, scores.tolist()))


class LangdetectScorer:
    """langdetect with its own seeded factory, so results never vary between calls."""

    def __init__(self) -> None:
        from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory

        self._factory = DetectorFactory()
        self._factory.load_profile(PROFILES_DIRECTORY)
        self._factory.seed = 0
        self._to_tag = {code: lang.tag for lang in languages.LANGUAGES for code in lang.langdetect_codes}

    def distribution(self, text: str) -> Dict[str, float]:
        """langdetect's probability for every language it knows (its own codes)."""
        from langdetect.lang_detect_exception import LangDetectException

        state = random.getstate()  # langdetect seeds the global generator
        try:
            detector = self._factory.create()
            detector.append(text)
            detector.get_probabilities()
            return dict(zip(self._factory.get_lang_list(), detector.langprob))
        except LangDetectException:
            return {}
        finally:
            random.setstate(state)

    def is_supported_code(self, code: str) -> bool:
        return code in self._to_tag

    def best_supported(self, text: str) -> str:
        """langdetect alone, as a baseline: its top language if supported, else und."""
        dist = self.distribution(text)
        if not dist:
            return UNDETERMINED
        code = max(dist, key=dist.get)
        return self._to_tag.get(code, UNDETERMINED)

    def supported_share(self, dist: Dict[str, float], tags: Iterable[str]) -> Dict[str, float]:
        by_tag = {tag: 0.0 for tag in tags}
        for code, prob in dist.items():
            tag = self._to_tag.get(code)
            if tag in by_tag:
                by_tag[tag] += prob
        return by_tag


class LanguageIdentifier:
    def __init__(self, model: Optional[NgramModel] = None) -> None:
        self.model = model or NgramModel()
        self.langdetect = LangdetectScorer()

    def detect(self, text: Optional[str]) -> Detection:
        text = unicodedata.normalize("NFKC", text or "")[:MAX_CHARS]
        prof = scripts.profile(text)
        if prof.total == 0 or prof.letters in NEUTRAL_WORDS:
            return UNKNOWN
        counts = prof.counts
        if counts.get(scripts.OTHER, 0) * 2 > prof.total:
            return UNKNOWN  # mostly Greek, Hebrew, Devanagari ...
        if prof.count(scripts.KANA):
            return Detection("ja", 1.0, True)
        if prof.count(scripts.HANGUL):
            return Detection("ko", 1.0, True)
        non_latin = {s: counts.get(s, 0) for s in (scripts.HAN, scripts.THAI, scripts.ARABIC, scripts.CYRILLIC)}
        dominant = max(non_latin, key=non_latin.get)
        if non_latin[dominant]:
            return self._non_latin(dominant, text, prof)
        return self._latin(text, prof)

    def _non_latin(self, script: str, text: str, prof: scripts.ScriptProfile) -> Detection:
        if script == scripts.THAI:
            return Detection("th", 1.0, True)
        if script == scripts.CYRILLIC:
            tag = scripts.cyrillic_language(prof.letters)
        elif script == scripts.ARABIC:
            tag = scripts.arabic_language(prof.letters)
        else:
            return self._han(text, prof)
        return Detection(tag, 1.0, True) if tag else UNKNOWN

    def _han(self, text: str, prof: scripts.ScriptProfile) -> Detection:
        """Chinese in either form, or Japanese written in kanji only."""
        votes = scripts.han_form_votes(prof.letters)
        model = self.model.posteriors(text, HAN_TAGS)
        if model["ja"] > 0.9:  # kanji-only Japanese (予約変更); shares 医, 国 ... with Simplified
            return Detection("ja", model["ja"], model["ja"] > 0.97)
        if votes["zh-Hans"] != votes["zh-Hant"]:
            tag = max(votes, key=votes.get)
            return Detection(tag, 1.0, True)
        # Same in both forms (你好): any Cantonese the model knows decides,
        # otherwise either tag is right; it never flips a conversation.
        tag = "zh-Hant" if model["zh-Hant"] > model["zh-Hans"] else "zh-Hans"
        return Detection(tag, max(model["zh-Hans"], model["zh-Hant"]), False)

    def _latin(self, text: str, prof: scripts.ScriptProfile) -> Detection:
        if scripts.has_vietnamese_letters(prof.letters):
            return Detection("vi", 1.0, True)
        words = _WORD_ANY.findall(text.lower())
        if words and all(w in PAN_LINGUAL_ENGLISH for w in words):
            return Detection("en", 0.5, False)
        model = self.model.posteriors(text, LATIN_TAGS)
        might_be_unsupported = self._might_be_unsupported(text, prof)
        if not might_be_unsupported and max(model.values()) >= SURE_WITHOUT_LANGDETECT:
            # langdetect costs ~7 ms a message (most of a parse); when our own
            # model is this sure and the text cannot be an unsupported
            # language, langdetect's vote would not change the answer.
            tag = max(model, key=model.get)
            return Detection(tag, model[tag], True)
        dist = self.langdetect.distribution(text)
        if might_be_unsupported and self._langdetect_names_unsupported(dist):
            return UNKNOWN
        detected = self.langdetect.supported_share(dist, LATIN_TAGS)
        total = sum(detected.values())
        weight = min(0.6, len(prof.letters) / 80) if total > 0 else 0.0
        blended = {
            tag: (1 - weight) * model[tag] + (weight * detected[tag] / total if total else 0.0)
            for tag in LATIN_TAGS
        }
        tag = max(blended, key=blended.get)
        confidence = blended[tag]
        if confidence < 0.4:
            return Detection(UNDETERMINED, confidence, False)
        return Detection(tag, confidence, confidence >= 0.8)

    def _might_be_unsupported(self, text: str, prof: scripts.ScriptProfile) -> bool:
        """Letters of another Latin alphabet (ã, ł, ş ...), or mostly words our data never uses."""
        if scripts.has_foreign_latin_letters(prof.letters):
            return True
        unknown = self.model.unknown_word_share(text)
        return unknown is not None and unknown > 0.5

    def _langdetect_names_unsupported(self, dist: Dict[str, float]) -> bool:
        top_code = max(dist, key=dist.get) if dist else None
        return top_code is not None and not self.langdetect.is_supported_code(top_code) and dist[top_code] >= 0.9


def _clean(text: str) -> str:
    return unicodedata.normalize("NFKC", text)[:MAX_CHARS].lower()


def training_pairs(examples: Iterable[Tuple[str, str]]) -> Tuple[List[str], List[str]]:
    texts, tags = [], []
    for text, tag in examples:
        if text and languages.is_supported(tag):
            texts.append(text)
            tags.append(tag)
    return texts, tags
