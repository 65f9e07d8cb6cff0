"""Reading dates as patients write them, in 12 languages: appointment dates and dates of birth.

`parse_date` reads an appointment date relative to today; `parse_birth_date` a date of birth
(written out, never relative, never in the future). Both return a `DateReading`: the date, or
the problem ("unreadable", "impossible", "future"), and `assumed_order` when a numeric date
reads both ways ("05/03": 5 March or 3 May) so the bot can say which one it took.

`dateparser` stays the fallback: measured on dateparser 1.2 (tests/test_dates*.py keep these
cases) it reads today/tomorrow/yesterday and most free forms. Our own code reads, before it,
only what it gets wrong or misses:
- dates written with numbers ("12.03.1984", "3/12", "1990年5月3日", "900503") or month names
  ("3 May 1990", "3 أيار 1990"): dateparser does not say which day-month order it assumed
  (it reads "05/03/1990" in English as 3 May), reads Thai Buddhist-era years (2533) as
  Gregorian, misses Japanese eras, Chinese numerals ("一九九〇年五月三日"), "900503" and
  Levantine Arabic months ("أيار"), and puts "3 พ.ค. 33" in 2033;
- "in 3 days": missed in Arabic, Vietnamese and Thai, with Chinese numerals ("三天后", "一周后")
  and Korean native counts ("사흘 뒤"); one table reads it the same way in every language;
- weekdays with "this"/"next" ("this Friday", "下周三", "来週の火曜日", "ศุกร์นี้", "الجمعة القادمة")
  return None, and "週五/禮拜五" even alone: all weekdays are read from one table. "Next Tuesday"
  is the Tuesday of next week, a bare weekday the next such day after today; "next week" alone
  is too vague to read;
- "后天/後天/모레/あさって/pasado mañana/ngày mốt/มะรืนนี้/بكرة" return None.
Times are read by actions/times.py (parse_time, re-exported here): dateparser reads "오후 3시"
as 13:00 and misses "下午三点"; this module only cuts a time off a date ("明天下午3点").
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import Dict, Optional, Tuple

import dateparser

from actions.times import parse_time  # noqa: F401 - re-exported: dates and times are read together

# dateparser's language codes for our tags
DATEPARSER_LANGUAGE = {"zh-Hans": "zh", "zh-Hant": "zh"}
MAX_CHARS = 200  # a date takes a few words: longer texts are cut before any parsing (dateparser is slow on them)
MAX_AGE_YEARS = 130

# These write numbers year-month-day and "5/3" month/day (3 May); the others day-month ("5/3" = 5 March).
# Six-digit YYMMDD birth dates ("900503") are common on forms in these languages only.
# zh-Hant is day first: our Traditional Chinese patients are mostly from Hong Kong, which writes 12/03/1984
MONTH_FIRST_LANGUAGES = frozenset({"zh-Hans", "ja", "ko"})
BUDDHIST_ERA_OFFSET = {"th": 543}  # Thai years are Buddhist era: 2527 - 543 = 1984, two-digit years too
# the year before year 1 of an era: 平成2年 = 1988 + 2 = 1990; 民國79年 (Taiwan) = 1911 + 79
ERA_BASE_YEAR = {"令和": 2018, "平成": 1988, "昭和": 1925, "大正": 1911, "明治": 1867, "民國": 1911, "民国": 1911}
ERA_LETTER_BASE_YEAR = {"r": 2018, "h": 1988, "s": 1925, "t": 1911, "m": 1867}  # on Japanese forms: "H2.5.3"
THREE_DIGIT_YEAR_BASE = {"zh-Hant": 1911}  # Taiwan writes 民國 years without the era: "105年" = 2016

# Month names as lowercase regexes, January to December. Chinese, Japanese and Korean write
# months as numbers ("5月", "5월"); so does Vietnamese ("tháng 5", read by _VI_MONTH_NUMBER).
MONTHS: Dict[str, Tuple[str, ...]] = {
    "en": ("jan(?:uary)?", "feb(?:ruary)?", "mar(?:ch)?", "apr(?:il)?", "may", "june?", "july?", "aug(?:ust)?",
           "sep(?:t(?:ember)?)?", "oct(?:ober)?", "nov(?:ember)?", "dec(?:ember)?"),
    "fr": ("janv(?:ier)?|jan", "f[ée]v(?:r(?:ier)?)?", "mars", "avr(?:il)?", "mai", "juin", "juil(?:let)?",
           "ao[uû]t", "sept(?:embre)?", "oct(?:obre)?", "nov(?:embre)?", "d[ée]c(?:embre)?"),
    "de": ("j[äa]n(?:uar)?|jänner", "feb(?:ruar)?", "m[äa]rz?|maerz|mrz", "apr(?:il)?", "mai", "juni?", "juli?",
           "aug(?:ust)?", "sep(?:t(?:ember)?)?", "okt(?:ober)?", "nov(?:ember)?", "dez(?:ember)?"),
    "es": ("ene(?:ro)?", "feb(?:rero)?", "mar(?:zo)?", "abr(?:il)?", "mayo?", "jun(?:io)?", "jul(?:io)?",
           "ago(?:sto)?", "sep(?:t(?:iembre)?)?|setiembre", "oct(?:ubre)?", "nov(?:iembre)?", "dic(?:iembre)?"),
    "ru": (r"янв\w*", r"фев\w*", r"март\w*|мар", r"апр\w*", "ма[йяе]", r"июн\w*", r"июл\w*", r"авг\w*", r"сен\w*",
           r"окт\w*", r"ноя\w*", r"дек\w*"),
    # Egyptian/Gulf, Levantine/Iraqi and Maghrebi names
    "ar": ("يناير|كانون الثاني|جانفي", "فبراير|شباط|فيفري", "مارس|آذار", "أبريل|إبريل|نيسان|أفريل",
           "مايو|أيار|ماي", "يونيو|يونية|حزيران|جوان", "يوليو|يولية|تموز|جويلية", "أغسطس|آب|أوت", "سبتمبر|أيلول",
           "أكتوبر|تشرين الأول", "نوفمبر|تشرين الثاني", "ديسمبر|كانون الأول|دجنبر"),
    "vi": ("tháng (?:một|giêng)", "tháng hai", "tháng ba", "tháng (?:tư|bốn)", "tháng năm", "tháng sáu",
           "tháng bảy", "tháng tám", "tháng chín", "tháng mười(?! (?:một|hai))", "tháng mười một",
           "tháng (?:mười hai|chạp)"),
    # no spaces between Thai words: the longest spelling first
    "th": (r"มกราคม|มกรา|ม\.ค\.?|มค", r"กุมภาพันธ์|กุมภา|ก\.พ\.?|กพ", r"มีนาคม|มีนา|มี\.ค\.?|มีค",
           r"เมษายน|เมษา|เม\.ย\.?|เมย", r"พฤษภาคม|พฤษภา|พ\.ค\.?|พค", r"มิถุนายน|มิถุนา|มิ\.ย\.?|มิย",
           r"กรกฎาคม|กรกฏาคม|กรกฎา|ก\.ค\.?|กค", r"สิงหาคม|สิงหา|ส\.ค\.?|สค", r"กันยายน|กันยา|ก\.ย\.?|กย",
           r"ตุลาคม|ตุลา|ต\.ค\.?|ตค", r"พฤศจิกายน|พฤศจิกา|พ\.ย\.?|พย", r"ธันวาคม|ธันวา|ธ\.ค\.?|ธค"),
}
_CJK_WEEK = "(?:周|週|星期|礼拜|禮拜)"
_CJK_WEEKDAYS = tuple(f"{_CJK_WEEK}{day}" for day in ("[一1]", "[二2]", "[三3]", "[四4]", "[五5]", "[六6]", "[日天7]"))
# Weekday names as lowercase regexes, Monday to Sunday.
WEEKDAYS: Dict[str, Tuple[str, ...]] = {
    "en": ("mon(?:day)?", "tue(?:s(?:day)?)?", "wed(?:nesday)?", "thu(?:r(?:s(?:day)?)?)?", "fri(?:day)?",
           "sat(?:urday)?", "sun(?:day)?"),
    "zh-Hans": _CJK_WEEKDAYS, "zh-Hant": _CJK_WEEKDAYS,
    "ja": tuple(f"{day}曜日?|\\({day}\\)" for day in "月火水木金土日"),
    "ko": tuple(f"{day}요일|{day}욜" for day in "월화수목금토일"),
    "ru": (r"понедельник\w*|пн", r"вторник\w*|вт", "сред[аеуы]|ср", r"четверг\w*|чт", r"пятниц\w*|пт",
           r"суббот\w*|сб", r"воскресень\w*|воскресени\w*|вс"),
    "ar": ("الاثنين|الإثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد"),
    "fr": ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"),
    "de": ("montags?", "dienstags?", "mittwochs?", "donnerstags?", "freitags?", "samstags?|sonnabends?", "sonntags?"),
    "es": ("lunes", "martes", "mi[ée]rcoles", "jueves", "viernes", "s[áa]bados?", "domingos?"),
    "vi": ("thứ (?:hai|2)|thu hai|t2", "thứ (?:ba|3)|thu ba|t3", "thứ (?:tư|bốn|4)|thu tu|t4",
           "thứ (?:năm|5)|thu nam|t5", "thứ (?:sáu|6)|thu sau|t6", "thứ (?:bảy|bẩy|7)|thu bay|t7",
           "chủ nhật|chu nhat|cn"),
    # "อาทิตย์หน้า" alone is "next week"; "วันอาทิตย์หน้า" is next Sunday
    "th": ("จันทร์", "อังคาร", "พุธ", "พฤหัส", "ศุกร์", "เสาร์", "วันอาทิตย์|อาทิตย์(?! ?(?:หน้า|นี้|ที่แล้ว))"),
}
# "next <weekday>": the day in next week (Monday to Sunday); "this <weekday>": the next such day from today on
WEEK_AFTER_NEXT_MARKERS = {"zh-Hans": "下下", "zh-Hant": "下下", "ja": "再来週", "ko": "다다음", "de": "übernächst"}
NEXT_WEEK_MARKERS = {
    "en": r"\bnext\b",
    "zh-Hans": f"下[个個]? ?(?={_CJK_WEEK})", "zh-Hant": f"下[个個]? ?(?={_CJK_WEEK})",
    "ja": "来週|らいしゅう", "ko": "다음|담주",
    "ru": r"следующ\w*|будущ\w*", "ar": r"القادم\w*|الجاي\w*", "fr": r"prochain\w*",
    "de": r"nächst\w*|naechst\w*|kommend\w*", "es": r"pr[oó]xim\w*|que viene",
    "vi": "tuần (?:sau|tới)|tuan (?:sau|toi)", "th": "หน้า",
}
THIS_WEEK_REACH = 8  # characters between "this" and its weekday ("ce lundi", "в эту пятницу", "ศุกร์นี้")
THIS_WEEK_MARKERS = {
    "en": r"\bthis\b|\bcoming\b",
    "zh-Hans": f"(?:这|這|本)[个個]? ?(?={_CJK_WEEK})", "zh-Hant": f"(?:这|這|本)[个個]? ?(?={_CJK_WEEK})",
    "ja": "今週|こんしゅう", "ko": "이번|요번",
    "ru": r"\bэт\w+", "ar": "هذا|هذه", "fr": r"\bce\b|\bcette\b", "de": r"\bdies\w*", "es": r"\beste\b|\besta\b",
    "vi": r"\bnày\b|\bnay\b", "th": "นี้",
}
# "next week" or "平成2年" without a day: which day is not said, so it is unreadable (the bot asks again)
VAGUE = {
    "en": r"\b(?:next|this|coming) week\b",
    "zh-Hans": f"(?:下|这|這|本)[个個]? ?{_CJK_WEEK}", "zh-Hant": f"(?:下|这|這|本)[个個]? ?{_CJK_WEEK}|民國",
    "ja": "来週|今週|らいしゅう|こんしゅう|令和|平成|昭和|大正|明治", "ko": "다음 ?주|담주|이번 ?주",
    "ru": r"(?:следующ|будущ|эт)\w* недел", "ar": "الأسبوع (?:القادم|الجاي)|هذا الأسبوع",
    "fr": "semaine prochaine|prochaine semaine|cette semaine", "de": r"(?:nächst|naechst|kommend|dies)\w* woche",
    "es": "(?:pr[oó]xima|esta) semana|semana que viene", "vi": "tuần (?:sau|tới|này)|tuan (?:sau|toi|nay)",
    "th": "(?:สัปดาห์|อาทิตย์) ?(?:หน้า|นี้)",
}
# words dateparser does not know, as an offset in days
EXTRA_DAY_WORDS = {
    "zh-Hans": {"后天": 2, "大后天": 3}, "zh-Hant": {"後天": 2, "大後天": 3, "聽日": 1, "听日": 1, "後日": 2},
    "ja": {"あさって": 2, "しあさって": 3}, "ko": {"모레": 2, "내일모레": 2, "낼모레": 2, "글피": 3},
    "es": {"pasado mañana": 2, "pasado manana": 2},
    "vi": {"ngày kia": 2, "ngay kia": 2, "ngày mốt": 2, "ngay mot": 2}, "th": {"มะรืนนี้": 2, "มะรืน": 2},
    "ar": {"بعد غد": 2, "بعد بكرة": 2, "بعد بكره": 2, "بكرة": 1, "بكره": 1},
}

# "in 3 days": {n} is a number (digits or a word below), {unit} one of UNITS, {counted} a word that counts itself
NUMBER_WORDS = {
    "en": {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
           "nine": 9, "ten": 10, "a couple of": 2},
    "fr": {"un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8,
           "neuf": 9, "dix": 10, "quinze": 15},
    "de": {"ein": 1, "eine": 1, "einem": 1, "einer": 1, "zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6,
           "sieben": 7, "acht": 8, "neun": 9, "zehn": 10, "vierzehn": 14},
    "es": {"un": 1, "una": 1, "uno": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7,
           "ocho": 8, "nueve": 9, "diez": 10, "quince": 15},
    "ru": {"один": 1, "одну": 1, "два": 2, "две": 2, "пару": 2, "три": 3, "четыре": 4, "пять": 5, "шесть": 6,
           "семь": 7, "восемь": 8, "девять": 9, "десять": 10},
    "ar": {"واحد": 1, "اثنين": 2, "ثلاثة": 3, "ثلاث": 3, "أربعة": 4, "أربع": 4, "خمسة": 5, "خمس": 5, "ستة": 6,
           "سبعة": 7, "ثمانية": 8, "تسعة": 9, "عشرة": 10},
    "ko": {"한": 1, "두": 2, "세": 3, "네": 4, "일": 1, "이": 2, "삼": 3},  # 한 달, 두 주, 일주일
    "vi": {"một": 1, "hai": 2, "ba": 3, "bốn": 4, "tư": 4, "năm": 5, "sáu": 6, "bảy": 7, "tám": 8, "chín": 9,
           "mười": 10},
    "th": {"หนึ่ง": 1, "สอง": 2, "สาม": 3, "สี่": 4, "ห้า": 5, "หก": 6, "เจ็ด": 7, "แปด": 8, "เก้า": 9, "สิบ": 10},
}  # Chinese and Japanese numerals are turned into digits first (_cjk_numbers)
_CJK_UNITS = {"day": "天|日", "week": "[个個]?(?:星期|礼拜|禮拜)|周|週", "month": "[个個]月"}
UNITS = {
    "en": {"day": "days?", "week": "weeks?", "month": "months?"},
    "fr": {"day": "jours?", "week": "semaines?", "month": "mois"},
    "de": {"day": "tagen?|tage", "week": "wochen?", "month": "monaten?|monate"},
    "es": {"day": "d[ií]as?", "week": "semanas?", "month": "mes(?:es)?"},
    "ru": {"day": "дн(?:я|ей)|день", "week": "недел[юиь]", "month": r"месяц\w*"},
    "ar": {"day": "أيام|يوم", "week": "أسابيع|أسبوع", "month": "أشهر|شهور|شهر"},
    "zh-Hans": _CJK_UNITS, "zh-Hant": _CJK_UNITS,
    "ja": {"day": "日間?", "week": "週間?", "month": "[かヶカヵケ箇]月"},
    "ko": {"day": "일", "week": "주일?", "month": "개월|달"},
    "vi": {"day": "ngày", "week": "tuần", "month": "tháng"},
    "th": {"day": "วัน(?!จันทร์|อังคาร|พุธ|พฤหัส|ศุกร์|เสาร์|อาทิตย์|นี้|ที่)", "week": "สัปดาห์|อาทิตย์", "month": "เดือน"},
}
COUNTED_UNITS = {  # Korean native day counts, Arabic duals
    "ko": {"하루": (1, "day"), "이틀": (2, "day"), "사흘": (3, "day"), "나흘": (4, "day"), "닷새": (5, "day"),
           "엿새": (6, "day"), "이레": (7, "day"), "열흘": (10, "day"), "보름": (15, "day")},
    "ar": {"يومين": (2, "day"), "أسبوعين": (2, "week"), "شهرين": (2, "month")},
}
IN_N_UNITS = {
    "en": (r"\bin {n} ?{unit}", r"\b{n} ?{unit} from (?:now|today)"),
    "fr": (r"\bdans {n} ?{unit}", r"\bd'ici {n} ?{unit}"),
    "de": (r"\bin {n} ?{unit}",),
    "es": (r"\bdentro de {n} ?{unit}", r"\ben {n} ?{unit}"),
    "ru": (r"через (?:{n} )?{unit}",),  # "через неделю": one week
    "ar": (r"(?:بعد|خلال) (?:{counted}|(?:{n} )?{unit})",),  # "بعد يومين": the dual counts itself
    "zh-Hans": (r"{n} ?{unit} ?(?:以|之)?[后後]", r"[过過] ?{n} ?{unit}"),
    "zh-Hant": (r"{n} ?{unit} ?(?:以|之)?[后後]", r"[过過] ?{n} ?{unit}"),
    "ja": (r"{n} ?{unit} ?(?:後|ご)", r"あと ?{n} ?{unit}"),
    "ko": (r"(?:{counted}|{n} ?{unit}) ?(?:후|뒤|있다가|지나서)",),  # "사흘 뒤": the word counts itself
    # "thứ ba tuần sau" is next Tuesday, not "in three weeks"; "ngày 5 tháng sau" the 5th of next month
    "vi": (r"(?<!thứ )(?<!thu )(?<!ngày )(?<!mùng ){n} ?{unit} (?:nữa|sau|tới)", r"\bsau {n} ?{unit}"),
    "th": (r"อีก ?(?:{n} ?)?{unit}", r"{n} ?{unit} ?ข้างหน้า"),
}

# Times: the hour with a clock suffix or hh:mm, plus the language's afternoon markers.
_CLOCK = re.compile(r"(\d{1,2})\s*(?::|h|時|时|点|點|시|giờ|gio|uhr|heures?|horas?|час\w*|โมง|นาฬิกา)\s*(\d{2})?",
                    re.IGNORECASE)
_HOUR_PREFIX = re.compile(r"(?:\bat|a las|à|\bum|\bв|lúc|luc|às)\s*(\d{1,2})(?::(\d{2}))?\b", re.IGNORECASE)
_CJK_NUMERALS = str.maketrans({"一": "1", "二": "2", "两": "2", "兩": "2", "三": "3", "四": "4", "五": "5", "六": "6",
                               "七": "7", "八": "8", "九": "9"})
_HOUR_AMPM = re.compile(r"(\d{1,2})(?::(\d{2}))?\s*(a\.?m\.?|p\.?m\.?)", re.IGNORECASE)
_AFTERNOON = re.compile(
    r"下午|晚上|傍晚|午後|夕方|夜|오후|저녁|chiều|chieu|tối|toi|nachmittags|abends|de la tarde|de la noche|du soir|"
    r"de l'après-midi|de l'apres-midi|вечера|дня|مساء|بعد الظهر|บ่าย|เย็น|ทุ่ม", re.IGNORECASE)
# an hour after a preposition ("at 10", "um 10.30", "в 15"): cut from a date so "10.30" is not read as 10 March
_AT_HOUR = re.compile(r"(?:\bat|\bum|\bà|\ba las?|\bvers|\bgegen|\bhacia|\bв|\bво|\blúc|\bluc|الساعة|เวลา) ?"
                      r"\d{1,2}(?:[:.h]\d{2})?(?![\d./])", re.IGNORECASE)

# Text as typed -> one form: full-width "１２月３日", Arabic-Indic "١٢/٠٣" and Thai digits as ASCII digits
_PLAIN = str.maketrans({
    **{chr(0xFF01 + i): chr(0x21 + i) for i in range(94)},
    **{chr(zero + i): str(i) for zero in (0x0660, 0x06F0, 0x0E50) for i in range(10)},
    "\u3000": " ", "،": ",", "㍻": "平成", "㍼": "昭和", "㍽": "大正", "㍾": "明治", "㋿": "令和",
})
# Arabic letter variants as one letter ("أيار" = "ايار", "الجمعة" = "الجمعه"), vowel marks dropped
_ARABIC_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي", "ـ": None, "\u0670": None,
                              **{chr(mark): None for mark in range(0x064B, 0x0660)}})
_CJK_DIGITS = {"〇": 0, "○": 0, "零": 0, "一": 1, "二": 2, "两": 2, "兩": 2, "三": 3, "四": 4, "五": 5, "六": 6,
               "七": 7, "八": 8, "九": 9}
# Chinese numerals before a date or duration unit: "一九九〇年五月三日", "三天后", "一个月后", "三日後"
_CJK_NUMBER = re.compile(r"[〇○零一二两兩三四五六七八九十]+"
                         r"(?= ?(?:年|月|日|号|號|天|周|週|[个個]|星期|礼拜|禮拜|[かヶカヵケ箇]月))")

# Dates written with numbers. Chinese/Japanese/Korean: "1990年5月3日", "平成2年5月3日", "5월 3일"
_ERA = "|".join(ERA_BASE_YEAR)
_CJK_DATE = re.compile(rf"(?:({_ERA}) ?)?(?:(?<!\d)(\d{{1,4}}|元) ?[年년] ?)?"  # era, year: optional
                       r"(?<!\d)(\d{1,2}) ?[月월] ?(\d{1,2})(?!\d)")
_ERA_LETTER_DATE = re.compile(r"(?<![a-z])([rhstm]) ?(\d{1,2}|元) ?[./\-年] ?(\d{1,2}) ?[./\-月] ?(\d{1,2})(?!\d)")
_YEAR_FIRST = re.compile(r"(?<![\d.])(\d{4}) ?([./\-]) ?(\d{1,2}) ?\2 ?(\d{1,2})(?!\d)")  # "1984-03-12", "1984/3/12"
_SHORT_YEAR_FIRST = re.compile(r"(?<![\d.])(\d{2})([./\-])(\d{1,2})\2(\d{1,2})(?!\d)")  # "90.5.3" (zh, ja, ko)
_YEAR_LAST = re.compile(r"(?<![\d.])(\d{1,2}) ?([./\-]) ?(\d{1,2}) ?\2 ?(\d{4}|\d{2})(?!\d)")  # "12.03.1984", "3/5/90"
_EIGHT_DIGITS = re.compile(r"(?<!\d)((?:19|20|25)\d{2})(\d{2})(\d{2})(?!\d)")  # "19900503" (25xx: Thai years)
_SIX_DIGITS = re.compile(r"(?<!\d)(\d{2})(\d{2})(\d{2})(?!\d)")  # "900503" (birth dates, zh, ja, ko)
_TWO_NUMBERS = re.compile(r"(?<![\d./\-])(\d{1,2})([./])(\d{1,2})(?:\.(?!\d))?(?![\d/\-])")  # "3/12", "12.03."
# Dates with a month name, once the name is replaced by a marker "\x01<month>\x02"
_MONTH = r"\x01(\d{1,2})\x02"
_SEP = r"[\s,.\-/']*"
_NAMED_YEAR = rf"(?:{_SEP}(?:de|del|năm|nam|พ\.?ศ\.?|ค\.?ศ\.?)?{_SEP}(\d{{4}}|\d{{2}})(?!\d))?"
_NAMED_DATES = (  # (regex, order of its groups)
    (re.compile(rf"(?<!\d)(\d{{4}}){_SEP}{_MONTH}{_SEP}(\d{{1,2}})(?!\d)"), "ymd"),  # "1990 May 3"
    (re.compile(rf"(?<!\d)(\d{{1,2}})(?:st|nd|rd|th|er|º|ª|-?го)?{_SEP}(?:de|of)?{_SEP}{_MONTH}{_NAMED_YEAR}"),
     "dmy"),  # "3 May 1990", "3 de mayo de 1990", "3. Mai", "ngày 3 tháng 5 năm 1990", "3 พ.ค. 33"
    (re.compile(rf"{_MONTH}{_SEP}(?:the )?(\d{{1,2}})(?:st|nd|rd|th)?(?!\d){_NAMED_YEAR}"), "mdy"),  # "May 3rd, 1990"
)
_VI_MONTH_NUMBER = re.compile(r"\b(?:tháng|thang|thg) ?(\d{1,2})(?!\d)")
_SPACED_LANGUAGES = frozenset({"en", "fr", "de", "es", "ru", "ar", "vi"})  # names end where the letters end


@dataclass(frozen=True)
class DateReading:
    date: Optional[dt.date]
    problem: Optional[str] = None  # "unreadable" | "impossible" | "future" (dates of birth)
    # "day_month" or "month_day" when the numbers read both ways ("05/03"): say which one was taken
    assumed_order: Optional[str] = None


@dataclass(frozen=True)
class _Written:
    """A date as written: the year as given (two digits when `short_year`), None when left out."""
    day: int
    month: int
    year: Optional[int] = None
    short_year: bool = False
    assumed_order: Optional[str] = None


def parse_date(text: str, language: str, today: dt.date) -> DateReading:
    """The appointment date the patient means, relative to `today`."""
    plain = _plain(text)
    if not plain:
        return DateReading(None, "unreadable")
    folded = _fold(plain)
    later = _in_n_units(folded, language, today)  # before the time is cut: "через 3 дня" would lose "дня"
    if later:
        return DateReading(later)
    dated = _without_time(folded)
    written = _written_date(dated, language, birth=False)
    if written:
        return _appointment_reading(written, language, today)
    day = _day_word(dated, language, today) or _weekday_date(dated, language, today)
    if day:
        return DateReading(day)
    if _matches(_VAGUE, language, dated):
        return DateReading(None, "unreadable")
    return _dateparser_reading(_without_time(plain), language, today)


def parse_birth_date(text: str, language: str, today: dt.date) -> DateReading:
    """A date of birth as written ("3 May 1990", "1990年5月3日生まれ", "900503"): no relative words,
    never after `today`, at most MAX_AGE_YEARS before it."""
    plain = _plain(text)
    if not plain:
        return DateReading(None, "unreadable")
    written = (_written_date(_without_time(_fold(plain)), language, birth=True)
               or _dateparser_birth(_without_time(plain), language, today))
    if written is None or written.year is None:
        return DateReading(None, "unreadable")
    date = _safe_date(_calendar_year(written, language, today), written.month, written.day)
    if date is None or date < _years_before(today, MAX_AGE_YEARS):
        return DateReading(None, "impossible")
    if date > today:
        return DateReading(None, "future")
    return DateReading(date, None, written.assumed_order)


def split_hours(hours: str) -> Optional[Tuple[str, str]]:
    """'08:00-17:00' -> ('08:00', '17:00'); None for 'closed'."""
    if "-" not in hours:
        return None
    start, end = hours.split("-", 1)
    return start.strip(), end.strip()


def _cjk_hours(text: str) -> str:
    """'下午三点' -> '下午3点' (Chinese numerals before an hour suffix; 十 is 10, 十二 is 12)."""
    def digits(match: re.Match) -> str:
        numeral = match.group(1)
        value = (10 + int(numeral[1:].translate(_CJK_NUMERALS) or 0) if numeral.startswith("十")
                 else int(numeral.translate(_CJK_NUMERALS)))
        return f"{value}{match.group(2)}"
    return re.sub(r"(十[一二]?|[一二两兩三四五六七八九])\s*([点點時时])", digits, text)


def _without_time(text: str) -> str:
    """The date part of '明天下午3点' / 'tomorrow at 3pm' / 'am Freitag um 10.30': the hour is not read
    as a day ('10.30' as 10 October), and dateparser fails on some mixes."""
    stripped = _HOUR_AMPM.sub(" ", _cjk_hours(text))
    stripped = _AT_HOUR.sub(" ", _CLOCK.sub(" ", stripped))
    stripped = _AFTERNOON.sub(" ", stripped) if stripped != text else stripped
    return " ".join(stripped.split()) or text


def _plain(text: str) -> str:
    """The first MAX_CHARS characters, composed (Vietnamese typed with combining marks), ASCII digits."""
    return unicodedata.normalize("NFC", (text or "")[:MAX_CHARS]).translate(_PLAIN).strip()


def _fold(text: str) -> str:
    """Lowercase, one space between words, Arabic letter variants folded, Chinese numerals as digits."""
    return " ".join(_cjk_numbers(text.lower().translate(_ARABIC_FOLD)).split())


def _cjk_numbers(text: str) -> str:
    return _CJK_NUMBER.sub(lambda match: _cjk_value(match.group()), text)


def _cjk_value(numeral: str) -> str:
    """'一九九〇' -> '1990' (digit by digit, as years are written), '二十三' -> '23', '十' -> '10'."""
    tens, ten, units = numeral.partition("十")
    if not ten:
        return "".join(str(_CJK_DIGITS[char]) for char in numeral)
    if len(tens) > 1 or len(units) > 1 or "十" in units:
        return numeral
    return str(_CJK_DIGITS.get(tens, 1) * 10 + _CJK_DIGITS.get(units, 0))


# Relative dates: "in 3 days", today/tomorrow words, weekdays

def _in_n_units(text: str, language: str, today: dt.date) -> Optional[dt.date]:
    """'in 3 days', 'через неделю', '三天后', '사흘 뒤', 'بعد يومين', 'อีก 3 วัน' -> the date."""
    for pattern in _IN_N_UNITS.get(language, ()):
        match = pattern.search(text)
        if match:
            count, unit = _amount(match.groupdict(), language)
            if unit == "month":
                return _add_months(today, count)
            return today + dt.timedelta(days=count * (7 if unit == "week" else 1))
    return None


def _amount(groups: Dict[str, Optional[str]], language: str) -> Tuple[int, str]:
    if groups.get("counted"):
        return _COUNTED_UNITS[language][groups["counted"]]
    number = groups.get("n")
    count = int(number) if number and number.isdigit() else _NUMBER_WORDS[language].get(number or "", 1)
    return count, next(unit for unit in ("day", "week", "month") if groups.get(unit))


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _day_word(text: str, language: str, today: dt.date) -> Optional[dt.date]:
    for word, days in sorted(EXTRA_DAY_WORDS.get(language, {}).items(), key=lambda kv: -len(kv[0])):
        if _fold(word) in text:
            return today + dt.timedelta(days=days)
    return None


def _weekday_date(text: str, language: str, today: dt.date) -> Optional[dt.date]:
    """'next Tuesday': Tuesday of next week; 'this Friday': from today on; 'Friday': the next one after today."""
    names = _WEEKDAY_NAMES.get(language)
    match = names.search(text) if names else None
    if match is None:
        return None
    weekday = match.lastindex - 1
    if _matches(_WEEK_AFTER_NEXT, language, text):
        return today + dt.timedelta(days=14 - today.weekday() + weekday)
    if _matches(_NEXT_WEEK, language, text):
        return today + dt.timedelta(days=7 - today.weekday() + weekday)
    # "this" must stand by the weekday: "est-ce que … lundi", "перенесите эту запись на понедельник"
    # and "هذا الموعد … الاثنين" name this appointment, not this Monday
    near = text[max(0, match.start() - THIS_WEEK_REACH):match.end() + THIS_WEEK_REACH]
    if _matches(_THIS_WEEK, language, near):
        return today + dt.timedelta(days=(weekday - today.weekday()) % 7)
    return today + dt.timedelta(days=(weekday - today.weekday() - 1) % 7 + 1)


# Dates written out: numbers, month names

def _written_date(text: str, language: str, birth: bool) -> Optional[_Written]:
    for read in (_cjk_date, _numeric_date, _named_month_date, _day_and_month):
        written = read(text, language, birth)
        if written:
            return written
    return None


def _cjk_date(text: str, language: str, birth: bool) -> Optional[_Written]:
    """'1990年5月3日', '平成2年5月3日', '90년 5월 3일생', '5月3日'; on Japanese forms 'H2.5.3'."""
    match = _CJK_DATE.search(text)
    if match:
        era, year, month, day = match.groups()
        if year is None or (year == "元" and not era):
            return _Written(int(day), int(month))
        number = 1 if year == "元" else int(year)
        if era or (len(year) == 3 and language in THREE_DIGIT_YEAR_BASE):
            base = ERA_BASE_YEAR[era] if era else THREE_DIGIT_YEAR_BASE[language]
            return _Written(int(day), int(month), base + number)
        return _Written(int(day), int(month), number, short_year=len(year) <= 2)
    match = _ERA_LETTER_DATE.search(text) if language == "ja" else None
    if match:
        letter, year, month, day = match.groups()
        number = 1 if year == "元" else int(year)
        return _Written(int(day), int(month), ERA_LETTER_BASE_YEAR[letter] + number)
    return None


def _numeric_date(text: str, language: str, birth: bool) -> Optional[_Written]:
    """Dates with a year: '1984-03-12', '12.03.1984', '12/03/84', '19900503' (and '900503' for births)."""
    month_first = language in MONTH_FIRST_LANGUAGES
    match = _YEAR_FIRST.search(text) or (_SHORT_YEAR_FIRST.search(text) if month_first else None)
    if match:
        year, _, month, day = match.groups()
        return _Written(int(day), int(month), int(year), short_year=len(year) == 2)
    match = _YEAR_LAST.search(text)
    if match:
        first, _, second, year = match.groups()
        return _ordered(int(first), int(second), int(year), len(year) == 2, language)
    match = _EIGHT_DIGITS.search(text) or (_SIX_DIGITS.search(text) if birth and month_first else None)
    if match:
        year, month, day = match.groups()
        return _Written(int(day), int(month), int(year), short_year=len(year) == 2)
    return None


def _named_month_date(text: str, language: str, birth: bool) -> Optional[_Written]:
    """'3 May 1990', 'May 3rd', '3 мая 1990 г.', '3 de mayo', 'ngày 3 tháng 5', '3 أيار 1990', '3 พ.ค. 33'."""
    marked = _mark_months(text, language)
    if "\x01" not in marked:
        return None
    for pattern, order in _NAMED_DATES:
        match = pattern.search(marked)
        if match:
            values = dict(zip(order, match.groups()))
            year = values.get("y")
            return _Written(int(values["d"]), int(values["m"]), int(year) if year else None,
                            short_year=bool(year) and len(year) == 2)
    return None


def _mark_months(text: str, language: str) -> str:
    """Month names -> '\x01<month number>\x02'."""
    if language == "vi":
        text = _VI_MONTH_NUMBER.sub(lambda match: f" \x01{match.group(1)}\x02 ", text)
    names = _MONTH_NAMES.get(language)
    return names.sub(lambda match: f" \x01{match.lastindex}\x02 ", text) if names else text


def _day_and_month(text: str, language: str, birth: bool) -> Optional[_Written]:
    """'3/12', '12.03.', '5.3' without a year, in the language's order."""
    match = _TWO_NUMBERS.search(text)
    return _ordered(int(match.group(1)), int(match.group(3)), None, False, language) if match else None


def _ordered(first: int, second: int, year: Optional[int], short_year: bool, language: str) -> _Written:
    """'first/second' in the language's day-month order, the other order when only that one is a date;
    `assumed_order` set when both are dates and differ."""
    preferred = "month_day" if language in MONTH_FIRST_LANGUAGES else "day_month"
    other = "day_month" if preferred == "month_day" else "month_day"
    readings = {"day_month": (first, second), "month_day": (second, first)}  # (day, month)
    probe_year = 2000 + year if year is not None and short_year else year or 2000  # 2000: 29 February exists
    possible = [order for order in (preferred, other)
                if _safe_date(probe_year, readings[order][1], readings[order][0])]
    order = possible[0] if possible else preferred
    ambiguous = len(possible) == 2 and first != second
    day, month = readings[order]
    return _Written(day, month, year, short_year, order if ambiguous else None)


# From what was written to a date

def _appointment_reading(written: _Written, language: str, today: dt.date) -> DateReading:
    if written.year is None:
        date = _next_occurrence(written.month, written.day, today)
    else:
        date = _safe_date(_calendar_year(written, language), written.month, written.day)
    if date is None:
        return DateReading(None, "impossible")
    return DateReading(date, None, written.assumed_order)


def _calendar_year(written: _Written, language: str, birth_before: Optional[dt.date] = None) -> int:
    """The Gregorian year: Thai Buddhist-era years less 543 (two-digit Thai years are Buddhist era too);
    two-digit years in this century, or for a birth (`birth_before` given) the last one not after it."""
    offset = BUDDHIST_ERA_OFFSET.get(language, 0)
    year = written.year or 0
    if not written.short_year:
        return year - offset if offset and year >= 2400 else year
    year += (2500 if offset else 2000) - offset
    if birth_before and (_safe_date(year, written.month, written.day) or dt.date(year, 1, 1)) > birth_before:
        year -= 100
    return year


def _next_occurrence(month: int, day: int, today: dt.date) -> Optional[dt.date]:
    """'12 December' without a year: this year's, or next year's once it has passed (29 February: a leap year)."""
    for year in range(today.year, today.year + 5):
        date = _safe_date(year, month, day)
        if date and date >= today:
            return date
    return None


def _safe_date(year: int, month: int, day: int) -> Optional[dt.date]:
    try:
        return dt.date(year, month, day)
    except (ValueError, OverflowError):
        return None


def _years_before(today: dt.date, years: int) -> dt.date:
    return _safe_date(today.year - years, today.month, today.day) or dt.date(today.year - years, today.month, 28)


def _matches(patterns: Dict[str, re.Pattern], language: str, text: str) -> bool:
    pattern = patterns.get(language)
    return bool(pattern and pattern.search(text))


# dateparser: what our own code does not read

def _dateparser_reading(text: str, language: str, today: dt.date) -> DateReading:
    base = dt.datetime.combine(today, dt.time(12, 0))
    lang = DATEPARSER_LANGUAGE.get(language, language)
    # REQUIRE_PARTS: a time alone ("3pm", "10:30") is no date; dateparser would say today or tomorrow
    settings = {"RELATIVE_BASE": base, "PREFER_DATES_FROM": "future", "RETURN_AS_TIMEZONE_AWARE": False,
                "REQUIRE_PARTS": ["day"]}
    parsed = _dateparse(text, lang, settings)
    if parsed is None and _is_impossible(text, lang, settings):
        return DateReading(None, "impossible")
    parsed = parsed or _search(text, lang, settings)
    return DateReading(parsed.date()) if parsed else DateReading(None, "unreadable")


def _dateparser_birth(text: str, language: str, today: dt.date) -> Optional[_Written]:
    settings = {"RELATIVE_BASE": dt.datetime.combine(today, dt.time(12, 0)), "PREFER_DATES_FROM": "past",
                "REQUIRE_PARTS": ["day", "month", "year"], "RETURN_AS_TIMEZONE_AWARE": False}
    parsed = _dateparse(text, DATEPARSER_LANGUAGE.get(language, language), settings)
    # relative words ("yesterday", "3 years ago") parse too: only a date with its year written out counts
    if parsed is None or str(parsed.year) not in text:
        return None
    return _Written(parsed.day, parsed.month, parsed.year)


def _search(text: str, lang: str, settings: dict) -> Optional[dt.datetime]:
    """A date inside a longer sentence ('am Freitag bitte')."""
    from dateparser.search import search_dates

    try:
        found = search_dates(text, languages=[lang], settings=settings)
    except (ValueError, OverflowError, LookupError):
        return None
    return found[0][1] if found else None


def _hhmm(hour: int, minute: int) -> Optional[str]:
    return f"{hour:02d}:{minute:02d}" if 0 <= hour <= 23 and 0 <= minute <= 59 else None


def _dateparse(text: str, lang: str, settings: dict) -> Optional[dt.datetime]:
    try:
        return dateparser.parse(text, languages=[lang], settings=settings)
    except (ValueError, OverflowError, LookupError):
        return None


def _is_impossible(text: str, lang: str, settings: dict) -> bool:
    """'30 February' fails but '1 February' parses: the day does not exist in that month."""
    probe = re.sub(r"\b(29|30|31)\b", "1", text)
    return probe != text and _dateparse(probe, lang, settings) is not None


# The tables above, compiled

def _names(patterns: Tuple[str, ...], language: str) -> re.Pattern:
    """One regex for a list of names: group i + 1 matches the i-th; a space may be left out."""
    names = "|".join(f"({pattern.replace(' ', ' ?')})" for pattern in patterns)
    if language in _SPACED_LANGUAGES:
        names = rf"(?<![^\W\d_])(?:{names})\.?(?![^\W\d_])"
    return re.compile(names.translate(_ARABIC_FOLD))


def _in_n_units_patterns(language: str) -> Tuple[re.Pattern, ...]:
    words = "|".join(map(re.escape, sorted(_NUMBER_WORDS.get(language, {}), key=len, reverse=True)))
    number = rf"(?P<n>(?<![\d月월/.])\d{{1,3}}{'|' + words if words else ''})"
    units = "|".join(f"(?P<{unit}>{pattern})" for unit, pattern in UNITS[language].items())
    unit = f"(?:{units})" + (r"(?![^\W\d_])" if language in _SPACED_LANGUAGES else "")
    counted = "(?P<counted>" + "|".join(map(re.escape, _COUNTED_UNITS.get(language, {}))) + ")"
    return tuple(re.compile(template.replace("{n}", number).replace("{unit}", unit).replace("{counted}", counted)
                            .translate(_ARABIC_FOLD)) for template in IN_N_UNITS[language])


_MONTH_NAMES = {language: _names(names, language) for language, names in MONTHS.items()}
_WEEKDAY_NAMES = {language: _names(names, language) for language, names in WEEKDAYS.items()}
_WEEK_AFTER_NEXT, _NEXT_WEEK, _THIS_WEEK, _VAGUE = (
    {language: re.compile(pattern.translate(_ARABIC_FOLD)) for language, pattern in table.items()}
    for table in (WEEK_AFTER_NEXT_MARKERS, NEXT_WEEK_MARKERS, THIS_WEEK_MARKERS, VAGUE))
_NUMBER_WORDS = {language: {_fold(word): n for word, n in words.items()} for language, words in NUMBER_WORDS.items()}
_COUNTED_UNITS = {language: {_fold(word): amount for word, amount in words.items()}
                  for language, words in COUNTED_UNITS.items()}
_IN_N_UNITS = {language: _in_n_units_patterns(language) for language in IN_N_UNITS}
