"""Reading an appointment time as patients write it, in 12 languages: "3pm", "下午三点", "um halb drei" -> "14:30".

`parse_time(text, language)` returns "HH:MM" (24-hour), or None when the text gives no time ("tomorrow",
"no idea") or an impossible one ("25:00", "10:75").

How it reads:
1. The text is folded (NFKC, so full-width digits become ASCII; lower case; Arabic-Indic and Thai digits to
   ASCII; Arabic short vowels and letter variants; ё -> е) and dates written with digits are blanked out,
   so "12.03 um 14 Uhr", "12/03 at 3pm" or "2026-03-12" are not read as times.
2. Each language is a small grammar (data at the top): number-word tables, period words ("pm", "下午",
   "утра") and rules, which are regex templates where {H} and {M} stand for the hour and the minutes in
   digits or in that language's words, with an offset: "quarter to {H}" is {H}:00 minus 15 minutes.
3. The earliest time in the text wins (the longest reading where readings overlap); a period word next
   to it says morning or afternoon, and without one the clinic rule below decides.

The clinic rule: an hour said without a morning/afternoon word is an appointment during opening hours,
so 1-6 mean the afternoon (13:00-18:00: "at 3", "um halb drei", "两点半", "в половине третьего") and
7-12 stay as written. An explicit morning word ("3am", "上午", "утра", "de la mañana") keeps the morning;
a 24-hour form ("15:00", "03:00", "15 Uhr", "14.00 น.") is taken as written.

This module must not import actions.dates: dates.py imports parse_time from here.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Callable, Dict, Iterable, List, Optional, Pattern, Tuple

__all__ = ["parse_time"]

MAX_CHARS = 300  # only the start of a long message is read: a pasted letter costs the same as a short answer
NEAR = 12  # how many characters a period word may stand from its time: "tomorrow morning, at 9"

# ---------------------------------------------------------------------------------------------------------
# Number words. Keys are written as people spell them; they are folded like the text (lower case, Arabic
# letter variants, ё) and their spaces and hyphens match any spacing ("twenty-five", "twenty five").


def _tens_and_units(tens: Dict[str, int], units: Dict[str, int], form: str) -> Dict[str, int]:
    """'twenty' + 'five' -> {'twenty five': 25} with `form` saying how a language joins them."""
    return {form.format(t=t, u=u): tv + uv for t, tv in tens.items() for u, uv in units.items()}


def _between(words: Dict[str, int], low: int, high: int) -> Dict[str, int]:
    return {word: value for word, value in words.items() if low <= value <= high}


def _strip_accents(word: str) -> str:
    """'mười lăm' -> 'muoi lam', 'dieciséis' -> 'dieciseis': patients often type without accents."""
    plain = "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))
    return plain.replace("đ", "d")


def _plus_spellings(words: Dict[str, int], respell: Callable[[str], str]) -> Dict[str, int]:
    return {**{respell(word): value for word, value in words.items()}, **words}


_EN_UNITS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9}
_EN_NUMBERS = {
    **_EN_UNITS, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, **_tens_and_units({"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50}, _EN_UNITS, "{t} {u}"),
}
_EN_OH = {f"{oh} {unit}": value for oh in ("oh", "o") for unit, value in _EN_UNITS.items()}  # "ten oh five"

_FR_UNITS = {"un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8,
             "neuf": 9}
_FR_TENS = {"vingt": 20, "trente": 30, "quarante": 40, "cinquante": 50}
_FR_NUMBERS = {
    **_FR_UNITS, "dix": 10, "onze": 11, "douze": 12, "treize": 13, "quatorze": 14, "quinze": 15, "seize": 16,
    "dix-sept": 17, "dix-huit": 18, "dix-neuf": 19, **_FR_TENS,
    **_tens_and_units(_FR_TENS, {"et un": 1, "et une": 1}, "{t} {u}"),
    **_tens_and_units(_FR_TENS, _between(_FR_UNITS, 2, 9), "{t}-{u}"),
}

_DE_UNITS = {"ein": 1, "zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6, "sieben": 7, "acht": 8, "neun": 9}
_DE_NUMBERS = _plus_spellings({
    **_DE_UNITS, "eins": 1, "eine": 1, "zwo": 2, "zehn": 10, "elf": 11, "zwölf": 12, "dreizehn": 13,
    "vierzehn": 14, "fünfzehn": 15, "sechzehn": 16, "siebzehn": 17, "achtzehn": 18, "neunzehn": 19,
    "zwanzig": 20, "dreißig": 30, "vierzig": 40, "fünfzig": 50,
    **_tens_and_units({"zwanzig": 20, "dreißig": 30, "vierzig": 40, "fünfzig": 50}, _DE_UNITS, "{u}und{t}"),
}, lambda word: word.replace("ü", "ue").replace("ö", "oe"))  # "fuenf", "zwoelf": typed without umlauts

_ES_UNITS = {"uno": 1, "una": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7, "ocho": 8,
             "nueve": 9}
_ES_NUMBERS = _plus_spellings({
    **_ES_UNITS, "diez": 10, "once": 11, "doce": 12, "trece": 13, "catorce": 14, "quince": 15, "dieciséis": 16,
    "diecisiete": 17, "dieciocho": 18, "diecinueve": 19, "veinte": 20, "veintiuno": 21, "veintiuna": 21,
    "veintidós": 22, "veintitrés": 23, "veinticuatro": 24, "veinticinco": 25, "veintiséis": 26, "veintisiete": 27,
    "veintiocho": 28, "veintinueve": 29, "treinta": 30, "cuarenta": 40, "cincuenta": 50,
    **_tens_and_units({"treinta": 30, "cuarenta": 40, "cincuenta": 50}, _ES_UNITS, "{t} y {u}"),
}, _strip_accents)

# Russian hours come in several cases: "в два" / "к двум" / "около двух"; "час" alone is one o'clock.
_RU_HOURS = {
    "час": 1, "один": 1, "одного": 1, "одному": 1, "два": 2, "двух": 2, "двум": 2, "три": 3, "трёх": 3, "трём": 3,
    "четыре": 4, "четырёх": 4, "четырём": 4, "пять": 5, "пяти": 5, "шесть": 6, "шести": 6, "семь": 7, "семи": 7,
    "восемь": 8, "восьми": 8, "девять": 9, "девяти": 9, "десять": 10, "десяти": 10, "одиннадцать": 11,
    "одиннадцати": 11, "двенадцать": 12, "двенадцати": 12,
}
_RU_UNITS = {"одна": 1, "один": 1, "две": 2, "два": 2, "три": 3, "четыре": 4, "пять": 5, "шесть": 6, "семь": 7,
             "восемь": 8, "девять": 9}
_RU_TENS = {"двадцать": 20, "тридцать": 30, "сорок": 40, "пятьдесят": 50}
_RU_NUMBERS = {
    **_RU_UNITS, "десять": 10, "одиннадцать": 11, "двенадцать": 12, "тринадцать": 13, "четырнадцать": 14,
    "пятнадцать": 15, "шестнадцать": 16, "семнадцать": 17, "восемнадцать": 18, "девятнадцать": 19, **_RU_TENS,
    **_tens_and_units(_RU_TENS, _RU_UNITS, "{t} {u}"),
}
# "в половине третьего" (half of the third hour) = 2:30: the ordinal names the hour being entered
_RU_ORDINALS = {
    "первого": 1, "второго": 2, "третьего": 3, "четвёртого": 4, "пятого": 5, "шестого": 6, "седьмого": 7,
    "восьмого": 8, "девятого": 9, "десятого": 10, "одиннадцатого": 11, "двенадцатого": 12,
}
# "без пяти три" (three less five) = 2:55: minutes in the genitive
_RU_MINUTES_GENITIVE = {
    "одной": 1, "двух": 2, "трёх": 3, "четырёх": 4, "пяти": 5, "десяти": 10, "пятнадцати": 15, "двадцати": 20,
    "двадцати пяти": 25, "четверти": 15,
}

# Arabic: "الساعة الثالثة" (the third hour) is the written form, "الساعة ثلاثة" the spoken one.
_AR_ORDINALS = {
    "واحدة": 1, "ثانية": 2, "ثالثة": 3, "رابعة": 4, "خامسة": 5, "سادسة": 6, "سابعة": 7, "ثامنة": 8, "تاسعة": 9,
    "عاشرة": 10, "حادية عشرة": 11, "حادية عشر": 11, "حادي عشر": 11, "ثانية عشرة": 12, "ثانية عشر": 12,
    "ثاني عشر": 12,
}
_AR_ORDINALS = {**_AR_ORDINALS, **{"ال" + word: value for word, value in _AR_ORDINALS.items()}}
_AR_HOURS = {
    **_AR_ORDINALS, "اثنين": 2, "اتنين": 2, "ثنتين": 2, "ثلاث": 3, "ثلاثة": 3, "تلاتة": 3, "أربع": 4, "أربعة": 4,
    "خمس": 5, "خمسة": 5, "ست": 6, "ستة": 6, "سبع": 7, "سبعة": 7, "ثمان": 8, "ثماني": 8, "ثمانية": 8, "تمانية": 8,
    "تسع": 9, "تسعة": 9, "عشر": 10, "عشرة": 10, "أحد عشر": 11, "إحدى عشرة": 11, "حداشر": 11, "احداشر": 11,
    "اثنا عشر": 12, "اثنتا عشرة": 12, "اتناشر": 12, "اطناشر": 12,
}
_AR_MINUTES = {
    "خمس": 5, "خمسة": 5, "عشر": 10, "عشرة": 10, "ربع": 15, "الربع": 15, "ربعا": 15, "ثلث": 20, "الثلث": 20,
    "عشرين": 20, "خمسة وعشرين": 25, "خمس وعشرين": 25, "نص": 30, "نصف": 30, "النص": 30, "النصف": 30,
    "ثلاثين": 30, "خمسة وثلاثين": 35, "أربعين": 40, "خمسة وأربعين": 45, "خمسين": 50,
}

_VI_UNITS = {"một": 1, "hai": 2, "ba": 3, "bốn": 4, "năm": 5, "sáu": 6, "bảy": 7, "bẩy": 7, "tám": 8, "chín": 9}
_VI_AFTER_TENS = {**_VI_UNITS, "mốt": 1, "tư": 4, "lăm": 5, "nhăm": 5}  # 21 "hai mươi mốt", 25 "hai mươi lăm"
_VI_NUMBERS = {
    **_VI_UNITS, "mười": 10,
    **{f"mười {unit}": 10 + value for unit, value in {**_VI_UNITS, "lăm": 5}.items()},
    **{f"{tens} mươi": value * 10 for tens, value in _between(_VI_UNITS, 2, 5).items()},
    **{f"{tens} mươi {unit}": 10 * tens_value + value
       for tens, tens_value in _between(_VI_UNITS, 2, 5).items() for unit, value in _VI_AFTER_TENS.items()},
    **{f"{tens} lăm": 10 * tens_value + 5 for tens, tens_value in _between(_VI_UNITS, 2, 5).items()},  # "bốn lăm"
}
# without accents too, except "sau" ("after", not "sáu" 6)
_VI_NUMBERS = {**{_strip_accents(w): v for w, v in _VI_NUMBERS.items() if _strip_accents(w) != "sau"}, **_VI_NUMBERS}

_TH_UNITS = {"หนึ่ง": 1, "นึง": 1, "สอง": 2, "สาม": 3, "สี่": 4, "ห้า": 5, "หก": 6, "เจ็ด": 7, "แปด": 8, "เก้า": 9}
_TH_TENS = {"สิบ": 10, "ยี่สิบ": 20, "สามสิบ": 30, "สี่สิบ": 40, "ห้าสิบ": 50}
_TH_NUMBERS = {
    **_TH_UNITS, **_TH_TENS,
    **_tens_and_units(_TH_TENS, {**_between(_TH_UNITS, 2, 9), "เอ็ด": 1}, "{t}{u}"),  # 11 is "สิบเอ็ด"
}

_CJK_UNITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CJK_TENS = {"十": 10, "二十": 20, "三十": 30, "四十": 40, "五十": 50}
_CJK_NUMBERS = {
    "零": 0, "〇": 0, **_CJK_UNITS, **_CJK_TENS, **_tens_and_units(_CJK_TENS, _CJK_UNITS, "{t}{u}"),
    **{f"{zero}{unit}": value for zero in "零〇" for unit, value in _CJK_UNITS.items()},  # "十点零五"
}
_ZH_NUMBERS = {**_CJK_NUMBERS, "两": 2, "兩": 2}
# Cantonese counts minutes in 字 (five minutes, one numeral on the clock face): "三點三" = 3:15.
_ZH_CLOCK_FACE = {**_CJK_UNITS, "十": 10, "十一": 11, "两": 2, "兩": 2}

# Korean says hours in native numbers (한 시, 두 시, 세 시) and minutes in Sino-Korean ones (삼십 분).
_KO_HOURS = {
    "한": 1, "하나": 1, "두": 2, "둘": 2, "세": 3, "셋": 3, "네": 4, "넷": 4, "다섯": 5, "여섯": 6, "일곱": 7,
    "여덟": 8, "아홉": 9, "열": 10, "열 한": 11, "열하나": 11, "열 두": 12, "열둘": 12,
}
_KO_UNITS = {"일": 1, "이": 2, "삼": 3, "사": 4, "오": 5, "육": 6, "칠": 7, "팔": 8, "구": 9}
_KO_TENS = {"십": 10, "이십": 20, "삼십": 30, "사십": 40, "오십": 50}
_KO_MINUTES = {**_KO_UNITS, **_KO_TENS, **_tens_and_units(_KO_TENS, _KO_UNITS, "{t}{u}")}

# ---------------------------------------------------------------------------------------------------------
# Grammars


@dataclass(frozen=True)
class Rule:
    """One way of saying a time: a regex template and how to turn a match into hours and minutes.

    Placeholders: {H}/{M} the hour/minutes in digits or words, {HW}/{MW} words only, {HD}/{MD} digits
    only, {MM} two digits, {HM} optional ":30"/"h30" after an hour, other {NAME}s the grammar's tables;
    {P} any period word; {B}/{E} where a word starts/ends. The time is {H}:00 + offset + sign * {M} * unit minutes.
    """

    template: str
    offset: int = 0  # "half past {H}" +30, "quarter to {H}" -15
    sign: int = 1  # "{M} to {H}" counts the minutes back
    unit: int = 1  # minutes per {M}: 5 for the Cantonese 字
    hour: Optional[int] = None  # the hour of words without {H}: "noon", "เที่ยง"
    add: int = 0  # hours added to {H}: Thai "สองทุ่ม" (2nd hour of the night) = 20:00
    period: Optional[str] = None  # when the words say it themselves: "บ่าย{H}" is "pm", "{H} นาฬิกา" "24h"
    fallback: bool = False  # only when nothing else is found: "noon" gives way to "3pm" in "noon or 3pm"


@dataclass(frozen=True)
class Period:
    """A word for a part of the day. Kinds: "am", "pm", "noon" (1-5 are after noon), "night" (7-11 pm)."""

    pattern: str
    kind: str
    right_after: bool = False  # only straight after the time: "I am free at 3" is not 03:00
    with_bare_number: bool = True  # "10 утра" is a time; "3 дня" is not ("3 days"), only "в 3 дня" is


@dataclass(frozen=True)
class Table:
    group: str  # "h" or "m": which value the words give
    words: Dict[str, int]
    digits: str = ""  # digits accepted too, as a regex


@dataclass(frozen=True)
class Grammar:
    hours: Dict[str, int]
    minutes: Dict[str, int]
    periods: Tuple[Period, ...]
    rules: Tuple[Rule, ...]
    tables: Dict[str, Table] = field(default_factory=dict)
    spaced: bool = True  # words are separated by spaces, so number words must start and end a word
    left: str = r"(?<![^\W\d_])"  # {B}: not after a letter
    guard: str = ""  # put before every rule: durations are not times ("через 3 часа" = in 3 hours)


_RIGHT = r"(?![^\W\d_])"  # {E}: not followed by a letter
_H_DIGITS = r"(?<![\d:.,$€£¥₽₫฿])\d{1,2}(?!\d)"
_M_DIGITS = r"(?<!\d)\d{1,2}(?!\d)"
_TWO_DIGITS = r"(?<!\d)\d{2}(?!\d)"

# In every language: "10:30", "10.30" (a dotted day-month such as "12.03" is blanked as a date first).
_COMMON = (Rule(r"{HD}[:.]{MM}(?!\s?(?:[$€£¥₽₫฿%]|eur|euro|usd|руб|đ))"),)
# Where period words follow the time: "3 pm", "10 утра", "4 de la tarde", "2 ظهرا".
_PERIOD_AFTER = (Rule(r"{B}{H}(?:[:.]{MM})?\s?{P}"),)

_EN = Grammar(
    hours=_between(_EN_NUMBERS, 1, 12),
    minutes={**_EN_NUMBERS, **_EN_OH},
    tables={"M2": Table("m", {**_between(_EN_NUMBERS, 10, 59), **_EN_OH})},  # "ten thirty", not "ten two"
    periods=(
        Period(r"a\.?m\.?", "am", right_after=True),
        Period(r"p\.?m\.?", "pm", right_after=True),
        Period(r"(?:in\s+the\s+)?(?<!good\s)morning", "am"),
        Period(r"(?:in\s+the\s+)?(?:afternoon|evening)|tonight", "pm"),
        Period(r"(?:at\s+)?night", "night"),
        Period(r"noon|midday|lunch\s?time", "noon"),
    ),
    rules=_COMMON + _PERIOD_AFTER + (
        Rule(r"{B}{H}\s?o'?\s?clock{E}"),
        Rule(r"{B}{H}(?:[:.]{MM})?\s?-?ish{E}"),
        Rule(r"{B}half\s+past\s+{H}", offset=30),
        Rule(r"{B}half\s+{HW}", offset=30),  # British "half two" = 2:30
        Rule(r"{B}(?:a\s+)?quarter\s+(?:past|after)\s+{H}", offset=15),
        Rule(r"{B}(?:a\s+)?quarter\s+(?:to|of|before|till?)\s+{H}", offset=-15),
        Rule(r"{B}{M}\s+(?:minutes?\s+)?(?:past|after)\s+{H}"),
        Rule(r"{B}{MW}\s+(?:minutes?\s+)?(?:to|of|before|till?)\s+{H}", sign=-1),  # not "from 2 to 4"
        Rule(r"{B}{MD}\s+minutes?\s+(?:to|before)\s+{H}", sign=-1),
        Rule(r"{B}{HW}[\s-]+{M2}"),  # "ten thirty", "two-fifteen", "ten oh five"
        Rule(r"{B}(?:at|around|about|by|after|from|before|till|until|say|@)\s*{H}{HM}"
             r"(?!\s*(?:days?|weeks?|months?|years?|hours?|hrs?|minutes?|mins?|people|persons?|patients?|of|"
             r"st|nd|rd|th|points?|times?|%|percent)(?![^\W\d_]))"),
        Rule(r"{B}(?:noon|midday|lunch\s?time)(?:ish)?{E}", hour=12, period="24h", fallback=True),
        Rule(r"{B}midnight{E}", hour=0, period="24h", fallback=True),
    ),
)

_FR_MONTHS = r"janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[uû]t|septembre|octobre|novembre|d[ée]cembre"
_NOT_AFTERNOON = r"(?<!apr[èe]s-)(?<!apr[èe]s\s)"  # "midi" in "après-midi" is the afternoon, not noon
_FR = Grammar(
    hours=_between(_FR_NUMBERS, 1, 23),  # "quatorze heures"
    minutes=_FR_NUMBERS,
    periods=(
        Period(r"matin(?:[ée]e)?", "am"),
        Period(r"apr[èe]s-?\s?midi|aprem|apr[èe]m|soir(?:[ée]e)?", "pm"),
        Period(r"nuit", "night"),
        Period(_NOT_AFTERNOON + r"midi", "noon"),
    ),
    guard=r"(?<!dans\s)(?<!pendant\s)(?<!durant\s)(?<!depuis\s)",  # "dans 3 heures" = in 3 hours
    rules=_COMMON + _PERIOD_AFTER + (
        Rule(r"{B}{H}\s?(?:h|heures?){E}"),
        Rule(r"{B}{H}\s?(?:h|heures?)\s?{M}{E}"),  # "14h30", "dix heures trente"
        Rule(r"{B}{H}(?:\s?(?:h|heures?))?\s+et\s+demie?{E}", offset=30),
        Rule(r"{B}{H}(?:\s?(?:h|heures?))?\s+et\s+quart{E}", offset=15),
        Rule(r"{B}{H}(?:\s?(?:h|heures?))?\s+moins\s+(?:le\s+)?quart{E}", offset=-15),
        Rule(r"{B}{H}(?:\s?(?:h|heures?))?\s+moins\s+{M}{E}", sign=-1),
        Rule(r"{B}(?:à|vers|pour|dès|avant|après|jusqu'à|aux\s+alentours\s+de|autour\s+de)\s+{H}{HM}"
             rf"(?!\s*(?:jours?|semaines?|mois|ans|années?|minutes?|personnes?|er|e|ème|%|{_FR_MONTHS})"
             r"(?![^\W\d_]))"),
        Rule(_NOT_AFTERNOON + r"{B}midi\s+et\s+demie?{E}", hour=12, offset=30),
        Rule(_NOT_AFTERNOON + r"{B}midi\s+et\s+quart{E}", hour=12, offset=15),
        Rule(_NOT_AFTERNOON + r"{B}midi\s+moins\s+(?:le\s+)?quart{E}", hour=12, offset=-15),
        Rule(_NOT_AFTERNOON + r"{B}midi{E}", hour=12, period="24h", fallback=True),
        Rule(r"{B}minuit{E}", hour=0, period="24h", fallback=True),
    ),
)

_DE_MONTHS = r"januar|februar|märz|maerz|april|mai|juni|juli|august|september|oktober|november|dezember"
_DE = Grammar(
    hours=_between(_DE_NUMBERS, 1, 23),
    minutes=_DE_NUMBERS,
    tables={"M2": Table("m", _between(_DE_NUMBERS, 10, 59))},
    periods=(
        # not "morgen" (tomorrow): "morgen um 3" is 15:00
        Period(r"morgens|früh|frueh|vormittags?|am\s+morgen|in\s+der\s+früh", "am"),
        Period(r"nachmittags?|abends?", "pm"),
        Period(r"nachts|in\s+der\s+nacht", "night"),
        Period(r"mittags?", "noon"),
    ),
    rules=_COMMON + _PERIOD_AFTER + (
        Rule(r"{B}{H}\s?uhr{E}"),
        Rule(r"{B}{H}\s?uhr\s?{M}{E}"),  # "10 Uhr 30", "zehn Uhr dreißig"
        Rule(r"{B}{HD}[.:]{MM}\s?uhr{E}"),
        Rule(r"{B}halb\s+{H}", offset=-30),  # "halb drei" = 2:30
        Rule(r"{B}viertel\s+nach\s+{H}", offset=15),
        Rule(r"{B}viertel\s+vor\s+{H}", offset=-15),
        Rule(r"{B}drei\s?viertel\s+{H}", offset=-15),  # "dreiviertel drei" = 2:45
        Rule(r"{B}viertel\s+{H}", offset=-45),  # "viertel drei" = 2:15 (eastern and southern German)
        Rule(r"{B}{M}\s+(?:minuten\s+)?nach\s+halb\s+{H}", offset=-30),
        Rule(r"{B}{M}\s+(?:minuten\s+)?vor\s+halb\s+{H}", offset=-30, sign=-1),
        Rule(r"{B}{M}\s+(?:minuten\s+)?nach\s+{H}"),
        Rule(r"{B}{M}\s+(?:minuten\s+)?vor\s+{H}", sign=-1),
        Rule(r"{B}{HW}\s+{M2}"),  # "zehn dreißig"
        Rule(r"{B}(?:um|gegen|ab|bis)\s+{H}{HM}"
             rf"(?!\.?\s*(?:tage?n?|wochen?|monate?n?|jahre?n?|minuten|stunden|personen|leute|%|{_DE_MONTHS})"
             r"(?![^\W\d_]))"),
        Rule(r"{B}(?:zu\s+)?mittags?{E}", hour=12, period="24h", fallback=True),
        Rule(r"{B}mitternacht{E}", hour=0, period="24h", fallback=True),
    ),
)

# After "las {H}" in words only these may follow: "las dos opciones" is not two o'clock.
_ES_AFTER_HOUR_WORD = (r"(?!\s+(?!(?:y|menos|en|de|del|por|horas?|hs?|ma[ñn]ana|hoy|esta|el|o|u|a|para|pm|am)"
                       r"(?![^\W\d_]))[^\W\d_])")
_ES = Grammar(
    hours=_between(_ES_NUMBERS, 1, 23),
    minutes=_ES_NUMBERS,
    tables={"M2": Table("m", _between(_ES_NUMBERS, 10, 59))},
    periods=(
        # "mañana" alone is tomorrow: only "de/por la mañana" is the morning
        Period(r"(?:de|por|en|esta)\s+(?:la\s+)?ma[ñn]ana|(?:de\s+la\s+)?madrugada", "am"),
        Period(r"(?:de|por|en|esta)\s+(?:la\s+)?tarde", "pm"),
        Period(r"(?:de|por|en|esta)\s+(?:la\s+)?noche", "night"),
        Period(r"mediod[ií]a", "noon"),
    ),
    rules=_COMMON + _PERIOD_AFTER + (
        Rule(r"{B}las\s+{HD}{HM}"),
        Rule(r"{B}las\s+{HW}" + _ES_AFTER_HOUR_WORD),
        Rule(r"{B}la\s+una{E}", hour=1),
        Rule(r"{B}{H}\s+y\s+media{E}", offset=30),
        Rule(r"{B}{H}\s+y\s+cuarto{E}", offset=15),
        Rule(r"{B}{H}\s+menos\s+cuarto{E}", offset=-15),
        Rule(r"{B}{H}\s+menos\s+{M}{E}", sign=-1),
        Rule(r"{B}{H}\s+y\s+{M}{E}"),
        Rule(r"{B}{H}\s+en\s+punto{E}"),
        Rule(r"{B}{HD}\s?h(?:s|rs)?\.?\s?{MD}?{E}"),  # "10h", "10h30" (Spain)
        Rule(r"{B}{HW}\s+{M2}{E}"),  # "diez treinta"
        Rule(r"{B}(?:al\s+)?mediod[ií]a{E}", hour=12, period="24h", fallback=True),
        Rule(r"{B}medianoche{E}", hour=0, period="24h", fallback=True),
    ),
)

_RU_MONTHS = r"январ|феврал|март|апрел|ма[яй]|июн|июл|август|сентябр|октябр|ноябр|декабр"
_RU = Grammar(
    hours=_RU_HOURS,
    minutes=_RU_NUMBERS,
    tables={
        "ORD": Table("h", _RU_ORDINALS),
        "POL": Table("h", {f"пол {word}": value for word, value in _RU_ORDINALS.items()}),  # "полтретьего"
        "GEN": Table("m", _RU_MINUTES_GENITIVE, _M_DIGITS),
        "M2": Table("m", _between(_RU_NUMBERS, 10, 59)),
    },
    periods=(
        Period(r"утра|утром|с\s+утра", "am"),
        # "дня" is also "days": it says afternoon after a time ("в 3 дня", "в три часа дня"), and
        # does not make a bare number a time ("голова болит 3 дня")
        Period(r"(?<=\d\s)дня(?!\s+назад)|(?<=\d)дня", "pm", with_bare_number=False),
        Period(r"(?<=час\s)дня|(?<=часа\s)дня|(?<=часов\s)дня|дн[её]м|после\s+обеда|после\s+полудня|вечера|"
               r"вечером", "pm"),
        Period(r"ночи|ночью", "night"),
        Period(r"(?<!после\s)обеда?|в\s+обед|полдень", "noon"),
    ),
    guard=r"(?<!через\s)(?<!за\s)(?<!течение\s)",  # "через 3 часа" = in 3 hours
    rules=_COMMON + _PERIOD_AFTER + (
        Rule(r"{B}(?:в|во|около|к|после|с|до|примерно\s+в|ровно\s+в)\s+{H}{HM}"
             rf"(?!\s*(?:дней|недел|месяц|год|лет|минут|человек|числ|кабинет|класс|%|{_RU_MONTHS}))"),
        Rule(r"{B}{H}\s?час(?:а|ов)?{E}"),
        Rule(r"{B}{H}\s?час(?:а|ов)?\s+{M}(?:\s+минут[аы]?)?{E}"),  # "в 10 часов 30 минут"
        Rule(r"{B}{HD}\s?ч{E}\.?(?:\s?{MD}(?:\s?мин{E}\.?)?)?"),  # "10ч30", "10 ч."
        Rule(r"{B}{POL}{E}", offset=-30),  # "пол третьего" = 2:30
        Rule(r"{B}половин[аеуы]\s+{ORD}{E}", offset=-30),  # "в половине третьего" = 2:30
        Rule(r"{B}четверть\s+{ORD}{E}", offset=-45),  # "четверть одиннадцатого" = 10:15
        Rule(r"{B}{M}\s+минут[аы]?\s+{ORD}{E}", offset=-60),  # "десять минут третьего" = 2:10
        Rule(r"{B}без\s+{GEN}(?:\s+минут[ы]?)?\s+{H}", sign=-1),  # "без четверти три" = 2:45
        Rule(r"{B}{HW}\s+{M2}{E}"),  # "десять тридцать"
        Rule(r"{B}(?:полдень|полудня|в\s+обед){E}", hour=12, period="24h", fallback=True),
        Rule(r"{B}(?:полночь|полуночи){E}", hour=0, period="24h", fallback=True),
    ),
)

_AR_HOUR_WORD = r"(?:ال)?ساعة"  # folded to "ساعه" with the text
_AR_MINUTE_WORD = r"(?:\s*(?:دقيقة|دقائق|دقايق))?"
_AR = Grammar(
    hours=_AR_HOURS,
    minutes=_AR_MINUTES,
    tables={"ORD": Table("h", _AR_ORDINALS)},
    # "و" (and) and "ب" (at) are written joined to the next word: "والنصف", "بالساعة"
    left=r"(?<![^\W\d_وب])",
    periods=(
        Period(r"صباحا|الصباح|صباح(?!\s*الخير)|الصبح|صبحا|الفجر|فجرا|قبل\s*الظهر", "am"),
        Period(r"بعد\s*الظهر|بعد\s*الظهيرة|عصرا|العصر|مساء|مساءا|المساء|مسا", "pm"),
        Period(r"(?<!بعد\s)(?<!قبل\s)(?:ال)?ظهرا?|الظهيرة", "noon"),
        Period(r"ليلا|الليل|بالليل", "night"),
    ),
    rules=_COMMON + _PERIOD_AFTER + (
        Rule(_AR_HOUR_WORD + r"\s*{H}{HM}{E}"),  # "الساعة 10", "الساعة العاشرة", "الساعة ثلاثة"
        Rule(_AR_HOUR_WORD + r"\s*{H}\s*و\s*{M}" + _AR_MINUTE_WORD + "{E}"),  # "الساعة الثالثة والنصف"
        Rule(_AR_HOUR_WORD + r"\s*{H}\s*إلا\s*{M}" + _AR_MINUTE_WORD + "{E}", sign=-1),  # "الرابعة إلا ربع"
        Rule(r"{B}{ORD}\s*و\s*{M}" + _AR_MINUTE_WORD + "{E}"),
        Rule(r"{B}{ORD}\s*إلا\s*{M}" + _AR_MINUTE_WORD + "{E}", sign=-1),
        Rule(r"{B}(?<!بعد\s)(?<!قبل\s)(?:ال)?ظهرا?{E}|منتصف\s+النهار", hour=12, period="24h", fallback=True),
        Rule(r"منتصف\s+الليل", hour=0, period="24h", fallback=True),
    ),
)

_VI_HOUR_WORD = r"(?:giờ|gio)"
_VI_MINUTE_WORD = r"(?:\s?(?:phút|phut|p))?"
_VI = Grammar(
    hours=_between(_VI_NUMBERS, 1, 23),
    minutes=_VI_NUMBERS,
    periods=(
        Period(r"(?<!chào\sbuổi\s)sáng", "am"),  # not the greeting "chào buổi sáng"
        Period(r"chiều|chieu|tối", "pm"),  # "toi" without accents is "tôi" (I), not "tối"
        Period(r"đêm|khuya", "night"),
        Period(r"trưa|trua", "noon"),
    ),
    guard=r"(?<!trong\s)(?<!mất\s)",  # "trong 2 giờ" = for 2 hours
    rules=_COMMON + _PERIOD_AFTER + (
        Rule(r"{B}{H}\s?" + _VI_HOUR_WORD + r"{E}(?!\s*(?:nữa|nua|đồng\s*hồ|dong\s*ho))"),  # "3 giờ nữa" = in 3 hours
        Rule(r"{B}{H}\s?" + _VI_HOUR_WORD + r"\s?{M}" + _VI_MINUTE_WORD + "{E}"),  # "8 giờ 30 phút"
        Rule(r"{B}{HD}\s?h\s?{MD}?" + _VI_MINUTE_WORD + "{E}"),  # "9h", "9h30"
        Rule(r"{B}{HD}g{MD}{E}"),  # "8g30"
        Rule(r"{B}{H}\s?(?:" + _VI_HOUR_WORD + r"|h)\s?(?:rưỡi|ruoi){E}", offset=30),
        Rule(r"{B}{H}\s(?:rưỡi|ruoi){E}", offset=30),  # "3 rưỡi chiều": spoken without "giờ"
        Rule(r"{B}{H}\s?(?:" + _VI_HOUR_WORD + r"|h)\s?(?:kém|kem)\s?{M}" + _VI_MINUTE_WORD + "{E}", sign=-1),
        Rule(r"{B}(?:lúc|luc|vào\s+lúc|khoảng|tầm)\s+{H}{HM}"
             r"(?!\s*(?:ngày|tuần|tháng|năm|tiếng|phút|người|lần)(?![^\W\d_]))"),
        Rule(r"{B}(?:buổi\s+)?(?:trưa|trua){E}", hour=12, period="24h", fallback=True),
        Rule(r"{B}nửa\s+đêm{E}", hour=0, period="24h", fallback=True),
    ),
)

# Thai counts the day in four watches: ตีหนึ่ง-ตีห้า 1-5, หกโมงเช้า-สิบเอ็ดโมง 6-11, เที่ยง 12,
# บ่ายโมง-บ่ายสี่โมง 13-16 (also สี่โมงเย็น-หกโมงเย็น 16-18), หนึ่งทุ่ม-ห้าทุ่ม 19-23.
# "น." / "นาฬิกา" is the 24-hour clock. Each watch may end in "ครึ่ง" (half) or minutes.
_TH_WATCHES = (
    (r"ตี\s*{H}", {"period": "am"}),
    (r"{H}\s*โมง\s*เช้า", {"period": "am"}),
    (r"{H}\s*โมง", {}),
    (r"บ่าย\s*โมง", {"hour": 1, "period": "pm"}),
    (r"บ่าย\s*{H}(?:\s*โมง)?", {"period": "pm"}),
    (r"{H}\s*โมง\s*เย็น", {"period": "pm"}),
    (r"{H}\s*ทุ่ม", {"add": 18, "period": "24h"}),
    (r"ทุ่ม\s*(?:นึง|หนึ่ง)?", {"hour": 19, "period": "24h"}),
    (r"{H}\s*นาฬิกา", {"period": "24h"}),
    (r"เที่ยง(?:วัน|ตรง)?(?!\s*คืน)", {"hour": 12, "period": "24h"}),
)
_TH_ENDINGS = (("", {}), (r"\s*ครึ่ง", {"offset": 30}), (r"\s*{M}(?:\s*นาที)?", {}))
_TH = Grammar(
    hours=_between(_TH_NUMBERS, 1, 24),
    minutes=_TH_NUMBERS,
    spaced=False,
    left="",
    periods=(
        Period(r"เช้า", "am"),
        Period(r"บ่าย|เย็น", "pm"),
        Period(r"กลางคืน|ดึก", "night"),
        Period(r"เที่ยง(?!\s*คืน)", "noon"),
    ),
    rules=_COMMON + tuple(
        # a bare "เที่ยง" (noon) gives way to any clock time in the same text
        Rule(watch + ending, fallback=watch.startswith("เที่ยง") and not ending, **{**how, **more})
        for watch, how in _TH_WATCHES for ending, more in _TH_ENDINGS
    ) + (
        Rule(r"{HD}[.:]{MM}\s*(?:น\b|น\.|นาฬิกา)", period="24h"),  # "10.30 น."
        Rule(r"{HD}\s*น\.", period="24h"),
        Rule(r"เที่ยงคืน", hour=0, period="24h", fallback=True),
    ),
)

_CJK_BEFORE_NUMBER = r"(?=[0-9零〇一二两兩三四五六七八九十])"
_ZH = Grammar(
    hours=_between(_ZH_NUMBERS, 0, 24),
    minutes=_between(_ZH_NUMBERS, 0, 59),
    tables={
        "ZI": Table("m", _ZH_CLOCK_FACE),
        # minutes after 点 without 分: two digits or a numeral of 12 and more ("三点十五", "十点零五")
        "M2": Table("m", {w: v for w, v in _CJK_NUMBERS.items() if v >= 12 or w[0] in "零〇"}, _TWO_DIGITS),
    },
    spaced=False,
    left="",
    # "有一点" / "早一点" / "快一点" / "一点也不" are "a little" / "a little earlier" / "not at all", not 1:00
    guard=r"(?!(?<=[有快好早晚多少慢再差些])[一壹])(?![一壹][点點][也都])",
    periods=(
        Period(r"上午|早上|早晨|清晨|凌晨|朝早|朝頭早|朝头早|上晝|上昼|今早|明早|早" + _CJK_BEFORE_NUMBER, "am"),
        Period(r"下午|下晝|下昼|晏晝|晏昼|傍晚|黄昏|黃昏|晚上|夜晚|今晚|明晚|晚" + _CJK_BEFORE_NUMBER, "pm"),
        Period(r"中午|午间|午間|正午|晌午", "noon"),
        Period(r"半夜|深夜|夜里|夜裡|夜间|夜間", "night"),
    ),
    rules=_COMMON + (
        Rule(r"{H}[点點](?:钟|鐘|整)?(?![点點儿兒])"),
        Rule(r"{H}[点點]半", offset=30),
        Rule(r"{H}[点點][一1]刻", offset=15),
        Rule(r"{H}[点點][三3]刻", offset=45),
        Rule(r"{H}[点點](?:过|過)?{M}(?:分钟|分鐘|分)"),
        Rule(r"{H}[点點](?:过|過)?{M2}(?![分\d])"),
        # Cantonese "三點三" = 3:15, but Mandarin "三点三十" = 3:30 and "三点十五" = 3:15
        Rule(r"{H}[点點]{ZI}(?:个字|個字)?(?![分刻\d零〇一二两兩三四五六七八九十])", unit=5),
        Rule(r"{H}[点點](?:差|欠){M}(?:分钟|分鐘|分)?", sign=-1),
        Rule(r"差{M}(?:分钟|分鐘|分)?{H}[点點]", sign=-1),
        Rule(r"差[一1]刻{H}[点點]", offset=-15),
        Rule(r"{H}[点點](?:差|欠)[一1]刻", offset=-15),
        Rule(r"{H}[时時](?![间間候的])"),  # formal "15时30分"; not 时间 (time), 一时的 (temporary)
        Rule(r"{H}[时時]半", offset=30),
        Rule(r"{H}[时時]{M}分"),
        Rule(r"中午|正午|晌午", hour=12, period="24h", fallback=True),
        Rule(r"午夜", hour=0, period="24h", fallback=True),
    ),
)

_JA = Grammar(
    hours=_between(_CJK_NUMBERS, 0, 24),
    minutes=_between(_CJK_NUMBERS, 0, 59),
    spaced=False,
    left="",
    periods=(
        Period(r"午前|早朝|明け方|今朝|朝", "am"),
        Period(r"午後|夕方", "pm"),
        Period(r"夜中|深夜|夜|晩", "night"),
        Period(r"お昼|昼|正午|日中", "noon"),
    ),
    rules=_COMMON + (
        Rule(r"{H}[時时](?![間间的])"),  # not "2時間" (two hours), "一時的" (temporary)
        Rule(r"{H}[時时]半", offset=30),
        Rule(r"{H}[時时]{M}分(?!前)"),
        Rule(r"{H}[時时]{M}分前", sign=-1),  # "10時5分前" = 9:55
        Rule(r"正午|お?昼(?:頃|ごろ)?", hour=12, period="24h", fallback=True),
        Rule(r"真夜中", hour=0, period="24h", fallback=True),
    ),
)

_KO_HOUR_WORD = r"\s*시(?![간작적험설청장내계민각])"  # not 시간 (hours), 시작 (start), 시험 (exam), ...
_KO = Grammar(
    hours=_KO_HOURS,
    minutes=_KO_MINUTES,
    spaced=False,  # "오후세시" is written without spaces too
    left="",
    periods=(
        Period(r"오전|(?<!좋은\s)아침|새벽", "am"),
        Period(r"오후|저녁", "pm"),
        Period(r"밤", "night"),
        Period(r"점심|낮|정오", "noon"),
    ),
    rules=_COMMON + (
        Rule(r"{H}" + _KO_HOUR_WORD),
        Rule(r"{H}\s*시\s*반", offset=30),
        Rule(r"{H}\s*시\s*{M}\s*분(?!\s*전)"),
        Rule(r"{H}\s*시\s*{M}\s*분\s*전", sign=-1),  # "10시 5분 전" = 9:55
        Rule(r"정오|점심(?:\s*시간|때)?", hour=12, period="24h", fallback=True),
        Rule(r"자정", hour=0, period="24h", fallback=True),
    ),
)

GRAMMARS: Dict[str, Grammar] = {
    "en": _EN, "fr": _FR, "de": _DE, "es": _ES, "ru": _RU, "ar": _AR, "vi": _VI, "th": _TH,
    "zh-Hans": _ZH, "zh-Hant": _ZH, "ja": _JA, "ko": _KO,
}

# ---------------------------------------------------------------------------------------------------------
# Folding and dates

_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹๐๑๒๓๔๕๖๗๘๙", "0123456789" * 3)
_LETTERS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي", "ё": "е",
                          "’": "'", "‘": "'", "٫": ".", "،": ","})
_ARABIC_MARKS = re.compile("[\u064b-\u065f\u0670\u0640]")  # short vowels, tanween, dagger alef, tatweel

_DATES = re.compile(
    r"(?<!\d)\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}(?!\d)"  # 2026-03-12, 2026/3/12
    r"|(?<![\d:])\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}(?!\d)"  # 12.03.2026, 12/03/26
    r"|(?<![\d:.])\d{1,2}/\d{1,2}(?![\d:])"  # 12/03: a slash is never a clock
)
_DAY_DOT_MONTH = re.compile(r"(?<![\d:.,])(\d{1,2})\.(\d{1,2})(?![\d:])")
# "12.03" is a date unless a clock word is next to it: "um 14.30", "10.30 น.", "14.15 Uhr"
_CLOCK_AFTER = re.compile(r"\s?(?:uhr|h|ч|час|giờ|gio|heures?|น|นาฬิกา|o'clock|am|pm|a\.m|p\.m)(?![^\W\d_])")
_CLOCK_BEFORE = re.compile(r"(?<!\w)(?:at|um|gegen|ab|в|во|à|vers|lúc|luc|las|ساعه)\s?$")


def _fold(text: str) -> str:
    """What every rule reads: one spelling for digits, letters and spaces (not accents: "tôi" is not "tối")."""
    text = unicodedata.normalize("NFKC", text).casefold().translate(_DIGITS).translate(_LETTERS)
    return " ".join(_ARABIC_MARKS.sub("", text).split())


def _fold_pattern(pattern: str) -> str:
    """Templates are written with ordinary Arabic and Russian spelling; fold those letters like the text."""
    return _ARABIC_MARKS.sub("", pattern.translate(_LETTERS))


def _without_dates(text: str) -> str:
    text = _DATES.sub(" ¦ ", text)

    def day_month(match: re.Match) -> str:
        day, month = int(match.group(1)), int(match.group(2))
        is_date = (1 <= day <= 31 and 1 <= month <= 12 and not _CLOCK_AFTER.match(text, match.end())
                   and not _CLOCK_BEFORE.search(text, 0, match.start()))
        return " ¦ " if is_date else match.group(0)

    return _DAY_DOT_MONTH.sub(day_month, text)


# ---------------------------------------------------------------------------------------------------------
# Compiling the grammars

_PLACEHOLDER = re.compile(r"\{([A-Z][A-Z0-9]*)\}")


def _key(word: str) -> str:
    return re.sub(r"[\s-]+", "", _fold(word))


def _word_pattern(words: Iterable[str]) -> str:
    """An alternation, longest first (so "열두" wins over "열"), any spacing between a word's parts."""
    forms = sorted({_fold(word) for word in words}, key=len, reverse=True)
    return "|".join(r"[\s-]*".join(re.escape(part) for part in re.split(r"[\s-]+", form)) for form in forms)


@dataclass(frozen=True)
class _Compiled:
    regex: Pattern[str]
    rule: Rule
    values: Dict[str, Dict[str, int]]  # group ("h"/"m") -> folded word -> value


@dataclass(frozen=True)
class _CompiledGrammar:
    rules: Tuple[_Compiled, ...]
    periods: Tuple[Tuple[Pattern[str], Period], ...]


def _placeholder(name: str, grammar: Grammar) -> Tuple[str, Dict[str, int], str]:
    """The group, the words and the digits regex a placeholder stands for."""
    if name in ("H", "HW", "HD"):
        return "h", grammar.hours if name != "HD" else {}, _H_DIGITS if name != "HW" else ""
    if name in ("M", "MW", "MD", "MM"):
        digits = {"M": _M_DIGITS, "MD": _M_DIGITS, "MM": _TWO_DIGITS}.get(name, "")
        return "m", grammar.minutes if name in ("M", "MW") else {}, digits
    table = grammar.tables[name]
    return table.group, table.words, table.digits


def _compile_rule(rule: Rule, grammar: Grammar, periods: str) -> _Compiled:
    right = _RIGHT if grammar.spaced else ""
    values: Dict[str, Dict[str, int]] = {}

    def expand(match: re.Match) -> str:
        name = match.group(1)
        if name == "B":
            return grammar.left
        if name == "E":
            return right
        if name == "P":
            return f"{grammar.left}(?:{periods}){right}"
        if name == "HM":  # minutes after an hour, optional: "at 10", "at 10:30", "vers 14h30"
            return _PLACEHOLDER.sub(expand, r"(?:(?:[:.]|\s?h\s?){MM})?")
        group, words, digits = _placeholder(name, grammar)
        values[group] = {_key(word): value for word, value in words.items()}
        options = [digits] if digits else []
        if words:
            options.append(f"{grammar.left}(?:{_word_pattern(words)}){right}")
        return f"(?P<{group}>{'|'.join(options)})"

    pattern = _PLACEHOLDER.sub(expand, _fold_pattern(rule.template))
    return _Compiled(re.compile(grammar.guard + pattern), rule, values)


def _compile(grammar: Grammar) -> _CompiledGrammar:
    right = _RIGHT if grammar.spaced else ""
    periods = "|".join(f"(?:{_fold_pattern(period.pattern)})" for period in grammar.periods
                       if period.with_bare_number)
    return _CompiledGrammar(
        rules=tuple(_compile_rule(rule, grammar, periods) for rule in grammar.rules),
        periods=tuple((re.compile(f"{grammar.left}(?:{_fold_pattern(period.pattern)}){right}"), period)
                      for period in grammar.periods),
    )


_BY_GRAMMAR = {id(grammar): _compile(grammar) for grammar in GRAMMARS.values()}  # zh-Hans/zh-Hant: compiled once
_COMPILED: Dict[str, _CompiledGrammar] = {language: _BY_GRAMMAR[id(g)] for language, g in GRAMMARS.items()}
# without a language, or when the given one finds nothing: every grammar, once each, in this order
_ORDER = ("en", "fr", "de", "es", "ru", "ar", "zh-Hans", "ja", "ko", "vi", "th")

# ---------------------------------------------------------------------------------------------------------
# Reading


@dataclass(frozen=True)
class _Reading:
    minutes: Optional[int]  # since midnight; None when the time is impossible ("25:00")
    start: int
    end: int  # with an adjacent period word: "3 pm" is longer than "3"
    fallback: bool
    order: int  # which grammar: the earlier wins a tie


def parse_time(text: str, language: Optional[str] = None) -> Optional[str]:
    """The appointment time in `text` as "HH:MM" (24-hour), or None when none (or an impossible one) is given.

    `language` (a tag such as "zh-Hans") chooses that language's words first; without it, or when they
    find nothing, every language is tried.
    """
    folded = _without_dates(_fold((text or "")[:MAX_CHARS]))
    if not folded.strip():
        return None
    first = language if language in GRAMMARS else None
    reading = _best(folded, [first]) if first else None
    if reading is None:
        shared = "zh-Hans" if first == "zh-Hant" else first  # already tried under its twin's name
        reading = _best(folded, [name for name in _ORDER if name != shared])
    if reading is None or reading.minutes is None:
        return None
    return f"{reading.minutes // 60:02d}:{reading.minutes % 60:02d}"


def _best(text: str, languages: List[str]) -> Optional[_Reading]:
    """The earliest time in the text; where readings overlap, the longest ("half past two", not "two")."""
    readings = [reading for order, language in enumerate(languages)
                for reading in _readings(text, _COMPILED[language], order)]
    if not any(not reading.fallback for reading in readings):
        return min(readings, key=lambda r: (r.start, -(r.end - r.start), r.order), default=None)
    readings = sorted((r for r in readings if not r.fallback), key=lambda r: (r.start, -(r.end - r.start), r.order))
    overlapping, end = [], readings[0].end
    for reading in readings:
        if overlapping and reading.start >= end:
            break
        overlapping.append(reading)
        end = max(end, reading.end)
    return max(overlapping, key=lambda r: (r.end - r.start, -r.start, -r.order))


def _readings(text: str, grammar: _CompiledGrammar, order: int) -> List[_Reading]:
    periods = [(match.start(), match.end(), period) for regex, period in grammar.periods
               for match in regex.finditer(text)]
    readings = []
    for compiled in grammar.rules:
        for match in compiled.regex.finditer(text):
            if match.end() == match.start():
                continue
            kind, start, end = _period_near(periods, match.start(), match.end())
            readings.append(_Reading(_minutes(match, compiled, kind), start, end, compiled.rule.fallback, order))
    return readings


def _period_near(periods: List[Tuple[int, int, Period]], start: int, end: int) -> Tuple[Optional[str], int, int]:
    """The nearest period word's kind, and the time's span grown by that word when it touches the time."""
    best: Optional[Tuple[int, int, int, Period]] = None
    for p_start, p_end, period in periods:
        gap = start - p_end if p_end <= start else p_start - end if p_start >= end else 0
        if period.right_after and (p_start < start or gap > 1):
            continue
        if gap <= NEAR and (best is None or gap < best[0]):
            best = (gap, p_start, p_end, period)
    if best is None:
        return None, start, end
    gap, p_start, p_end, period = best
    return (period.kind, min(start, p_start), max(end, p_end)) if gap <= 1 else (period.kind, start, end)


def _value(match: re.Match, group: str, compiled: _Compiled) -> Optional[int]:
    written = match.groupdict().get(group)
    if written is None:
        return None
    return int(written) if written.isdigit() else compiled.values[group].get(_key(written))


def _minutes(match: re.Match, compiled: _Compiled, kind: Optional[str]) -> Optional[int]:
    """Minutes since midnight for one match, or None when the hour or minutes cannot be a time."""
    rule = compiled.rule
    hour = _value(match, "h", compiled)
    hour = rule.hour if hour is None else hour
    minute = _value(match, "m", compiled) or 0
    if hour is None or not 0 <= hour <= 23 or not 0 <= minute <= 59:
        return None
    hour += rule.add
    if hour > 23:
        return None
    delta = rule.offset + rule.sign * minute * rule.unit
    period = rule.period or kind
    written = match.groupdict().get("h") or ""
    if period == "24h" or not 1 <= hour <= 12 or re.fullmatch(r"0\d", written):  # "15:00", "03:00", "0 Uhr"
        return (hour * 60 + delta) % (24 * 60)
    # a 12-hour reading: "quarter to one" is 12:45, so the clock hour is that of the result, not of {H}
    clock_hour, minute = divmod(hour * 60 + delta, 60)
    return _daytime(clock_hour % 12 or 12, period) * 60 + minute


def _daytime(hour: int, period: Optional[str]) -> int:
    """A 12-hour clock hour (1-12) as a 24-hour one, given the part of the day said (or not)."""
    if period == "am":
        return 0 if hour == 12 else hour
    if period == "pm":
        return hour if hour == 12 else hour + 12
    if period == "noon":  # "中午一点", "昼の1時", "1 giờ trưa": early afternoon
        return hour + 12 if hour <= 5 else hour
    if period == "night":  # "в 11 ночи" = 23:00, "в 2 ночи" = 02:00
        return 0 if hour == 12 else hour + 12 if hour >= 7 else hour
    # The clinic rule: no part of the day said, so it is an appointment in opening hours:
    # 1-6 are the afternoon ("at 3" = 15:00), 7-12 stay as written.
    return hour + 12 if hour <= 6 else hour
