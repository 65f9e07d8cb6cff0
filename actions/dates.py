"""Reading appointment dates and times as patients write them, in 12 languages.

Dates go through `dateparser`. Measured on dateparser 1.2 (tests/test_dates.py
keeps these cases), it misses some common forms, so a small table patches
them before the call rather than replacing it:
- "next <weekday>" in every language ("next Tuesday", "下周三", "来週の火曜日",
  "다음 주 화요일", "mardi prochain") returns None; a bare weekday parses, so
  the next-week marker is read here and a week added when needed;
- numeric CJK dates ("12月12日", "12월 12일") return None or a wrong year;
- "后天/後天/聽日/모레/pasado mañana/ngày kia/มะรืนนี้/بعد غد" return None.
Times are read here: dateparser reads "오후 3시" as 13:00 and misses "下午三点".
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Optional, Tuple

import dateparser

# dateparser's language codes for our tags
DATEPARSER_LANGUAGE = {"zh-Hans": "zh", "zh-Hant": "zh"}

NEXT_WEEK_MARKERS = {
    # Chinese keeps 周/星期 after the marker: "下周三" -> "周三", which dateparser reads
    "en": r"\bnext\b", "zh-Hans": r"下个?(?=周|星期|礼拜)", "zh-Hant": r"下個?(?=週|周|星期|禮拜)",
    "ja": r"来週の?|らいしゅう", "ko": r"다음\s*주|담주", "ru": r"следующ\w*|будущ\w*", "ar": r"القادم\w*|الجاي\w*",
    "fr": r"prochain\w*", "de": r"nächst\w*|naechst\w*|kommend\w*", "es": r"pr[oó]xim\w*|que viene",
    "vi": r"tuần\s*(sau|tới)|tuan\s*(sau|toi)", "th": r"หน้า",
}
# words dateparser does not know, as an offset in days
EXTRA_DAY_WORDS = {
    "zh-Hans": {"后天": 2, "大后天": 3}, "zh-Hant": {"後天": 2, "大後天": 3, "聽日": 1, "听日": 1, "後日": 2},
    "ko": {"모레": 2, "내일모레": 2}, "es": {"pasado mañana": 2, "pasado manana": 2},
    "vi": {"ngày kia": 2, "ngay kia": 2, "ngày mốt": 2, "ngay mot": 2}, "th": {"มะรืนนี้": 2, "มะรืน": 2},
    "ar": {"بعد غد": 2, "بعد بكرة": 2, "بعد بكره": 2},
}
_CJK_MONTH_DAY = re.compile(r"(\d{1,2})\s*[月월]\s*(\d{1,2})\s*[日号號일]?")
_WEEKDAY_PROBE = dt.datetime(2024, 1, 1)  # a Monday: a bare weekday parses to its offset from here

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


@dataclass(frozen=True)
class DateReading:
    date: Optional[dt.date]
    problem: Optional[str] = None  # "unreadable" | "impossible"


def parse_date(text: str, language: str, today: dt.date) -> DateReading:
    """The calendar date the patient means, relative to `today`."""
    text = _without_time((text or "").strip())
    if not text:
        return DateReading(None, "unreadable")
    lowered = text.casefold()
    for word, days in sorted(EXTRA_DAY_WORDS.get(language, {}).items(), key=lambda kv: -len(kv[0])):
        if word in lowered:
            return DateReading(today + dt.timedelta(days=days))
    match = _CJK_MONTH_DAY.search(text)
    if match and language in ("zh-Hans", "zh-Hant", "ja", "ko"):
        return _month_day(int(match.group(1)), int(match.group(2)), today)
    base = dt.datetime.combine(today, dt.time(12, 0))
    lang = DATEPARSER_LANGUAGE.get(language, language)
    settings = {"RELATIVE_BASE": base, "PREFER_DATES_FROM": "future", "RETURN_AS_TIMEZONE_AWARE": False}
    marker = NEXT_WEEK_MARKERS.get(language)
    if marker and re.search(marker, lowered):
        weekday = _weekday_in(re.sub(marker, " ", lowered), lang)
        if weekday is not None:
            days_to_monday = 7 - today.weekday()  # next week starts on the coming Monday
            return DateReading(today + dt.timedelta(days=days_to_monday + weekday))
    parsed = _dateparse(text, lang, settings)
    if parsed is None and _is_impossible(text, lang, settings):
        return DateReading(None, "impossible")
    parsed = parsed or _search(text, lang, settings)
    return DateReading(parsed.date()) if parsed else DateReading(None, "unreadable")


def parse_time(text: str) -> Optional[str]:
    """'3 pm', '15:00', '下午3点', '오후 3시', '15 Uhr' -> 'HH:MM'; None when no time is given."""
    text = _cjk_hours(text or "")
    match = _HOUR_AMPM.search(text)
    if match:
        hour, minute = int(match.group(1)), int(match.group(2) or 0)
        if match.group(3).lower().startswith("p") and hour < 12:
            hour += 12
        return _hhmm(hour, minute)
    match = _CLOCK.search(text) or _HOUR_PREFIX.search(text)
    if not match:
        return None
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    if _AFTERNOON.search(text) and hour < 12:
        hour += 12
    if "ทุ่ม" in text and hour <= 6:  # Thai night hours: 1 ทุ่ม = 19:00
        hour = 18 + hour % 12
    return _hhmm(hour, minute)


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
    """The date part of '明天下午3点' / 'tomorrow at 3pm': dateparser fails on some mixes."""
    stripped = _HOUR_AMPM.sub(" ", _cjk_hours(text))
    stripped = _CLOCK.sub(" ", stripped)
    stripped = _AFTERNOON.sub(" ", stripped) if stripped != text else stripped
    return " ".join(stripped.split()) or text


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


def _month_day(month: int, day: int, today: dt.date) -> DateReading:
    for year in (today.year, today.year + 1):
        try:
            candidate = dt.date(year, month, day)
        except ValueError:
            return DateReading(None, "impossible")
        if candidate >= today:
            return DateReading(candidate)
    return DateReading(None, "impossible")


def _weekday_in(text: str, lang: str) -> Optional[int]:
    """0 (Monday) .. 6 for a text naming a weekday, using dateparser's own weekday names."""
    settings = {"RELATIVE_BASE": _WEEKDAY_PROBE, "PREFER_DATES_FROM": "future"}
    parsed = _dateparse(text, lang, settings) or _search(text, lang, settings)
    if parsed is None:
        return None
    offset = (parsed.date() - _WEEKDAY_PROBE.date()).days
    return offset if 0 <= offset <= 6 else None


def _dateparse(text: str, lang: str, settings: dict) -> Optional[dt.datetime]:
    try:
        return dateparser.parse(text, languages=[lang], settings=settings)
    except (ValueError, OverflowError, LookupError):
        return None


def _is_impossible(text: str, lang: str, settings: dict) -> bool:
    """'30 February' fails but '1 February' parses: the day does not exist in that month."""
    probe = re.sub(r"\b(29|30|31)\b", "1", text)
    return probe != text and _dateparse(probe, lang, settings) is not None
