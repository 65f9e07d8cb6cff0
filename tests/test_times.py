"""Appointment times as patients write them, in all 12 languages (actions/times.py).

An hour without a morning/afternoon word is a clinic appointment: 1-6 are the afternoon, 7-12 stay.
"""
import time

import pytest

from actions.times import parse_time

CASES = {
    "en": [
        ("10am", "10:00"), ("10 a.m.", "10:00"), ("3pm", "15:00"), ("15:00", "15:00"), ("at 3", "15:00"),
        ("half past two", "14:30"), ("quarter past ten", "10:15"), ("quarter to three", "14:45"),
        ("noon", "12:00"), ("midday", "12:00"), ("ten thirty", "10:30"),
        ("two o'clock in the afternoon", "14:00"), ("10ish", "10:00"), ("3am", "03:00"), ("at 9:30", "09:30"),
        ("twenty past four", "16:20"), ("ten to four", "15:50"), ("half two", "14:30"), ("11 o’clock", "11:00"),
        ("7 in the evening", "19:00"), ("12 noon", "12:00"), ("quarter to one", "12:45"), ("8:45 am", "08:45"),
        ("around 11", "11:00"), ("at 3 on Friday", "15:00"), ("I am free at 3", "15:00"),
        ("Good morning, can I come at 3?", "15:00"), ("ten oh five", "10:05"), ("3.30pm", "15:30"),
        ("at 12.30", "12:30"), ("tomorrow morning at 10", "10:00"), ("five past nine", "09:05"),
        ("eleven forty-five", "11:45"), ("9 o'clock", "09:00"), ("midnight", "00:00"),
        ("half past eleven in the morning", "11:30"), ("3 in the afternoon", "15:00"), ("12am", "00:00"),
        ("at 3 or half past four", "15:00"),
    ],
    "zh-Hans": [
        ("十点半", "10:30"), ("下午三点", "15:00"), ("两点一刻", "14:15"), ("三点三刻", "15:45"),
        ("下午2:30", "14:30"), ("上午十点", "10:00"), ("中午十二点", "12:00"), ("早上九点半", "09:30"),
        ("10点", "10:00"), ("两点半", "14:30"), ("晚上七点", "19:00"), ("明天下午3点", "15:00"),
        ("九点十五分", "09:15"), ("十点零五分", "10:05"), ("三点十五", "15:15"), ("差五分三点", "14:55"),
        ("凌晨三点", "03:00"), ("中午", "12:00"), ("十一点", "11:00"), ("8点钟", "08:00"), ("15时30分", "15:30"),
        ("明早八点", "08:00"), ("中午一点", "13:00"), ("下午３点", "15:00"), ("三点差十分", "14:50"),
        ("差一刻三点", "14:45"), ("两点过五分", "14:05"), ("一点半", "13:30"), ("三点也可以", "15:00"),
    ],
    "zh-Hant": [
        ("十點半", "10:30"), ("下晝三點", "15:00"), ("朝早十點", "10:00"), ("三點三", "15:15"), ("兩點半", "14:30"),
        ("下午三點", "15:00"), ("兩點一刻", "14:15"), ("上午九點", "09:00"), ("晚上八點", "20:00"),
        ("十二點", "12:00"), ("三點九", "15:45"), ("十一點", "11:00"), ("中午一點", "13:00"),
        ("聽日下晝兩點", "14:00"), ("三點三個字", "15:15"), ("10點", "10:00"), ("九點四十五分", "09:45"),
    ],
    "ja": [
        ("午後3時半", "15:30"), ("10時", "10:00"), ("十時半", "10:30"), ("午前十時", "10:00"),
        ("15時30分", "15:30"), ("昼の12時", "12:00"), ("2時半", "14:30"), ("夕方4時", "16:00"),
        ("午前9時", "09:00"), ("朝8時半", "08:30"), ("夜7時", "19:00"), ("11時15分", "11:15"),
        ("10時5分前", "09:55"), ("正午", "12:00"), ("午後2時", "14:00"), ("3時", "15:00"),
        ("明日の午後３時", "15:00"), ("十一時四十五分", "11:45"), ("午後1時", "13:00"), ("9時ごろ", "09:00"),
    ],
    "ko": [
        ("오후 세 시", "15:00"), ("오후 3시 반", "15:30"), ("10시", "10:00"), ("열 시 반", "10:30"),
        ("오전 열한 시", "11:00"), ("세 시 삼십 분", "15:30"), ("두시", "14:00"), ("점심 12시", "12:00"),
        ("아침 9시", "09:00"), ("오후 2시 30분", "14:30"), ("열두 시", "12:00"), ("저녁 7시", "19:00"),
        ("9시 15분", "09:15"), ("한 시", "13:00"), ("오전 8시", "08:00"), ("10시 5분 전", "09:55"),
        ("정오", "12:00"), ("내일 오후 네 시", "16:00"), ("오후세시", "15:00"), ("열한시 사십오분", "11:45"),
    ],
    "ru": [
        ("в полдень", "12:00"), ("в 10", "10:00"), ("в 10 утра", "10:00"), ("в три часа дня", "15:00"),
        ("в половине третьего", "14:30"), ("без четверти три", "14:45"), ("в 15:30", "15:30"),
        ("в четверть одиннадцатого", "10:15"), ("в 9 часов", "09:00"), ("в 7 вечера", "19:00"),
        ("в десять тридцать", "10:30"), ("полтретьего", "14:30"), ("без пяти десять", "09:55"),
        ("в час дня", "13:00"), ("в 10 часов 30 минут", "10:30"), ("десять минут третьего", "14:10"),
        ("завтра в 11", "11:00"), ("12 марта в 10", "10:00"), ("к двум", "14:00"), ("в 2 ночи", "02:00"),
        ("в 11 ночи", "23:00"), ("в восемь утра", "08:00"), ("в 9.30", "09:30"), ("в половине десятого", "09:30"),
        ("в 3 дня", "15:00"), ("без 15 три", "14:45"),
    ],
    "ar": [
        ("الساعة الحادية عشرة", "11:00"), ("الساعة العاشرة صباحا", "10:00"), ("الساعة الثالثة والنصف", "15:30"),
        ("الثانية ظهرا", "14:00"), ("الساعة 10", "10:00"), ("الساعة الرابعة إلا ربع", "15:45"), ("الظهر", "12:00"),
        ("١٠:٣٠", "10:30"), ("الساعة التاسعة", "09:00"), ("الساعة الثامنة والربع", "08:15"),
        ("الساعة ٣ مساءً", "15:00"), ("الساعة السابعة مساءً", "19:00"), ("الساعة الخامسة إلا عشر دقائق", "16:50"),
        ("غداً الساعة 11", "11:00"), ("الساعة ثلاثة ونص", "15:30"), ("الساعة الثانية عشرة ظهرا", "12:00"),
        ("الساعة العاشرة والثلث", "10:20"), ("8 صباحا", "08:00"), ("الساعة ١١ صباحاً", "11:00"),
        ("الساعة الواحدة", "13:00"),
    ],
    "fr": [
        ("à 14h", "14:00"), ("14h30", "14:30"), ("10 heures", "10:00"), ("dix heures et demie", "10:30"),
        ("midi", "12:00"), ("trois heures moins le quart", "14:45"), ("deux heures de l'après-midi", "14:00"),
        ("vers 10h", "10:00"), ("9h15", "09:15"), ("à 8 h 30", "08:30"), ("onze heures et quart", "11:15"),
        ("midi et demi", "12:30"), ("quatorze heures trente", "14:30"), ("7 heures du soir", "19:00"),
        ("à 3 heures du matin", "03:00"), ("dix heures moins dix", "09:50"), ("demain à 10h", "10:00"),
        ("le 3 mars à 9h", "09:00"), ("à quinze heures", "15:00"), ("une heure et demie", "13:30"),
        ("vers 14h30", "14:30"), ("midi moins le quart", "11:45"),
    ],
    "de": [
        ("um halb drei", "14:30"), ("um 10", "10:00"), ("15 Uhr", "15:00"), ("viertel nach zehn", "10:15"),
        ("Viertel vor drei", "14:45"), ("dreiviertel drei", "14:45"), ("zehn Uhr dreißig", "10:30"),
        ("mittags", "12:00"), ("um 14:30 Uhr", "14:30"), ("12.03 um 14 Uhr", "14:00"),
        ("um 9 Uhr morgens", "09:00"), ("halb zehn", "09:30"), ("fünf nach drei", "15:05"),
        ("zehn vor elf", "10:50"), ("um 8.30 Uhr", "08:30"), ("morgen um 3", "15:00"), ("gegen 11", "11:00"),
        ("um 7 Uhr abends", "19:00"), ("fünf vor halb drei", "14:25"), ("viertel drei", "14:15"),
        ("zwölf Uhr", "12:00"), ("um elf", "11:00"), ("um halb eins", "12:30"),
        ("zehn nach halb neun", "08:40"), ("um 16 Uhr 30", "16:30"),
    ],
    "es": [
        ("a las 4 de la tarde", "16:00"), ("a las diez", "10:00"), ("a las diez y media", "10:30"),
        ("a las tres menos cuarto", "14:45"), ("al mediodía", "12:00"), ("a las 10 de la mañana", "10:00"),
        ("10:30", "10:30"), ("a la una", "13:00"), ("a las nueve y cuarto", "09:15"),
        ("a las cinco menos diez", "16:50"), ("a las 15 horas", "15:00"), ("mañana a las 3", "15:00"),
        ("a las 8 de la noche", "20:00"), ("a las once y veinte", "11:20"), ("las 9 en punto", "09:00"),
        ("a las 3 de la madrugada", "03:00"), ("a las doce", "12:00"), ("a las dos y media", "14:30"),
        ("a las 10h", "10:00"), ("a las 11:45", "11:45"), ("a la una del mediodía", "13:00"),
        ("sobre las 10h30", "10:30"),
    ],
    "vi": [
        ("mười giờ sáng", "10:00"), ("3 giờ chiều", "15:00"), ("2 giờ rưỡi chiều", "14:30"), ("9h", "09:00"),
        ("9h30", "09:30"), ("10 giờ kém 15", "09:45"), ("trưa", "12:00"), ("lúc 8 giờ", "08:00"),
        ("7 giờ tối", "19:00"), ("hai giờ chiều", "14:00"), ("mười một giờ trưa", "11:00"),
        ("1 giờ trưa", "13:00"), ("8 giờ 30 phút", "08:30"), ("ba giờ", "15:00"), ("lúc 10:15", "10:15"),
        ("3 gio chieu", "15:00"), ("mười giờ mười lăm", "10:15"), ("tôi muốn đặt lúc 10 giờ", "10:00"),
        ("8g30", "08:30"), ("9h sáng mai", "09:00"), ("bốn giờ kém mười lăm", "15:45"),
        ("lúc 14h30", "14:30"), ("chào buổi sáng, tôi muốn đặt 3 giờ", "15:00"),
    ],
    "th": [
        ("บ่ายสองโมง", "14:00"), ("บ่าย 3 โมง", "15:00"), ("สิบโมงเช้า", "10:00"), ("9 โมงเช้า", "09:00"),
        ("เที่ยง", "12:00"), ("เที่ยงครึ่ง", "12:30"), ("สี่โมงเย็น", "16:00"), ("บ่ายสามโมงครึ่ง", "15:30"),
        ("10.30 น.", "10:30"), ("14.00 น.", "14:00"), ("๑๐ โมง", "10:00"), ("บ่ายโมง", "13:00"),
        ("สองทุ่ม", "20:00"), ("ตีห้า", "05:00"), ("แปดโมงครึ่ง", "08:30"), ("เจ็ดโมงเช้า", "07:00"),
        ("14 นาฬิกา", "14:00"), ("ห้าโมงเย็น", "17:00"), ("พรุ่งนี้ 9 โมง", "09:00"), ("๙.๓๐ น.", "09:30"),
        ("บ่ายสองโมงสิบห้านาที", "14:15"), ("บ่ายสาม", "15:00"), ("ตีสาม", "03:00"),
        ("สามทุ่มครึ่ง", "21:30"), ("เที่ยงคืน", "00:00"), ("ทุ่มนึง", "19:00"),
    ],
}

# No time, or an impossible one, in each language.
NO_TIME = {
    "en": ["tomorrow", "no idea", "Tuesday", "next Tuesday", "25:00", "10:75", "in 3 days", "12/03", "12.03",
           "12.03.2026", "2026-03-12", "", "   "],
    "zh-Hans": ["明天", "我有一点担心", "早一点", "两个小时后", "不知道"],
    "zh-Hant": ["聽日", "唔知", "晚一點"],
    "ja": ["明日", "2時間後", "わかりません", "来週の火曜日"],
    "ko": ["내일", "두 시간 후", "모르겠어요", "다음 주 화요일"],
    "ru": ["завтра", "через 3 часа", "не знаю", "в следующий вторник", "в 25:00"],
    "ar": ["غدا", "بعد الظهر", "لا أعرف", "الثلاثاء القادم"],
    "fr": ["demain", "dans 3 heures", "l'après-midi", "je ne sais pas", "mardi prochain"],
    "de": ["morgen", "in 3 Tagen", "keine Ahnung", "nächsten Dienstag", "am 12.03."],
    "es": ["pasado mañana", "no sé", "las dos opciones", "el próximo martes"],
    "vi": ["ngày mai", "trong 2 giờ", "không biết", "thứ ba tuần sau"],
    "th": ["พรุ่งนี้", "สองชั่วโมง", "ไม่รู้", "วันอังคารหน้า"],
}

# Sentences and answers to other questions (dates, names, phone numbers) that hold numbers but no time.
NOT_A_TIME = [
    "my son is 3 years old", "costs $3.50", "Room 3", "phone 0612345678", "+33 6 12 34 56 78", "010-1234-5678",
    "born 12.03.1984", "3 May 1990", "900503", "平成2年5月3日", "in 3 days", "dans 3 jours", "in 3 Tagen",
    "dentro de 3 días", "через 3 дня", "у меня болит голова 3 дня", "بعد 3 أيام", "3 ngày nữa", "3 giờ nữa",
    "อีก 3 วัน", "三天后", "3日後", "사흘 뒤", "一点也不好", "一時的に", "한시적으로", "세 살이에요",
    "ปวดหัวมาสองวัน", "Ich habe seit 2 Wochen Kopfschmerzen", "j'ai mal à la tête depuis 3 jours",
    "tengo dos hijos", "le 3 mars", "3 марта", "el 3 de marzo", "am 3. März", "ngày 3 tháng 12", "3 ديسمبر",
    "Nguyễn Văn Ba", "Trần Thị Hai", "عمري 30 سنة", "version 1.2",
]

# A date in the same text is not read as a time.
WITH_DATES = [
    ("next Tuesday at 10", "10:00"), ("12.03 um 14 Uhr", "14:00"), ("12/03 at 3pm", "15:00"),
    ("12.03.2026 at 9:30", "09:30"), ("2026-03-12 15:00", "15:00"), ("Dec 12 at 3pm", "15:00"),
    ("am 12.03. um 9", "09:00"), ("le 12/03 à 10h", "10:00"), ("3月12日下午3点", "15:00"),
    ("3월 12일 오후 3시", "15:00"), ("12 марта в 15:00", "15:00"),
]

# tests/test_dates.py::test_times: the cases dates.parse_time passed, called without a language.
DATES_TEST_TIMES = [
    ("3pm", "15:00"), ("15:00", "15:00"), ("下午3点", "15:00"), ("下午三点", "15:00"), ("午後2時", "14:00"),
    ("오후 3시", "15:00"), ("15 Uhr", "15:00"), ("à 14h", "14:00"), ("a las 4 de la tarde", "16:00"),
    ("в 15:30", "15:30"), ("3 giờ chiều", "15:00"), ("บ่าย 3 โมง", "15:00"), ("الساعة 10:30", "10:30"),
    ("9 am", "09:00"), ("no idea", None), ("25:00", None),
]

ALL_CASES = [(language, text, expected) for language, cases in CASES.items() for text, expected in cases]


@pytest.mark.parametrize("language,text,expected", ALL_CASES)
def test_times_in_every_language(language, text, expected):
    assert parse_time(text, language) == expected


@pytest.mark.parametrize("language,text,expected", ALL_CASES)
def test_the_same_times_without_a_language(language, text, expected):
    assert parse_time(text) == expected


@pytest.mark.parametrize("language,text", [(lang, text) for lang, texts in NO_TIME.items() for text in texts])
def test_no_time_or_an_impossible_one(language, text):
    assert parse_time(text, language) is None
    assert parse_time(text) is None


@pytest.mark.parametrize("text", NOT_A_TIME)
def test_numbers_that_are_not_times(text):
    assert parse_time(text) is None


@pytest.mark.parametrize("text,expected", WITH_DATES)
def test_a_date_is_not_a_time(text, expected):
    assert parse_time(text) == expected


@pytest.mark.parametrize("text,expected", DATES_TEST_TIMES)
def test_the_cases_of_dates_parse_time(text, expected):
    assert parse_time(text) == expected


def test_an_unknown_language_tries_them_all():
    assert parse_time("下午三点", "xx") == "15:00"
    assert parse_time("um halb drei", "en") == "14:30"  # the given language first, then the others


def test_long_text_returns_quickly():
    long_text = "at 3pm " + "lorem ipsum dolor sit amet " * 80  # over 2,000 characters
    assert len(long_text) > 2000
    started = time.perf_counter()
    for _ in range(10):
        assert parse_time(long_text) == "15:00"
        assert parse_time(long_text[7:] + " at 3pm") is None  # only the beginning is read
    assert (time.perf_counter() - started) / 20 < 0.05


def test_every_language_has_a_dozen_forms():
    assert all(len(cases) >= 12 for cases in CASES.values()) and len(CASES) == 12
