"""Appointment dates and times as patients write them, in all 12 languages (today: Monday 2026-11-23)."""
import datetime as dt

import pytest

from actions.dates import parse_date, parse_time

TODAY = dt.date(2026, 11, 23)  # a Monday
TOMORROW, DAY_AFTER, NEXT_TUESDAY, DEC_12 = (dt.date(2026, 11, 24), dt.date(2026, 11, 25), dt.date(2026, 12, 1),
                                             dt.date(2026, 12, 12))

CASES = {
    "en": [("tomorrow", TOMORROW), ("next Tuesday", NEXT_TUESDAY), ("12 December", DEC_12), ("Dec 12 at 3pm", DEC_12)],
    "zh-Hans": [("明天", TOMORROW), ("后天", DAY_AFTER), ("下周二", NEXT_TUESDAY), ("12月12日", DEC_12),
                ("明天下午3点", TOMORROW)],
    "zh-Hant": [("聽日", TOMORROW), ("後天", DAY_AFTER), ("下星期二", NEXT_TUESDAY), ("12月12號", DEC_12)],
    "ja": [("明日", TOMORROW), ("来週の火曜日", NEXT_TUESDAY), ("12月12日", DEC_12)],
    "ko": [("내일", TOMORROW), ("모레", DAY_AFTER), ("다음 주 화요일", NEXT_TUESDAY), ("12월 12일", DEC_12)],
    "ru": [("завтра", TOMORROW), ("послезавтра", DAY_AFTER), ("в следующий вторник", NEXT_TUESDAY),
           ("12 декабря", DEC_12)],
    "ar": [("غدا", TOMORROW), ("بعد غد", DAY_AFTER), ("الثلاثاء القادم", NEXT_TUESDAY), ("12 ديسمبر", DEC_12)],
    "fr": [("demain", TOMORROW), ("après-demain", DAY_AFTER), ("mardi prochain", NEXT_TUESDAY),
           ("12 décembre", DEC_12)],
    "de": [("morgen", TOMORROW), ("übermorgen", DAY_AFTER), ("nächsten Dienstag", NEXT_TUESDAY),
           ("12. Dezember", DEC_12)],
    "es": [("mañana", TOMORROW), ("pasado mañana", DAY_AFTER), ("el próximo martes", NEXT_TUESDAY),
           ("12 de diciembre", DEC_12)],
    "vi": [("ngày mai", TOMORROW), ("ngày kia", DAY_AFTER), ("thứ ba tuần sau", NEXT_TUESDAY), ("12 tháng 12", DEC_12)],
    "th": [("พรุ่งนี้", TOMORROW), ("มะรืนนี้", DAY_AFTER), ("วันอังคารหน้า", NEXT_TUESDAY), ("12 ธันวาคม", DEC_12)],
}


@pytest.mark.parametrize("language,text,expected", [(lang, t, d) for lang, cases in CASES.items() for t, d in cases])
def test_dates_in_every_language(language, text, expected):
    assert parse_date(text, language, TODAY).date == expected


@pytest.mark.parametrize("language,text", [("en", "30 February"), ("en", "Feb 30"), ("zh-Hans", "2月30日"),
                                           ("ja", "2月31日"), ("fr", "30 février"), ("de", "31. April")])
def test_impossible_dates_are_named_as_such(language, text):
    assert parse_date(text, language, TODAY).problem == "impossible"


@pytest.mark.parametrize("language,text", [("en", "blah"), ("ko", "ㅋㅋㅋ"), ("ar", "لا أعرف"), ("en", "")])
def test_unreadable_dates(language, text):
    reading = parse_date(text, language, TODAY)
    assert reading.date is None and reading.problem == "unreadable"


def test_yesterday_is_read_as_a_past_date_for_the_form_to_refuse():
    assert parse_date("yesterday", "en", TODAY).date == dt.date(2026, 11, 22)


@pytest.mark.parametrize("text,expected", [
    ("3pm", "15:00"), ("15:00", "15:00"), ("下午3点", "15:00"), ("下午三点", "15:00"), ("午後2時", "14:00"),
    ("오후 3시", "15:00"), ("15 Uhr", "15:00"), ("à 14h", "14:00"), ("a las 4 de la tarde", "16:00"),
    ("в 15:30", "15:30"), ("3 giờ chiều", "15:00"), ("บ่าย 3 โมง", "15:00"), ("الساعة 10:30", "10:30"),
    ("9 am", "09:00"), ("no idea", None), ("25:00", None),
])
def test_times(text, expected):
    assert parse_time(text) == expected
