"""The supported languages, in one place.

Everything that needs the list of languages, their scripts or how to tokenise
them imports it from here; adding a language starts with one entry below plus
its data files (see README "Adding a language").
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, Tuple

UNDETERMINED = "und"


@dataclass(frozen=True)
class Language:
    tag: str  # BCP-47 tag used everywhere: slots, data folders, text files
    english_name: str
    native_name: str
    spacy_lang: str  # which spaCy blank pipeline tokenises it
    langdetect_codes: Tuple[str, ...]  # langdetect's labels that mean this language
    # How the emergency lexicon matches: "substring" for scripts written
    # without spaces (or with clitics glued to the front, as in Arabic),
    # "word_prefix" where a term must start a word but may be inflected.
    lexicon_match: str
    right_to_left: bool = False


LANGUAGES: Tuple[Language, ...] = (
    Language("zh-Hans", "Chinese (Simplified)", "简体中文", "zh", ("zh-cn",), "substring"),
    Language("zh-Hant", "Chinese (Traditional)", "繁體中文", "zh", ("zh-tw",), "substring"),
    Language("en", "English", "English", "en", ("en",), "word_prefix"),
    Language("ja", "Japanese", "日本語", "ja", ("ja",), "substring"),
    Language("ko", "Korean", "한국어", "ko", ("ko",), "word_prefix"),
    Language("ru", "Russian", "Русский", "ru", ("ru",), "word_prefix"),
    Language("ar", "Arabic", "العربية", "ar", ("ar",), "substring", right_to_left=True),
    Language("fr", "French", "Français", "fr", ("fr",), "word_prefix"),
    Language("de", "German", "Deutsch", "de", ("de",), "word_prefix"),
    Language("es", "Spanish", "Español", "es", ("es",), "word_prefix"),
    Language("vi", "Vietnamese", "Tiếng Việt", "xx", ("vi",), "word_prefix"),
    Language("th", "Thai", "ไทย", "th", ("th",), "substring"),
)

BY_TAG: Dict[str, Language] = {lang.tag: lang for lang in LANGUAGES}
TAGS: Tuple[str, ...] = tuple(lang.tag for lang in LANGUAGES)


def get(tag: str) -> Language:
    return BY_TAG[tag]


def is_supported(tag: str) -> bool:
    return tag in BY_TAG

# The slots that give a conversation's reply language, in order: a patient's choice beats detection.
REPLY_LANGUAGE_SLOTS = ("preferred_language", "language")
