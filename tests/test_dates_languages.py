"""Dates as patients type them in each of the 12 languages: appointment dates and dates of birth.

Today is fixed: Monday 2026-11-23. "Next Tuesday" is the Tuesday of next week (1 December), a bare
weekday the next such day after today, "this Friday" the Friday from today on (27 November).
"""
import datetime as dt
import time

import pytest

from actions.dates import DateReading, parse_birth_date, parse_date

TODAY = dt.date(2026, 11, 23)  # a Monday
D = dt.date
TOMORROW, DAY_AFTER, IN_3_DAYS, FRIDAY = D(2026, 11, 24), D(2026, 11, 25), D(2026, 11, 26), D(2026, 11, 27)
IN_A_WEEK, NEXT_TUESDAY, NEXT_WEDNESDAY, NEXT_FRIDAY = D(2026, 11, 30), D(2026, 12, 1), D(2026, 12, 2), D(2026, 12, 4)
IN_2_WEEKS, DEC_3, MAR_12 = D(2026, 12, 7), D(2026, 12, 3), D(2027, 3, 12)
BORN = D(1990, 5, 3)

APPOINTMENTS = {
    "en": [("12/03/2027", MAR_12), ("2026-12-03", DEC_3), ("3/12", DEC_3), ("12.03.", MAR_12), ("3 December", DEC_3),
           ("December 3rd", DEC_3), ("Dec 3, 2026", DEC_3), ("the 3rd of December", DEC_3), ("tomorrow", TOMORROW),
           ("the day after tomorrow", DAY_AFTER), ("in 3 days", IN_3_DAYS), ("in a week", IN_A_WEEK),
           ("in two weeks", IN_2_WEEKS), ("Friday", FRIDAY), ("this Friday", FRIDAY),
           ("next Tuesday at 10", NEXT_TUESDAY), ("next wednesday 3pm", NEXT_WEDNESDAY),
           ("tomorrow at 10:30am", TOMORROW), ("Thursday 3 December at 9", DEC_3)],
    "zh-Hans": [("2026年12月3日", DEC_3), ("12月3日", DEC_3), ("12月3号", DEC_3), ("十二月三日", DEC_3),
                ("１２月３日", DEC_3), ("2026/12/3", DEC_3), ("12/3", DEC_3), ("明天", TOMORROW), ("后天", DAY_AFTER),
                ("3天后", IN_3_DAYS), ("三天后", IN_3_DAYS), ("一周后", IN_A_WEEK), ("两周后", IN_2_WEEKS),
                ("周五", FRIDAY), ("星期五", FRIDAY), ("这周五", FRIDAY), ("下周三", NEXT_WEDNESDAY),
                ("下星期三", NEXT_WEDNESDAY), ("明天下午三点", TOMORROW), ("下周三十点半", NEXT_WEDNESDAY),
                ("12月3日上午9点", DEC_3)],
    # Hong Kong writes the day first
    "zh-Hant": [("2026年12月3日", DEC_3), ("12月3號", DEC_3), ("十二月三號", DEC_3), ("3/12", DEC_3),
                ("聽日", TOMORROW), ("後天", DAY_AFTER), ("3天後", IN_3_DAYS), ("兩個星期後", IN_2_WEEKS),
                ("週五", FRIDAY), ("禮拜五", FRIDAY), ("這個禮拜五", FRIDAY), ("下禮拜三", NEXT_WEDNESDAY),
                ("下星期三上午10點", NEXT_WEDNESDAY), ("明天下午3點", TOMORROW)],
    "ja": [("2026年12月3日", DEC_3), ("12月3日", DEC_3), ("１２月３日", DEC_3), ("12/3", DEC_3),
           ("令和8年12月3日", DEC_3), ("明日", TOMORROW), ("明後日", DAY_AFTER), ("あさって", DAY_AFTER),
           ("3日後", IN_3_DAYS), ("三日後", IN_3_DAYS), ("一週間後", IN_A_WEEK), ("金曜日", FRIDAY),
           ("今週の金曜日", FRIDAY), ("来週の火曜日", NEXT_TUESDAY), ("来週水曜日の10時", NEXT_WEDNESDAY),
           ("明日の午後3時", TOMORROW), ("12月3日(木)", DEC_3)],
    "ko": [("2026년 12월 3일", DEC_3), ("12월 3일", DEC_3), ("12/3", DEC_3), ("2026.12.03", DEC_3), ("내일", TOMORROW),
           ("모레", DAY_AFTER), ("3일 후", IN_3_DAYS), ("사흘 뒤", IN_3_DAYS), ("일주일 후", IN_A_WEEK),
           ("2주 후", IN_2_WEEKS), ("금요일", FRIDAY), ("이번 주 금요일", FRIDAY), ("다음 주 화요일", NEXT_TUESDAY),
           ("다음 주 수요일 오후 3시", NEXT_WEDNESDAY), ("내일 오전 10시", TOMORROW)],
    "ru": [("03.12.2026", DEC_3), ("3.12", DEC_3), ("3 декабря", DEC_3), ("3 декабря 2026 г.", DEC_3),
           ("12.03.", MAR_12), ("завтра", TOMORROW), ("послезавтра", DAY_AFTER), ("через 3 дня", IN_3_DAYS),
           ("через неделю", IN_A_WEEK), ("через две недели", IN_2_WEEKS), ("пятница", FRIDAY),
           ("в пятницу", FRIDAY), ("в эту пятницу", FRIDAY), ("в следующий вторник", NEXT_TUESDAY),
           ("в следующую среду в 15:00", NEXT_WEDNESDAY), ("завтра в 10", TOMORROW),
           ("через 3 дня в 15:00", IN_3_DAYS)],
    "ar": [("03/12/2026", DEC_3), ("٣/١٢/٢٠٢٦", DEC_3), ("3 ديسمبر", DEC_3), ("٣ ديسمبر ٢٠٢٦", DEC_3),
           ("3 كانون الأول", DEC_3), ("غدا", TOMORROW), ("بكرة", TOMORROW), ("بعد غد", DAY_AFTER),
           ("بعد ثلاثة أيام", IN_3_DAYS), ("بعد 3 أيام", IN_3_DAYS), ("بعد أسبوع", IN_A_WEEK),
           ("بعد يومين", DAY_AFTER), ("الجمعة", FRIDAY), ("يوم الجمعة", FRIDAY), ("الجمعة القادمة", NEXT_FRIDAY),
           ("الثلاثاء القادم الساعة 10", NEXT_TUESDAY), ("بكرة الساعة 3 مساء", TOMORROW)],
    "fr": [("03/12/2026", DEC_3), ("3/12", DEC_3), ("3 décembre", DEC_3), ("le 3 décembre 2026", DEC_3),
           ("1er décembre", NEXT_TUESDAY), ("demain", TOMORROW), ("après-demain", DAY_AFTER),
           ("dans trois jours", IN_3_DAYS), ("dans une semaine", IN_A_WEEK), ("dans 2 semaines", IN_2_WEEKS),
           ("vendredi", FRIDAY), ("ce vendredi", FRIDAY), ("mardi prochain", NEXT_TUESDAY),
           ("mardi prochain à 14h30", NEXT_TUESDAY), ("demain à 10h", TOMORROW)],
    "de": [("03.12.2026", DEC_3), ("3.12.", DEC_3), ("3. Dezember", DEC_3), ("am 3. Dezember 2026", DEC_3),
           ("morgen", TOMORROW), ("übermorgen", DAY_AFTER), ("in 3 Tagen", IN_3_DAYS), ("in einer Woche", IN_A_WEEK),
           ("in zwei Wochen", IN_2_WEEKS), ("Freitag", FRIDAY), ("am Freitag um halb drei", FRIDAY),
           ("diesen Freitag", FRIDAY), ("nächsten Dienstag", NEXT_TUESDAY),
           ("nächsten Mittwoch um 10.30 Uhr", NEXT_WEDNESDAY), ("morgen um 9 Uhr", TOMORROW)],
    "es": [("03/12/2026", DEC_3), ("3/12", DEC_3), ("3 de diciembre", DEC_3), ("el 3 de diciembre de 2026", DEC_3),
           ("mañana", TOMORROW), ("pasado mañana", DAY_AFTER), ("en 3 días", IN_3_DAYS),
           ("dentro de una semana", IN_A_WEEK), ("dentro de dos semanas", IN_2_WEEKS), ("viernes", FRIDAY),
           ("el viernes", FRIDAY), ("este viernes", FRIDAY), ("el próximo martes", NEXT_TUESDAY),
           ("el martes que viene a las 10", NEXT_TUESDAY), ("mañana a las 4 de la tarde", TOMORROW)],
    "vi": [("03/12/2026", DEC_3), ("3/12", DEC_3), ("ngày 3 tháng 12", DEC_3), ("ngày 3 tháng 12 năm 2026", DEC_3),
           ("ngày mai", TOMORROW), ("ngày mốt", DAY_AFTER), ("3 ngày nữa", IN_3_DAYS), ("1 tuần nữa", IN_A_WEEK),
           ("sau 3 ngày", IN_3_DAYS), ("thứ sáu", FRIDAY), ("thứ 6 tuần này", FRIDAY),
           ("thứ sáu tuần sau", NEXT_FRIDAY), ("thứ ba tuần sau lúc 10 giờ", NEXT_TUESDAY),
           ("ngày mai lúc 9 giờ", TOMORROW)],
    "th": [("03/12/2569", DEC_3), ("3/12/2026", DEC_3), ("3 ธันวาคม", DEC_3), ("3 ธ.ค. 69", DEC_3),
           ("3 ธันวาคม 2569", DEC_3), ("พรุ่งนี้", TOMORROW), ("มะรืนนี้", DAY_AFTER), ("อีก 3 วัน", IN_3_DAYS),
           ("อีกสามวัน", IN_3_DAYS), ("อีก 1 สัปดาห์", IN_A_WEEK), ("วันศุกร์", FRIDAY), ("ศุกร์นี้", FRIDAY),
           ("วันศุกร์หน้า", NEXT_FRIDAY), ("วันอังคารหน้า 10 โมง", NEXT_TUESDAY), ("พรุ่งนี้บ่าย 3 โมง", TOMORROW)],
}

BIRTH_DATES = {
    "en": [("03/05/1990", BORN), ("3/5/1990", BORN), ("3 May 1990", BORN), ("May 3, 1990", BORN),
           ("May 3rd 1990", BORN), ("3rd of May 1990", BORN), ("1990-05-03", BORN), ("03.05.1990", BORN),
           ("3-May-90", BORN), ("03/05/90", BORN), ("May 3 '90", BORN), ("19900503", BORN),
           ("I was born on 3 May 1990", BORN)],
    "zh-Hans": [("1990年5月3日", BORN), ("1990年05月03日", BORN), ("1990年5月3日出生", BORN),
                ("一九九〇年五月三日", BORN), ("90年5月3日", BORN), ("1990-05-03", BORN), ("1990/5/3", BORN),
                ("1990.5.3", BORN), ("19900503", BORN), ("900503", BORN), ("我是1990年5月3号生的", BORN)],
    "zh-Hant": [("1990年5月3日", BORN), ("民國79年5月3日", BORN), ("1990年5月3號", BORN), ("一九九〇年五月三日", BORN),
                ("1990/05/03", BORN), ("03/05/1990", BORN), ("19900503", BORN), ("1990.5.3", BORN),
                ("我1990年5月3日出生", BORN), ("90年5月3日", BORN)],
    "ja": [("1990年5月3日", BORN), ("1990年5月3日生まれ", BORN), ("平成2年5月3日", BORN), ("H2.5.3", BORN),
           ("平成元年5月3日", D(1989, 5, 3)), ("昭和59年3月12日", D(1984, 3, 12)), ("1990/05/03", BORN),
           ("90年5月3日", BORN), ("900503", BORN), ("19900503", BORN), ("１９９０年５月３日", BORN)],
    "ko": [("1990년 5월 3일", BORN), ("1990년 5월 3일생", BORN), ("90년 5월 3일생", BORN), ("900503", BORN),
           ("1990.05.03", BORN), ("90.05.03", BORN), ("1990-05-03", BORN), ("1990/5/3", BORN), ("19900503", BORN),
           ("1990년5월3일", BORN), ("저는 1990년 5월 3일에 태어났어요", BORN)],
    "ru": [("03.05.1990", BORN), ("3.5.1990", BORN), ("3 мая 1990", BORN), ("3 мая 1990 г.", BORN),
           ("03.05.90", BORN), ("1990-05-03", BORN), ("03/05/1990", BORN), ("родился 3 мая 1990 года", BORN),
           ("3-го мая 1990", BORN), ("3 май 1990", BORN)],
    "ar": [("03/05/1990", BORN), ("٣/٥/١٩٩٠", BORN), ("3 مايو 1990", BORN), ("٣ مايو ١٩٩٠", BORN),
           ("3 أيار 1990", BORN), ("3 ايار 1990", BORN), ("1990-05-03", BORN), ("3-5-1990", BORN),
           ("مواليد 3 مايو 1990", BORN), ("٠٣/٠٥/٩٠", BORN)],
    "fr": [("03/05/1990", BORN), ("3/5/1990", BORN), ("3 mai 1990", BORN), ("le 3 mai 1990", BORN),
           ("1er mai 1990", D(1990, 5, 1)), ("03.05.1990", BORN), ("03-05-1990", BORN), ("03/05/90", BORN),
           ("né le 3 mai 1990", BORN), ("1990-05-03", BORN), ("3 MAI 1990", BORN)],
    "de": [("03.05.1990", BORN), ("3.5.1990", BORN), ("3. Mai 1990", BORN), ("3 Mai 1990", BORN), ("03.05.90", BORN),
           ("geboren am 3. Mai 1990", BORN), ("1990-05-03", BORN), ("3.5.90", BORN), ("03/05/1990", BORN),
           ("3. Mai 90", BORN)],
    "es": [("03/05/1990", BORN), ("3/5/1990", BORN), ("3 de mayo de 1990", BORN), ("3 de mayo 1990", BORN),
           ("03-05-1990", BORN), ("03/05/90", BORN), ("nací el 3 de mayo de 1990", BORN), ("1990-05-03", BORN),
           ("3 mayo 1990", BORN), ("3 de Mayo del 1990", BORN)],
    "vi": [("03/05/1990", BORN), ("3/5/1990", BORN), ("ngày 3 tháng 5 năm 1990", BORN), ("3 tháng 5 năm 1990", BORN),
           ("3 tháng 5, 1990", BORN), ("03-05-1990", BORN), ("03.05.1990", BORN), ("sinh ngày 3/5/1990", BORN),
           ("1990-05-03", BORN), ("03/05/90", BORN), ("mùng 3 tháng 5 năm 1990", BORN)],
    "th": [("3 พฤษภาคม 2533", BORN), ("3 พ.ค. 2533", BORN), ("3 พ.ค. 33", BORN), ("03/05/2533", BORN),
           ("3/5/2533", BORN), ("03/05/1990", BORN), ("๓ พฤษภาคม ๒๕๓๓", BORN), ("วันที่ 3 พฤษภาคม พ.ศ. 2533", BORN),
           ("2533-05-03", BORN), ("เกิด 3 พ.ค. 33", BORN), ("3 พฤษภาคม 1990", BORN)],
}


@pytest.mark.parametrize("language,text,expected",
                         [(lang, text, date) for lang, cases in APPOINTMENTS.items() for text, date in cases])
def test_appointment_dates(language, text, expected):
    reading = parse_date(text, language, TODAY)
    assert (reading.date, reading.problem) == (expected, None)


@pytest.mark.parametrize("language,text,expected",
                         [(lang, text, date) for lang, cases in BIRTH_DATES.items() for text, date in cases])
def test_birth_dates(language, text, expected):
    reading = parse_birth_date(text, language, TODAY)
    assert (reading.date, reading.problem) == (expected, None)


def test_every_language_has_at_least_ten_forms_of_each():
    assert set(APPOINTMENTS) == set(BIRTH_DATES) and len(APPOINTMENTS) == 12
    assert all(len(cases) >= 10 for cases in [*APPOINTMENTS.values(), *BIRTH_DATES.values()])


@pytest.mark.parametrize("language,text,expected", [
    ("en", "Monday", D(2026, 11, 30)), ("en", "this Monday", TODAY), ("zh-Hans", "下下周三", D(2026, 12, 9)),
    ("ja", "再来週の月曜日", D(2026, 12, 7)), ("de", "übernächsten Freitag", D(2026, 12, 11)),
    ("ko", "담주 화욜", NEXT_TUESDAY), ("vi", "T6", FRIDAY), ("ar", "بعد أسبوعين", IN_2_WEEKS),
    ("ko", "한 달 후", D(2026, 12, 23)), ("ru", "через месяц", D(2026, 12, 23)), ("th", "12/03/2570", MAR_12),
    ("en", "Feb 29", D(2028, 2, 29)),  # the next 29 February
])
def test_more_relative_and_calendar_forms(language, text, expected):
    assert parse_date(text, language, TODAY).date == expected


@pytest.mark.parametrize("language,text,expected", [
    ("zh-Hant", "105年5月3日", D(2016, 5, 3)),  # Taiwan: a three-digit year is a 民國 year
    ("ja", "S59.3.12", D(1984, 3, 12)), ("ko", "900503-1", BORN), ("vi", "3 thang 5 nam 1990", BORN),
    ("ar", "٣ تشرين الأول ١٩٩٠", D(1990, 10, 3)), ("ar", "3 آب 1990", D(1990, 8, 3)),
])
def test_more_birth_date_forms(language, text, expected):
    assert parse_birth_date(text, language, TODAY).date == expected


@pytest.mark.parametrize("language,text", [("ja", "令和7年"), ("ja", "平成2年"), ("en", "900503")])
def test_a_year_without_the_day_is_unreadable(language, text):
    assert parse_date(text, language, TODAY).date is None and parse_birth_date(text, language, TODAY).date is None


# Day and month both 12 or less: the language's order is taken and said; otherwise nothing is assumed.
@pytest.mark.parametrize("parse,language,text,expected,order", [
    (parse_birth_date, "en", "05/03/1990", D(1990, 3, 5), "day_month"),
    (parse_birth_date, "fr", "05/03/1990", D(1990, 3, 5), "day_month"),
    (parse_birth_date, "ja", "05/03/1990", D(1990, 5, 3), "month_day"),
    (parse_birth_date, "en", "25/03/1990", D(1990, 3, 25), None),
    (parse_birth_date, "en", "03/25/1990", D(1990, 3, 25), None),  # only month-day is a date
    (parse_birth_date, "en", "05/05/1990", D(1990, 5, 5), None),  # both readings are the same day
    (parse_birth_date, "zh-Hans", "1990年5月3日", BORN, None),
    (parse_birth_date, "en", "1990-05-03", BORN, None),
    (parse_birth_date, "de", "3. Mai 1990", BORN, None),
    (parse_date, "en", "3/12", DEC_3, "day_month"),
    (parse_date, "zh-Hans", "12/3", DEC_3, "month_day"),
    (parse_date, "es", "25/12", D(2026, 12, 25), None),
    (parse_date, "en", "tomorrow", TOMORROW, None),
])
def test_ambiguous_numbers_say_which_order_was_assumed(parse, language, text, expected, order):
    reading = parse(text, language, TODAY)
    assert (reading.date, reading.assumed_order) == (expected, order)


@pytest.mark.parametrize("language,text,expected", [
    ("en", "03/05/90", BORN), ("en", "03/05/15", D(2015, 5, 3)), ("en", "03/05/26", D(2026, 5, 3)),
    ("en", "03/12/26", D(1926, 12, 3)),  # 2026-12-03 is still to come: the previous century
    ("ko", "150503", D(2015, 5, 3)), ("ja", "30年5月3日", D(1930, 5, 3)),
    ("th", "3 พ.ค. 69", D(2026, 5, 3)),  # two-digit Thai years are Buddhist era: 2569
])
def test_two_digit_birth_years_are_never_in_the_future(language, text, expected):
    assert parse_birth_date(text, language, TODAY).date == expected


@pytest.mark.parametrize("language,text", [("en", "03/05/2030"), ("en", "1 January 2027"), ("de", "24.11.2026"),
                                           ("zh-Hans", "2030年1月1日"), ("th", "1 มกราคม 2570")])
def test_a_birth_date_in_the_future_is_refused(language, text):
    assert parse_birth_date(text, language, TODAY) == DateReading(None, "future")


@pytest.mark.parametrize("language,text", [
    ("en", "tomorrow"), ("en", "next Friday"), ("zh-Hans", "明天"), ("ko", "사흘 뒤"), ("fr", "vendredi"),
    ("en", "3 May"), ("de", "3.5."), ("en", "1990"), ("en", "blah"), ("en", ""), ("ar", "لا أعرف"),
])
def test_a_birth_date_needs_day_month_and_year(language, text):
    reading = parse_birth_date(text, language, TODAY)
    assert (reading.date, reading.problem) == (None, "unreadable")


@pytest.mark.parametrize("language,text", [
    ("en", "30.02.1990"), ("de", "31.04.1990"), ("fr", "31/04/1990"), ("zh-Hans", "1990年2月30日"),
    ("ru", "31 апреля 1990"), ("en", "1880-01-01"), ("ja", "1890年1月1日"), ("en", "13/13/1990"),
])
def test_impossible_birth_dates(language, text):
    reading = parse_birth_date(text, language, TODAY)
    assert (reading.date, reading.problem) == (None, "impossible")


@pytest.mark.parametrize("language,text", [
    ("en", "30 February"), ("de", "31.04.1990"), ("fr", "31/04"), ("zh-Hans", "2月30日"), ("ko", "2월 30일"),
    ("ru", "31 апреля"), ("es", "30 de febrero"), ("vi", "ngày 30 tháng 2"), ("th", "30 กุมภาพันธ์"),
    ("ar", "30 فبراير"), ("ja", "2月30日"),
])
def test_impossible_appointment_dates(language, text):
    reading = parse_date(text, language, TODAY)
    assert (reading.date, reading.problem) == (None, "impossible")


@pytest.mark.parametrize("language,text", [
    ("en", "blah"), ("en", "whenever"), ("en", "next week"), ("vi", "tuần sau"), ("zh-Hans", "下周"),
    ("fr", "la semaine prochaine"), ("th", "อาทิตย์หน้า"), ("ko", "ㅋㅋㅋ"), ("es", "no sé"), ("de", "???"),
])
def test_nonsense_and_vague_dates_are_unreadable(language, text):
    reading = parse_date(text, language, TODAY)
    assert (reading.date, reading.problem) == (None, "unreadable")


def test_a_long_text_is_read_quickly():
    started = time.monotonic()
    assert parse_date("bla " * 500, "en", TODAY).date is None
    assert parse_birth_date("3 May 1990 " + "x" * 2000, "en", TODAY).date == BORN
    assert parse_date("下周三" + "啊" * 2000, "zh-Hans", TODAY).date == NEXT_WEDNESDAY
    assert time.monotonic() - started < 2


@pytest.mark.parametrize("language,text", [("en", "3pm"), ("en", "10:30"), ("en", "at 9 am"), ("de", "15:00 Uhr"),
                                           ("zh-Hans", "下午三点"), ("fr", "14h30")])
def test_a_time_alone_is_no_date(language, text):
    """A time alone leaves the day to the form (dateparser would answer today or tomorrow)."""
    assert parse_date(text, language, TODAY).date is None


@pytest.mark.parametrize("language,text", [
    ("fr", "est-ce que je peux décaler mon rendez-vous à lundi ?"),
    ("ru", "слушайте, перенесите эту запись на понедельник, пожалуйста"),
    ("ar", "ممكن أنقل هذا الموعد ليوم الاثنين؟"),
])
def test_this_appointment_is_not_this_monday(language, text):
    """'this' naming the appointment, far from the weekday, is not 'this Monday' (today)."""
    assert parse_date(text, language, TODAY).date == dt.date(2026, 11, 30)
