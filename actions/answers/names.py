"""The patient's name, read from what they typed, in any script.

People rarely type the bare name: "my name is Anna", "我叫李明", "田中です",
"저는 김민수입니다", "ผมชื่อสมชายครับ". The greeting, the lead-in, the polite
ending and (Japanese, Korean) the honorific are cut; the rest is the name, as
typed, with its spaces collapsed. Not a name: digits, "@", a question, more
than 80 characters or 8 words, no letters, or only a yes/no answer or a greeting.

Lead-ins in Latin script are read for the patient's language and English only
("soy", "c'est", "em" would cut real names elsewhere); those in other scripts
are read whatever the language tag says, since they cannot start a Latin name.
Lowercase "im" is a lead-in ("im jake"), "Im" is a Korean surname.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from typing import Dict, Iterable, List, Optional, Pattern, Tuple

from actions.answers.yes_no import SIBLINGS, canonical_tag, is_bare_answer
from bot.nlu.scripts import ARABIC, CYRILLIC, HANGUL, LATIN, script_of

MAX_INPUT_CHARS = 200
MAX_NAME_CHARS = 80
MAX_NAME_WORDS = 8  # "محمد بن عبد الله بن عبد العزيز آل سعود" has 7

GREETINGS: Dict[str, Tuple[str, ...]] = {
    "en": ("hi", "hello", "hey", "hiya", "good morning", "good afternoon", "good evening", "hi there"),
    "zh-Hans": ("你好", "您好", "嗨", "哈喽", "医生你好", "医生您好", "大夫你好"),
    "zh-Hant": ("你好", "您好", "哈囉", "早晨", "喂", "醫生你好"),
    "ja": ("こんにちは", "こんばんは", "おはようございます", "はじめまして", "初めまして"),
    "ko": ("안녕하세요", "안녕하십니까", "안녕"),
    "ru": ("здравствуйте", "привет", "добрый день", "доброе утро", "добрый вечер"),
    "ar": ("مرحبا", "مرحباً", "السلام عليكم", "اهلا", "أهلا", "أهلاً", "صباح الخير", "مساء الخير"),
    "fr": ("bonjour", "salut", "bonsoir", "coucou"),
    "de": ("hallo", "guten tag", "guten morgen", "guten abend", "moin", "servus", "grüß gott"),
    "es": ("hola", "buenos días", "buenos dias", "buenas tardes", "buenas noches", "buenas"),
    "vi": ("xin chào bác sĩ", "chào bác sĩ", "xin chào", "chào bạn", "chào", "dạ", "alo"),
    "th": ("สวัสดีค่ะ", "สวัสดีครับ", "สวัสดี"),
}
LEAD_INS: Dict[str, Tuple[str, ...]] = {
    "en": ("my name is", "my name's", "my full name is", "my name", "name is", "full name", "name", "i am", "i'm",
           "this is", "it's", "its", "call me"),
    "zh-Hans": ("我的名字是", "我的名字叫", "我名字叫", "名字是", "名字叫", "我叫", "我是", "姓名", "名字", "本人"),
    "zh-Hant": ("我嘅名係", "我個名係", "我的名字是", "我的名字叫", "名字係", "我叫", "我係", "我是", "姓名", "名字"),
    "ja": ("私の名前は", "わたしの名前は", "名前は", "お名前は", "私は", "わたしは", "わたくしは", "僕は", "ぼくは",
           "俺は", "名前", "氏名"),
    "ko": ("제 이름은", "제 이름", "이름은", "저는", "전", "저", "나는", "이름", "성함은", "성함"),
    "ru": ("меня зовут", "моё имя", "мое имя", "зовут", "имя", "фио", "я", "это"),
    "ar": ("اسمي هو", "أنا اسمي", "انا اسمي", "اسمي", "إسمي", "أنا", "انا", "الاسم"),
    "fr": ("je m'appelle", "moi c'est", "mon nom est", "mon nom c'est", "mon prénom est", "mon prénom c'est",
           "je suis", "c'est", "nom", "prénom"),
    "de": ("ich heiße", "ich heisse", "mein name ist", "mein vorname ist", "ich bin", "hier ist", "name"),
    "es": ("me llamo", "mi nombre es", "mi nombre", "yo soy", "soy", "nombre"),
    "vi": ("tôi tên là", "tên tôi là", "tôi tên", "em tên là", "tên em là", "em tên", "mình tên là", "tên mình là",
           "mình tên", "con tên là", "con tên", "tôi là", "em là", "mình là", "họ và tên", "họ tên", "tên là", "tên"),
    "th": ("ชื่อของฉันคือ", "ชื่อของผมคือ", "ดิฉันชื่อ", "ฉันชื่อ", "ผมชื่อ", "หนูชื่อ", "เราชื่อ", "ชื่อ-นามสกุล", "ชื่อ"),
}
# Lowercase only: "Im" is also a Korean surname (Im Soo-jin).
CASE_SENSITIVE_LEAD_INS: Dict[str, Tuple[str, ...]] = {"en": ("im",)}
# What people write after their name: polite endings, particles, thanks. Not Thai "นะ" alone (ชนะ, มานะ
# are names); "นะคะ"/"นะครับ" are cut whole, so "ชนะครับ" would lose its นะ: a trade for the common "มาลีนะคะ".
ENDINGS: Dict[str, Tuple[str, ...]] = {
    "en": ("thanks", "thank you", "please"),
    "zh-Hans": ("呀", "啊", "啦", "哦", "喔", "谢谢"),
    "zh-Hant": ("呀", "啊", "啦", "囉", "喇", "喎", "㗎", "唔該", "多謝", "謝謝"),
    "ja": ("でございます", "と申します", "ともうします", "といいます", "と言います", "です", "だよ",
           "よろしくお願いします", "ありがとう"),
    "ko": ("이라고 합니다", "라고 합니다", "이라고 해요", "라고 해요", "입니다", "이에요", "예요", "이요", "요",
           "감사합니다"),
    "ru": ("спасибо",),
    "ar": ("شكرا", "شكراً"),
    "fr": ("merci",),
    "de": ("danke",),
    "es": ("gracias",),
    "vi": ("ạ", "nhé", "nha", "nhe", "cảm ơn"),
    "th": ("นะคะ", "นะครับ", "ครับผม", "ค่ะ", "คะ", "ครับ", "คับ", "ค่า", "จ้ะ", "จ้า", "ขอบคุณ"),
}
# Honorifics cut for Japanese and Korean only (田中さん -> 田中, 김민수 씨 -> 김민수).
HONORIFICS: Dict[str, Tuple[str, ...]] = {"ja": ("さん", "様", "さま"), "ko": ("씨", "님")}

_SEPARATORS = r"[\s,，、!！.。~:：]"
_WORD_END = r"(?![^\W\d_])"  # not followed by a letter
# Scripts written with spaces between words: a lead-in must end a word there ("전" is "저는" shortened, and the
# surname of 전지현). Endings follow a space too, except Korean ones, which are glued on (김민수입니다).
_WORD_SCRIPTS = (LATIN, CYRILLIC, ARABIC, HANGUL)
_SPACED_ENDING_SCRIPTS = (LATIN, CYRILLIC, ARABIC)


@dataclass(frozen=True)
class Patterns:
    greeting: Pattern[str]
    lead_in: Pattern[str]
    ending: Pattern[str]
    honorific: Optional[Pattern[str]]


def read_name(text: str, language: str) -> Optional[str]:
    """The name in the text, as typed (lead-ins and polite endings cut), or None if it is not a name."""
    if not isinstance(text, str) or len(text) > MAX_INPUT_CHARS:
        return None
    name = _tidy(text)
    if not name or _is_not_a_name(unicodedata.normalize("NFKC", text)):
        return None
    tag = canonical_tag(language)
    patterns = _patterns(tag)
    name = _tidy(patterns.lead_in.sub("", _tidy(patterns.greeting.sub("", name)), count=1))
    name = _cut_repeatedly(name, patterns.ending)
    if patterns.honorific:
        name = _cut_repeatedly(name, patterns.honorific)
    if not _plausible(name) or is_bare_answer(name, language):
        return None
    return name


def _tidy(text: str) -> str:
    """Width folded, invisible marks dropped, spaces collapsed, punctuation and emoji cut from both ends."""
    text = "".join(ch for ch in unicodedata.normalize("NFKC", text) if unicodedata.category(ch) != "Cf")
    text = " ".join(text.split())
    start, end = 0, len(text)
    while start < end and not _is_letter(text[start]):
        start += 1
    while end > start and not _is_letter(text[end - 1]):
        end -= 1
    return text[start:end]


def _is_letter(char: str) -> bool:
    return unicodedata.category(char)[0] in "LM"


def _is_not_a_name(text: str) -> bool:
    """Digits, an e-mail address or a question ("why do you need my name?")."""
    return any(ch.isdigit() for ch in text) or "@" in text or "?" in text or "؟" in text


def _plausible(name: str) -> bool:
    return (0 < len(name) <= MAX_NAME_CHARS and len(name.split()) <= MAX_NAME_WORDS
            and any(ch.isalpha() for ch in name) and not _is_not_a_name(name))


def _cut_repeatedly(name: str, pattern: Pattern[str]) -> str:
    """"김민수입니다 감사합니다" -> "김민수"; never cuts the whole name away."""
    while True:
        shorter = _tidy(pattern.sub("", name, count=1))
        if not shorter or shorter == name:
            return name
        name = shorter


# --- patterns per language ------------------------------------------------------------------------------------------

def _written_with_spaces(phrase: str, scripts: Tuple[str, ...]) -> bool:
    return script_of(phrase[0]) in scripts


def _phrase(phrase: str) -> str:
    """A phrase as a pattern: any apostrophe, any run of spaces."""
    return r"\s+".join(re.escape(word).replace("'", "['’ʼ]") for word in phrase.split())


def _read_for(tag: Optional[str], table: Dict[str, Tuple[str, ...]]) -> List[str]:
    """The phrases of the patient's language and English, and those in other scripts from every language."""
    related = {tag, SIBLINGS.get(tag), "en"} if tag else set(table)
    phrases = [p for lang, items in table.items() for p in items if lang in related or script_of(p[0]) != LATIN]
    return sorted(dict.fromkeys(phrases), key=len, reverse=True)


def _at_start(phrases: Iterable[str], case_sensitive: Iterable[str] = ()) -> str:
    """Phrases ending a word ("hi" is not the start of "Hiroshi"); in spaceless scripts the name may
    follow at once (我叫李明)."""
    options = [_phrase(p) + (_WORD_END if _written_with_spaces(p, _WORD_SCRIPTS) else "") for p in phrases]
    options += [rf"(?-i:{_phrase(p)}){_WORD_END}" for p in case_sensitive]
    return rf"^(?:{'|'.join(options)})(?:{_SEPARATORS}|[\-—–])*"


def _at_end(phrases: Iterable[str]) -> str:
    options = [(rf"{_SEPARATORS}+" if _written_with_spaces(p, _SPACED_ENDING_SCRIPTS) else r"\s*") + _phrase(p)
               for p in phrases]
    return rf"(?:{'|'.join(options)}){_SEPARATORS}*$"


@cache
def _patterns(tag: Optional[str]) -> Patterns:
    case_sensitive = [p for items in CASE_SENSITIVE_LEAD_INS.values() for p in items]  # English is always read
    honorifics = [p for lang, items in HONORIFICS.items() for p in items if tag in (None, lang)]
    return Patterns(
        greeting=re.compile(_at_start(_read_for(tag, GREETINGS)), re.IGNORECASE),
        lead_in=re.compile(_at_start(_read_for(tag, LEAD_INS), case_sensitive), re.IGNORECASE),
        ending=re.compile(_at_end(_read_for(tag, ENDINGS)), re.IGNORECASE),
        honorific=re.compile(_at_end(honorifics), re.IGNORECASE) if honorifics else None,
    )
