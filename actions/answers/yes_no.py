"""Yes or no, read from a short answer as patients type it, in 12 languages.

For closed questions in forms (privacy consent, "is this booking right?").
The words are data (yes_no.yml, which documents its lists); this module
normalises words and answers alike and decides:
- negation wins: a yes word beside a negation marker is NO ("不同意", "I don't agree");
- a hedge ("maybe", "不知道") or a yes beside a no makes the answer AMBIGUOUS;
- a word unclear on its own ("大丈夫です", Vietnamese "k") is AMBIGUOUS unless
  a clear yes or no stands beside it;
- a politeness particle (Thai "ค่ะ", Vietnamese "dạ") answers yes only alone;
- a long message, or one without any answer word, is UNKNOWN: the NLU reads it.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import Enum
from functools import cache
from pathlib import Path
from typing import Dict, FrozenSet, List, Optional, Set, Tuple

import yaml

from bot.nlu.scripts import ARABIC, CYRILLIC, HAN, KANA, LATIN, THAI, script_of

LEXICON_FILE = Path(__file__).with_name("yes_no.yml")
UNIVERSAL = "any"  # the block read for every language: emoji, "ok"
MAX_INPUT_CHARS = 300  # anything longer is not a short answer; skip the work
MAX_WORDS = 8
MAX_SPACELESS_LETTERS = 25  # Han, kana and Thai letters, written without spaces

VERDICT_LISTS = ("yes", "no", "ambiguous", "unsure")
WORD_LISTS = VERDICT_LISTS + ("neutral",)
ALL_LISTS = WORD_LISTS + ("negation", "particles", "endings")
# Chinese tags are read together: two characters rarely tell the forms apart.
SIBLINGS = {"zh-Hans": "zh-Hant", "zh-Hant": "zh-Hans"}
ALIASES = {"zh": "zh-Hans", "zh-cn": "zh-Hans", "zh-sg": "zh-Hans",
           "zh-tw": "zh-Hant", "zh-hk": "zh-Hant", "zh-mo": "zh-Hant"}

_SPACELESS_SCRIPTS = (HAN, KANA, THAI)
_FOLDED_MARK_SCRIPTS = (LATIN, CYRILLIC, ARABIC)  # accents dropped: "không" == "khong"
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'"})
# Vietnamese tone marks tell short answers apart: có (yes) / cô (Miss), ờ (yeah) / ở (at),
# dạ (yes) / đã (already). Its block lists the unaccented typing ("khong", "dong y") as well.
ACCENTS_MATTER = {"vi"}
_ACCENT_FOLD = str.maketrans({"đ": "d", "ة": "ه", "ى": "ي"})
# repetition marks, Arabic elongation, emoji joiners and variants, gender signs
_LETTER_FOLD = str.maketrans({ch: None for ch in "ๆـ\u200d\ufe0e\ufe0f♀♂"})
_KEPT_SYMBOLS = {"×"}  # a cross: "no" in Japanese, Chinese and Korean forms
_PROLONGED = "ー"  # the kana length mark: squeezed like a letter ("はーーい")
_REPEATED_UNIT = re.compile(r"(.+?)\1+")
_REPEATED_KANA_UNIT = re.compile(r"(.{2,}?)\1+")  # ええ (yes) must not become え (huh?)
_MASK = "\x00"


class YesNo(Enum):
    YES = "yes"
    NO = "no"
    AMBIGUOUS = "ambiguous"  # ask again
    UNKNOWN = "unknown"  # not a short answer: let the NLU decide


def read_yes_no(text: str, language: str) -> YesNo:
    """The answer to a yes/no question, read from what the patient typed."""
    reading = _read(text, language)
    return _verdict(reading) if reading else YesNo.UNKNOWN


def is_bare_answer(text: str, language: str) -> bool:
    """True when the text is only a yes, a no or an unclear answer ("ok", "はい", "maybe"), nothing else."""
    reading = _read(text, language)
    return reading is not None and not reading.has_other_letters and _verdict(reading) != YesNo.UNKNOWN


def normalise(text: str, endings: Tuple[str, ...] = (), fold_accents: bool = True) -> str:
    """Folded for matching: 'YESSS!!' -> 'yes', 'Está' -> 'esta', '네네네요' -> '네' (with Korean endings)."""
    text = unicodedata.normalize("NFKC", text.translate(_APOSTROPHES)).casefold()
    if fold_accents:
        text = _fold_marks(text).translate(_ACCENT_FOLD)
    text = text.translate(_LETTER_FOLD)
    text = "".join(_cleaned_char(ch) for ch in text)
    words: List[str] = []
    for word in text.split():
        word = _strip_endings(_collapse_repeats(word.strip("'")), endings)
        if word and (not words or words[-1] != word):  # "ok ok", "да да"
            words.append(word)
    return " ".join(words)


# --- normalisation --------------------------------------------------------------------------------------------------

def _fold_marks(text: str) -> str:
    kept, base_script = [], None
    for char in unicodedata.normalize("NFD", text):
        if unicodedata.category(char) == "Mn":
            if base_script in _FOLDED_MARK_SCRIPTS:
                continue
        else:
            base_script = script_of(char)
        kept.append(char)
    return unicodedata.normalize("NFC", "".join(kept))


def _cleaned_char(char: str) -> str:
    """Punctuation and maths symbols become spaces; letters, marks, digits and emoji stay."""
    if char == "'":
        return char
    if char.isspace():
        return " "
    category = unicodedata.category(char)
    if category[0] == "C":
        return ""
    if category[0] == "P" or (category in ("Sm", "Sk", "Sc") and char not in _KEPT_SYMBOLS):
        return " "
    return char


def _is_kana_letter(char: str) -> bool:
    return char != _PROLONGED and script_of(char) == KANA


def _collapse_repeats(word: str) -> str:
    """'yesss' -> 'yes', '嗯嗯' -> '嗯', 'うんうん' -> 'うん'; kana letters are kept doubled (ええ, ううん)."""
    word = re.sub(r"(.)\1+", lambda m: m.group(0) if _is_kana_letter(m.group(1)) else m.group(1), word)
    unit = _REPEATED_KANA_UNIT if any(_is_kana_letter(ch) for ch in word) else _REPEATED_UNIT
    match = unit.fullmatch(word)
    return match.group(1) if match else word


def _strip_endings(word: str, endings: Tuple[str, ...]) -> str:
    stripped = True
    while stripped:
        stripped = False
        for ending in endings:
            if word.endswith(ending) and len(word) > len(ending):
                word, stripped = word[: -len(ending)], True
    return word


# --- the lexicon ----------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Word:
    text: str  # normalised
    prefix: bool = False  # "agree*": may continue into a longer word
    suffix: bool = False  # "*n't": may end a longer word

    @property
    def found_inside_words(self) -> bool:
        """Han, kana, Thai and emoji are written without spaces: found anywhere."""
        return script_of(self.text[0]) in _SPACELESS_SCRIPTS or script_of(self.text[0]) is None

    @property
    def single_character(self) -> bool:
        return len(self.text) == 1 and script_of(self.text) in (HAN, KANA)


@dataclass(frozen=True)
class Block:
    """One language's lists, normalised."""
    categories: Dict[Word, str]  # word -> one of WORD_LISTS
    negations: FrozenSet[Word]
    particles: FrozenSet[str]
    endings: Tuple[str, ...]


@dataclass(frozen=True)
class Lexicon:
    """What is read for one language tag."""
    words: Tuple[Tuple[Word, str, bool], ...]  # (word, category, weak), longest first
    negations: Tuple[Word, ...]
    endings: Tuple[str, ...]
    fold_accents: bool
    single_characters: FrozenSet[str]  # Han/kana words of one character


def _parse_word(raw: object, endings: Tuple[str, ...], fold_accents: bool, where: str) -> Word:
    if not isinstance(raw, str):  # YAML reads an unquoted yes/no/on/off as a boolean
        raise ValueError(f"{where}: {raw!r} is not a string; quote it")
    text = normalise(raw.strip("*"), endings, fold_accents)
    if not text:
        raise ValueError(f"{where}: {raw!r} is empty once normalised")
    return Word(text, prefix=raw.endswith("*"), suffix=raw.startswith("*"))


@cache
def raw_lists() -> Dict[str, Dict[str, List[object]]]:
    """The lexicon file as written, read once."""
    return yaml.safe_load(LEXICON_FILE.read_text(encoding="utf-8"))


@cache
def block(tag: str, fold_accents: bool) -> Block:
    """One language's block from the file, parsed once per spelling."""
    return parse_block(tag, raw_lists()[tag], fold_accents)


def parse_block(tag: str, lists: Dict[str, List[object]], fold_accents: bool) -> Block:
    """One language's lists, normalised and checked: no word may be in two answer lists."""
    unknown = set(lists) - set(ALL_LISTS)
    if unknown:  # an unquoted `yes:` key reads as True
        raise ValueError(f"{tag}: unknown lists {sorted(map(str, unknown))}; quote the names")
    endings = tuple(normalise(str(e)) for e in lists.get("endings", ()))

    def words(name: str) -> List[Word]:
        return [_parse_word(raw, endings, fold_accents, f"{tag}.{name}") for raw in lists.get(name, ())]

    categories: Dict[Word, str] = {}
    seen: Dict[str, str] = {}
    for category in WORD_LISTS:
        for word in words(category):
            if seen.setdefault(word.text, category) != category:
                raise ValueError(f"{tag}: {word.text!r} is listed as both {seen[word.text]} and {category}")
            categories[word] = category
    particles = frozenset(word.text for word in words("particles"))
    for text in particles - set(seen):
        categories[Word(text)] = "neutral"
    return Block(categories, frozenset(words("negation")), particles, endings)


def _merged_disagreeing_as_ambiguous(parts: List[Block]) -> Block:
    """All blocks as one; a word that is yes in one language and no or unclear in another is ambiguous."""
    verdicts: Dict[Word, Set[str]] = {}
    for part in parts:
        for word, category in part.categories.items():
            verdicts.setdefault(word, set()).add(category)
    categories = {}
    for word, found in verdicts.items():
        answers = found - {"neutral"}
        categories[word] = "neutral" if not answers else answers.pop() if len(answers) == 1 else "ambiguous"
    return Block(categories, frozenset().union(*(p.negations for p in parts)),
                 frozenset().union(*(p.particles for p in parts)),
                 tuple(dict.fromkeys(e for p in parts for e in p.endings)))


def canonical_tag(language: Optional[str]) -> Optional[str]:
    """The lexicon's tag for a language tag ("en-US" -> "en", "zh-HK" -> "zh-Hant"), None if unknown."""
    known = {tag.lower(): tag for tag in raw_lists() if tag != UNIVERSAL}
    lowered = (language or "").strip().lower().replace("_", "-")
    for key, tag in known.items():
        if lowered == key or lowered.startswith(key + "-"):
            return tag
    primary = lowered.split("-")[0]
    return ALIASES.get(lowered) or ALIASES.get(primary) or known.get(primary)


@cache
def lexicon(tag: Optional[str]) -> Lexicon:
    """The patient's language first, then its Chinese sibling, English and the universal block;
    for an unknown tag, every block at once."""
    fold_accents = tag not in ACCENTS_MATTER
    if tag is None:
        layers = [_merged_disagreeing_as_ambiguous([block(name, True) for name in raw_lists()])]
    else:
        names = dict.fromkeys(n for n in (tag, SIBLINGS.get(tag), "en", UNIVERSAL) if n)
        layers = [block(name, fold_accents) for name in names]
    categories: Dict[Word, str] = {}
    for layer in layers:  # the first layer to list a word decides it
        for word, category in layer.categories.items():
            categories.setdefault(word, category)
    particles = frozenset().union(*(layer.particles for layer in layers))
    words = sorted(((word, category, word.text in particles) for word, category in categories.items()),
                   key=lambda item: -len(item[0].text))
    negations = sorted(frozenset().union(*(layer.negations for layer in layers)), key=lambda w: -len(w.text))
    singles = frozenset(word.text for word in categories if word.single_character)
    return Lexicon(tuple(words), tuple(negations), layers[0].endings, fold_accents, singles)


# --- reading --------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Reading:
    strong: FrozenSet[str]  # categories of the words found
    weak: FrozenSet[str]  # categories of particles found (they count only alone)
    negated: bool
    has_other_letters: bool  # letters that no listed word covers


def _read(text: object, language: str) -> Optional[Reading]:
    if not isinstance(text, str) or len(text) > MAX_INPUT_CHARS:
        return None
    vocabulary = lexicon(canonical_tag(language))
    normalised = normalise(text, vocabulary.endings, vocabulary.fold_accents)
    if not normalised or _too_long(normalised):
        return None
    return _scan(normalised, vocabulary)


def _too_long(normalised: str) -> bool:
    spaceless = sum(1 for ch in normalised if script_of(ch) in _SPACELESS_SCRIPTS and unicodedata.category(ch) != "Mn")
    return len(normalised.split()) > MAX_WORDS or spaceless > MAX_SPACELESS_LETTERS


def _scan(text: str, vocabulary: Lexicon) -> Reading:
    """Longest words first; each found word is masked so shorter ones cannot match inside it."""
    masked, for_negation = text, text
    strong: Set[str] = set()
    weak: Set[str] = set()
    negation_texts = {w.text for w in vocabulary.negations}
    covered = [False] * len(text)
    for word, category, is_particle in vocabulary.words:
        for start, end, covered_end in _occurrences(masked, word, vocabulary.single_characters):
            (weak if is_particle else strong).add(category)
            masked = _masked(masked, start, end)
            # Markers stay visible inside no words and negation words ("唔係好同意": 唔 negates 同意);
            # inside other words they negate nothing ("不好意思" is "sorry", "没问题" is yes).
            if category != "no" and word.text not in negation_texts:
                for_negation = _masked(for_negation, start, end)
            covered[start:covered_end] = [True] * (covered_end - start)
    negated = False
    for negation in vocabulary.negations:
        for start, _end, covered_end in _occurrences(for_negation, negation, None):
            negated = True
            covered[start:covered_end] = [True] * (covered_end - start)
    other_letters = any(not covered[i] and script_of(ch) for i, ch in enumerate(text))
    strong.discard("neutral")
    weak.discard("neutral")
    return Reading(frozenset(strong), frozenset(weak), negated, other_letters)


def _masked(text: str, start: int, end: int) -> str:
    return text[:start] + _MASK * (end - start) + text[end:]


def _occurrences(text: str, word: Word, single_characters: Optional[FrozenSet[str]]) -> List[Tuple[int, int, int]]:
    """(start, end, end of the covered text) of each place the word stands in the text.
    `single_characters` None: a one-character word counts anywhere (negations: 不 in 我不太同意)."""
    found = []
    start = text.find(word.text)
    while start != -1:
        end = start + len(word.text)
        if _stands_there(text, start, end, word, single_characters):
            found.append((start, end, _word_end(text, end) if word.prefix else end))
        start = text.find(word.text, start + 1)
    return found


def _stands_there(text: str, start: int, end: int, word: Word, single_characters: Optional[FrozenSet[str]]
                  ) -> bool:
    if word.single_character and single_characters is not None:  # 好 in "好啊" or "嗯 好", not in "你好"
        return _is_edge(text, start - 1, single_characters) and _is_edge(text, end, single_characters)
    if word.found_inside_words:
        return True
    starts_word = word.suffix or not _same_script(text, start - 1, word.text[0])
    ends_word = word.prefix or not _same_script(text, end, word.text[-1])
    return starts_word and ends_word


def _is_edge(text: str, index: int, single_characters: FrozenSet[str]) -> bool:
    return not 0 <= index < len(text) or text[index] in (" ", _MASK) or text[index] in single_characters


def _same_script(text: str, index: int, char: str) -> bool:
    return 0 <= index < len(text) and script_of(text[index]) is not None and script_of(text[index]) == script_of(char)


def _word_end(text: str, index: int) -> int:
    script = script_of(text[index - 1])
    while index < len(text) and script_of(text[index]) == script:
        index += 1
    return index


def _verdict(reading: Reading) -> YesNo:
    """Particles answer only alone: "ค่ะ" is yes, "ไม่ค่ะ" is no, "ค่ะ ขอนัดหมอฟัน" is for the NLU."""
    particles_alone = not reading.has_other_letters
    return (_decide(reading.strong, reading.negated)
            or (_decide(reading.weak, reading.negated) if particles_alone else None) or YesNo.UNKNOWN)


def _decide(categories: FrozenSet[str], negated: bool) -> Optional[YesNo]:
    if "unsure" in categories:
        return YesNo.AMBIGUOUS
    if "yes" in categories and negated:
        return YesNo.NO
    if "yes" in categories and "no" in categories:
        return YesNo.AMBIGUOUS
    if "no" in categories:
        return YesNo.NO
    if "yes" in categories:
        return YesNo.YES
    if "ambiguous" in categories:
        return YesNo.AMBIGUOUS
    return None
