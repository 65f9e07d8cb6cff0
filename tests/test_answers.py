"""Form answers as patients type them, in all 12 languages (no model, no server).

- `read_yes_no`: per language, yes forms, no forms (negated yes words among
  them: negation wins) and unclear answers the bot must ask again; English,
  "ok" and emoji in every language; language-specific ambiguity (Vietnamese
  "k"); messages that are not short answers are left to the NLU; the lexicon
  file's own checks.
- `read_contact`: phone numbers and e-mail addresses inside each language's
  sentences, normalised; dates, booking references and two numbers refused.
- `read_name`: names with each language's lead-ins, endings and honorifics
  cut; yes/no words, greetings, digits, e-mail addresses and questions refused.
- Very long text is refused quickly by all three.
"""
import time

import pytest

from actions.answers.contact import Contact, read_contact
from actions.answers.names import read_name
from actions.answers.yes_no import (
    YesNo,
    block,
    canonical_tag,
    is_bare_answer,
    lexicon,
    normalise,
    parse_block,
    raw_lists,
    read_yes_no,
)
from bot.languages import TAGS

LONG_TEXT = "我想预约明天的牙科，请问需要带什么证件？" * 100  # 2,000 characters

# --- yes / no -------------------------------------------------------------------------------------------------------

YES_NO = {
    "en": {
        "yes": ["yes", "Yes!", "yesss", "yep", "yup", "yeah sure", "ok", "okkk", "OK 👍", "k", "sure thing",
                "of course", "sounds good", "I agree", "Yes, that's right", "correct", "yes please", "no problem",
                "alright", "Absolutely!", "y", "yes, I'm good"],
        "no": ["no", "No.", "nope", "nah", "noooo", "no thanks", "I don't agree", "I do not agree", "not ok",
               "that's wrong", "n", "not really", "i disagree", "don't", "of course not"],
        "ambiguous": ["maybe", "not sure", "idk", "hmm", "I'm good", "yes and no", "thanks", "i guess", "yes no",
                      "perhaps"],
    },
    "zh-Hans": {
        "yes": ["好的", "好", "嗯", "嗯嗯", "好的呀", "可以", "可以的", "是的", "对", "没问题", "同意", "我同意",
                "行吧", "OK", "ok的", "好滴", "嗯嗯好的", "没错", "确认", "👌", "好的，谢谢", "好了"],
        "no": ["不", "不要", "不同意", "我不同意", "不用了", "不行", "不可以", "不是", "不对", "算了", "我不太同意",
               "没有", "拒绝", "不了，谢谢", "不好"],
        "ambiguous": ["不知道", "可能吧", "随便", "看情况", "好不好", "哦", "没事", "唔", "谢谢", "是吗？",
                      "不确定"],
    },
    "zh-Hant": {
        "yes": ["好", "好嘅", "係", "係呀", "係啊", "得", "得呀", "冇問題", "可以", "同意", "OK", "好呀，唔該", "啱",
                "梗係", "當然可以", "嗯嗯", "是的", "沒問題", "好，唔該"],
        "no": ["唔好", "唔要", "唔使", "唔使喇，唔該", "唔同意", "不同意", "唔得", "唔係", "不要", "冇", "唔啱",
               "算吧", "拒絕", "我唔係好同意"],
        "ambiguous": ["唔", "唔該", "唔知", "或者", "睇下先", "冇所謂", "好唔好", "唔緊要", "多謝", "唔清楚"],
    },
    "ja": {
        "yes": ["はい", "はい！", "はいはい", "ええ", "うん", "うんうん", "はい、お願いします", "お願いします",
                "同意します", "同意", "了解です", "りょ", "OKです", "おけ", "いいですよ", "いいよ", "そうです",
                "合ってます", "問題ありません", "構いません", "はい、大丈夫です", "わかりました", "もちろん", "○",
                "はーい"],
        "no": ["いいえ", "いえ", "いや", "ううん", "同意しません", "同意しない", "だめです", "無理です", "違います",
               "嫌です", "いいえ、大丈夫です", "いいえ、結構です", "×", "同意できません"],
        "ambiguous": ["大丈夫です", "結構です", "いいです", "そうですね", "うーん", "たぶん", "ちょっと…",
                      "わかりません", "え？", "ありがとうございます"],
    },
    "ko": {
        "yes": ["네", "네네", "네네네", "넵", "넹", "예", "응", "ㅇㅇ", "ㅇㅋ", "네 알겠습니다", "동의합니다",
                "동의해요", "좋아요", "맞아요", "네, 맞습니다", "그래요", "물론이죠", "오케이", "넵ㅎㅎ", "네~",
                "네 괜찮아요"],
        "no": ["아니요", "아뇨", "아니", "ㄴㄴ", "싫어요", "동의 안 해요", "동의하지 않습니다", "동의안함", "안 돼요",
               "아니요 괜찮아요", "거절할게요", "틀려요", "노노"],
        "ambiguous": ["괜찮아요", "괜찮습니다", "글쎄요", "잘 모르겠어요", "음...", "됐어요", "아마도", "감사합니다",
                      "어?", "상관없어요"],
    },
    "ru": {
        "yes": ["да", "Да!", "дааа", "да, конечно", "ага", "угу", "конечно", "ок", "окей", "хорошо", "ладно",
                "согласен", "согласна", "да, согласна", "всё верно", "верно", "давайте", "не против", "да-да", "👍",
                "da"],
        "no": ["нет", "Нет.", "неа", "не-а", "нет, спасибо", "не согласен", "не согласна", "я не согласен",
               "не надо", "да нет", "ни за что", "неверно", "нееет", "против"],
        "ambiguous": ["не знаю", "может быть", "наверное", "хз", "ну...", "не уверена", "спасибо", "возможно",
                      "посмотрим", "хм"],
    },
    "ar": {
        "yes": ["نعم", "نعم!", "أيوه", "ايوة", "اي", "أكيد", "طبعاً", "تمام", "موافق", "موافقة", "نعم موافق",
                "أوافق", "ماشي", "حاضر", "اوكي", "صح", "لا مشكلة", "لا بأس", "يس", "نعـــم"],
        "no": ["لا", "لأ", "لا شكرا", "غير موافق", "مش موافق", "لا أوافق", "لا، لا أوافق", "كلا", "أبداً", "أرفض",
               "مو موافق", "غلط", "لا لا", "لاااا"],
        "ambiguous": ["إن شاء الله", "انشالله", "ممكن", "يمكن", "ربما", "مش متأكد", "لا أعرف", "ما أدري", "شكراً",
                      "مدري"],
    },
    "fr": {
        "yes": ["oui", "Oui !", "ouiii", "ouais", "ouep", "d'accord", "dac", "ok d'acc", "bien sûr", "oui bien sur",
                "carrément", "ça marche", "c'est bon", "c'est ça", "exactement", "tout à fait", "j'accepte",
                "je suis d'accord", "pas de souci", "oui merci", "si", "D’accord"],
        "no": ["non", "Non.", "nan", "non merci", "pas d'accord", "je ne suis pas d'accord", "je suis pas d'accord",
               "je n'accepte pas", "je refuse", "pas du tout", "jamais", "certainement pas", "pas question",
               "c'est faux"],
        "ambiguous": ["peut-être", "je sais pas", "bof", "mouais", "euh...", "merci", "ça dépend", "pas sûr",
                      "on verra", "bah"],
    },
    "de": {
        "yes": ["ja", "Ja!", "jaaa", "jo", "jap", "jawohl", "klar", "na klar", "ja klar", "genau", "gerne",
                "ja gerne", "ja, bitte", "einverstanden", "ich bin einverstanden", "passt", "stimmt", "alles klar",
                "in Ordnung", "ok", "doch", "kein Problem"],
        "no": ["nein", "Nein.", "nee", "nö", "nein danke", "nicht einverstanden", "ich bin nicht einverstanden",
               "ich stimme nicht zu", "auf keinen Fall", "lieber nicht", "stimmt nicht", "falsch",
               "nein, das stimmt nicht"],
        "ambiguous": ["jein", "vielleicht", "weiß nicht", "keine Ahnung", "naja", "danke", "mal sehen",
                      "bin mir nicht sicher", "eventuell", "hm"],
    },
    "es": {
        "yes": ["sí", "si", "Sí!", "síííí", "sip", "claro", "claro que sí", "vale", "dale", "ok", "okey",
                "de acuerdo", "estoy de acuerdo", "acepto", "perfecto", "correcto", "por supuesto", "está bien",
                "esta bien", "sí, gracias", "cómo no", "sale", "sí, no hay problema"],
        "no": ["no", "No.", "nop", "nel", "no gracias", "no estoy de acuerdo", "no acepto", "para nada",
               "de ninguna manera", "ni hablar", "nunca", "no, no está bien", "incorrecto", "no no no"],
        "ambiguous": ["quizás", "tal vez", "no sé", "depende", "puede ser", "bueno...", "más o menos", "ni idea",
                      "gracias", "a lo mejor"],
    },
    "vi": {
        "yes": ["có", "vâng", "vâng ạ", "dạ", "dạ vâng", "dạ vâng ạ", "dạ có", "ừ", "uh", "uk", "ok", "oke",
                "đồng ý", "dong y", "em đồng ý ạ", "được", "được ạ", "đc", "đúng rồi", "chuẩn", "không sao", "ok ạ",
                "co"],
        "no": ["không", "khong", "ko", "k0", "hông", "không đồng ý", "ko đồng ý", "k đồng ý", "dạ không ạ",
               "không được", "chưa", "thôi", "từ chối", "sai rồi", "không cần", "khong dong y"],
        "ambiguous": ["k", "có lẽ", "không biết", "ko biết", "để em xem", "tùy", "sao cũng được", "hmm", "cảm ơn",
                      "chưa biết"],
    },
    "th": {
        "yes": ["ค่ะ", "ครับ", "ค่ะ ยินยอม", "ได้ค่ะ", "ได้ครับ", "ใช่", "ใช่ค่ะ", "ได้เลยค่ะ", "โอเค", "โอเคค่ะ",
                "ตกลงครับ", "ยินยอมค่ะ", "เห็นด้วยครับ", "ถูกต้องค่ะ", "ครับผม", "ค่าาา", "จ้า", "ได้ๆ", "okค่ะ",
                "ไม่มีปัญหาครับ"],
        "no": ["ไม่", "ไม่ค่ะ", "ไม่ครับ", "ไม่ยินยอม", "ไม่ยินยอมค่ะ", "ไม่ใช่", "ไม่ได้", "ไม่เอาค่ะ",
               "ไม่ตกลง", "ไม่เห็นด้วยครับ", "ไม่ถูกต้อง", "ม่ายยย", "ไม่ต้องค่ะ"],
        "ambiguous": ["คะ", "ไม่เป็นไรค่ะ", "อืม", "ไม่แน่ใจค่ะ", "ไม่รู้", "อาจจะ", "แล้วแต่", "ขอคิดดูก่อนนะคะ",
                      "เอ่อ", "ไม่ทราบค่ะ"],
    },
}
NOT_SHORT_ANSWERS = {
    "en": ["what does this mean?", "Can I change the hospital first?", "tomorrow at 3pm"],
    "zh-Hans": ["我想先问一下费用", "医院在哪里", "我要去银行"],
    "zh-Hant": ["點樣去羅湖", "我想改時間"],
    "ja": ["予約を変更したいです", "病院はどこですか"],
    "ko": ["병원 위치가 어디예요?", "예약 시간 바꾸고 싶어요"],
    "ru": ["сколько стоит приём?", "где находится больница"],
    "ar": ["وين المستشفى؟", "كم سعر الكشف"],
    "fr": ["c'est où l'hôpital ?", "je voudrais changer l'heure"],
    "de": ["wo ist das Krankenhaus?", "kann ich den Termin verschieben"],
    "es": ["¿dónde está el hospital?", "quiero cambiar la cita"],
    "vi": ["bệnh viện ở đâu ạ", "cho em hỏi giá khám", "cô ơi em đã đặt lịch rồi"],
    "th": ["โรงพยาบาลอยู่ที่ไหนคะ", "ค่ะ ขอนัดหมอฟัน"],
}


@pytest.mark.parametrize("language,text,expected", [
    (language, text, YesNo(kind)) for language, kinds in YES_NO.items() for kind, texts in kinds.items()
    for text in texts])
def test_yes_no_in_every_language(language, text, expected):
    assert read_yes_no(text, language) == expected


def test_every_language_has_ten_yes_ten_no_and_ten_unclear_answers():
    assert set(YES_NO) == set(TAGS)
    assert all(len(YES_NO[tag][kind]) >= 10 for tag in TAGS for kind in ("yes", "no", "ambiguous"))


@pytest.mark.parametrize("language,text", [
    ("zh-Hans", "不同意"), ("zh-Hant", "唔同意"), ("ja", "同意しません"), ("ko", "동의 안 해요"), ("ru", "не согласен"),
    ("ar", "غير موافق"), ("fr", "pas d'accord"), ("de", "nicht einverstanden"), ("es", "no estoy de acuerdo"),
    ("vi", "không đồng ý"), ("th", "ไม่ยินยอม"), ("en", "I don't agree"), ("en", "not ok"), ("en", "isn't right"),
    ("zh-Hans", "我不太同意"), ("zh-Hant", "我唔係好同意"), ("ko", "동의안함"), ("vi", "k đồng ý"),
    ("fr", "je n'accepte pas"), ("ja", "そうじゃないです"),
])
def test_negation_wins_over_the_yes_word_it_negates(language, text):
    assert read_yes_no(text, language) == YesNo.NO


@pytest.mark.parametrize("language,text,expected", [
    ("en", "k", YesNo.YES), ("vi", "k", YesNo.AMBIGUOUS),  # "ok" in English chat, "không" in Vietnamese chat
    ("vi", "ko", YesNo.NO), ("fr", "k", YesNo.YES),
    ("vi", "uh", YesNo.YES), ("en", "uh", YesNo.AMBIGUOUS),  # ừ (yes) typed plain / a hesitation
    ("de", "jo", YesNo.YES), ("en", "jo", YesNo.UNKNOWN),
    ("vi", "cô ơi cho em hỏi", YesNo.UNKNOWN),  # cô (Miss) is not có (yes): Vietnamese keeps its tone marks
    ("vi", "co", YesNo.YES),  # có typed without marks
])
def test_short_answers_follow_the_patients_language(language, text, expected):
    assert read_yes_no(text, language) == expected


@pytest.mark.parametrize("language", TAGS)
def test_english_ok_and_emoji_are_read_in_every_language(language):
    assert [read_yes_no(t, language) for t in ("ok", "OK!", "👍", "👌", "✅", "yes", "sure")] == [YesNo.YES] * 7
    assert [read_yes_no(t, language) for t in ("👎", "❌", "nope")] == [YesNo.NO] * 3
    assert read_yes_no("👍👎", language) == YesNo.AMBIGUOUS


@pytest.mark.parametrize("language,text,expected", [
    ("pt", "ok", YesNo.YES), ("pt", "sim", YesNo.UNKNOWN), ("xx", "はい", YesNo.YES), ("xx", "不同意", YesNo.NO),
    ("xx", "k", YesNo.AMBIGUOUS),  # yes in English, unclear in Vietnamese: the blocks disagree
    ("", "oui", YesNo.YES), (None, "nein", YesNo.NO),
    ("en-US", "yep", YesNo.YES), ("zh-HK", "係", YesNo.YES), ("zh-CN", "好的", YesNo.YES), ("zh", "不要", YesNo.NO),
    ("zh-Hans", "係", YesNo.YES), ("zh-Hant", "好滴", YesNo.YES),  # the two Chinese blocks are read together
])
def test_unknown_and_variant_language_tags(language, text, expected):
    assert read_yes_no(text, language) == expected


def test_language_tags_map_to_lexicon_blocks():
    assert [canonical_tag(t) for t in ("en-GB", "zh-Hant-HK", "zh-TW", "ZH-hans", "ko_KR", "pt", "", None)] == [
        "en", "zh-Hant", "zh-Hant", "zh-Hans", "ko", None, None, None]


@pytest.mark.parametrize("language,text", [
    (language, text) for language, texts in NOT_SHORT_ANSWERS.items() for text in texts] + [
    ("en", "Yes I agree to the use of my personal data for booking"),  # more than 8 words: the NLU reads it
    ("zh-Hans", "好的我同意你们使用我的个人信息来预约明天下午的牙科门诊"),  # more than 25 characters
    ("en", ""), ("en", "   "), ("en", "???"), ("en", "😀"), ("ko", "ㅋㅋㅋ"), ("th", "555"), ("en", LONG_TEXT),
    ("en", "yes " * 500), ("en", None),
])
def test_what_is_not_a_short_answer_is_unknown(language, text):
    assert read_yes_no(text, language) == YesNo.UNKNOWN


@pytest.mark.parametrize("text,expected", [
    ("YESSS!!", "yes"), ("Ｏｋ", "ok"), ("okkk", "ok"), ("ok ok ok", "ok"), ("okok", "ok"), ("嗯嗯", "嗯"),
    ("うんうん", "うん"), ("ううん", "ううん"), ("ええ", "ええ"), ("はーーい", "はーい"), ("👍🏻👍🏻👍🏻", "👍"),
    ("D’accord !", "d'acord"), ("Está bien", "esta bien"), ("أيوة", "ايوه"), ("نعـــم", "نعم"), ("ได้ๆ", "ได้"),
])
def test_normalise(text, expected):
    assert normalise(text) == expected


def test_korean_endings_and_vietnamese_tone_marks():
    assert normalise("네네네요", endings=("요",)) == "네"
    assert normalise("Không đồng ý", fold_accents=False) == "không đồng ý"
    assert normalise("Không đồng ý") == "khong dong y"


@pytest.mark.parametrize("language,text,expected", [
    ("en", "ok", True), ("en", "ok thanks", True), ("ja", "はい", True), ("en", "maybe", True),
    ("ja", "はいだ", False), ("en", "Jo Smith", False), ("zh-Hans", "王好", False), ("en", "", False),
])
def test_is_bare_answer(language, text, expected):
    assert is_bare_answer(text, language) is expected


def test_lexicon_file_loads_for_every_language_and_both_spellings():
    assert set(raw_lists()) == set(TAGS) | {"any"}
    for tag in raw_lists():
        block(tag, True), block(tag, False)
    for tag in list(TAGS) + [None]:
        assert lexicon(tag).words


@pytest.mark.parametrize("lists,problem", [
    ({"yes": ["ok"], "no": ["OK!"]}, "listed as both"),  # the same word once normalised
    ({"yes": ["ja"], "ambiguous": ["jaaa"]}, "listed as both"),
    ({"no": [False]}, "not a string"),  # an unquoted `no` in a YAML list
    ({True: ["yes"]}, "unknown lists"),  # an unquoted `yes:` key
    ({"yes": ["?!"]}, "empty"),
])
def test_lexicon_mistakes_are_refused(lists, problem):
    with pytest.raises(ValueError, match=problem):
        parse_block("xx", lists, fold_accents=True)


# --- phone numbers and e-mail addresses -----------------------------------------------------------------------------

MAINLAND, HK = "+8613800138000", "+85291234567"
CONTACTS = {
    "zh-Hans": [("13800138000", MAINLAND), ("138 0013 8000", MAINLAND), ("138-0013-8000", MAINLAND),
                ("+86 138 0013 8000", MAINLAND), ("+86-138-0013-8000", MAINLAND), ("0086 13800138000", MAINLAND),
                ("(+86)13800138000", MAINLAND), ("电话：13800138000", MAINLAND),
                ("我的手机号是13912345678，谢谢", "+8613912345678"), ("１３８００１３８０００", MAINLAND),
                ("微信同号 138 0013 8000", MAINLAND), ("邮箱：zhangwei@qq.com", "zhangwei@qq.com"),
                ("我的邮箱是wang.fang88@163.com", "wang.fang88@163.com")],
    "zh-Hant": [("9123 4567", HK), ("+852 9123 4567", HK), ("852-91234567", HK), ("91234567", HK),
                ("我嘅電話係 6123 4567", "+85261234567"), ("電話：+852 5123-4567", "+85251234567"),
                ("聯絡電話 (852) 2345 6789", "+85223456789"), ("手提：９１２３４５６７", HK),
                ("+886 912 345 678", "+886912345678"), ("0912-345-678", "0912345678"),
                ("電郵：chan.taiman@gmail.com", "chan.taiman@gmail.com"),
                ("email 係 tm.chan@yahoo.com.hk 唔該", "tm.chan@yahoo.com.hk")],
    "en": [("+1 (415) 555-0100", "+14155550100"), ("+44 20 7946 0958", "+442079460958"),
           ("+44 (0)20 7946 0958", "+442079460958"), ("my number is 138 0013 8000", MAINLAND),
           ("call me on 07700 900123", "07700900123"), ("(415) 555-0100", "4155550100"),
           ("you can reach me at 415.555.0100", "4155550100"), ("john.smith@gmail.com", "john.smith@gmail.com"),
           ("it's J.Smith@Example.COM", "J.Smith@example.com"),
           ("email: anna_lee+clinic@outlook.com.", "anna_lee+clinic@outlook.com")],
    "ja": [("+81 90-1234-5678", "+819012345678"), ("090-1234-5678", "09012345678"),
           ("電話番号は080-9876-5432です", "08098765432"), ("携帯：070 1111 2222", "07011112222"),
           ("０９０ー１２３４ー５６７８", "09012345678"), ("03-1234-5678", "0312345678"),
           ("+81-3-1234-5678", "+81312345678"), ("tanaka@docomo.ne.jp", "tanaka@docomo.ne.jp"),
           ("メール：yamada.hanako@gmail.com", "yamada.hanako@gmail.com"),
           ("連絡先は hanako＠example.jp です", "hanako@example.jp")],
    "ko": [("+82 10-1234-5678", "+821012345678"), ("010-1234-5678", "01012345678"),
           ("번호는 010-1234-5678입니다", "01012345678"), ("제 번호 01098765432예요", "01098765432"),
           ("연락처: 010 2345 6789", "01023456789"), ("핸드폰 010.1234.5678", "01012345678"),
           ("02-123-4567", "021234567"), ("kim.minsu@naver.com", "kim.minsu@naver.com"),
           ("이메일은 minsu92@daum.net 입니다", "minsu92@daum.net"), ("메일 jieun.park@kakao.com 으로 주세요",
                                                                "jieun.park@kakao.com")],
    "ru": [("+7 916 123-45-67", "+79161234567"), ("8 916 123-45-67", "89161234567"),
           ("мой телефон +7 916 123 45 67", "+79161234567"), ("+7(916)1234567", "+79161234567"),
           ("тел.: +7 495 123-45-67", "+74951234567"), ("номер 8-800-555-35-35", "88005553535"),
           ("+375 29 123-45-67", "+375291234567"), ("ivanov@mail.ru", "ivanov@mail.ru"),
           ("почта: anna.petrova@yandex.ru", "anna.petrova@yandex.ru"), ("пишите на ivan＠gmail.com",
                                                                         "ivan@gmail.com")],
    "ar": [("رقمي 0501234567", "0501234567"), ("+966 50 123 4567", "+966501234567"),
           ("٠٥٠١٢٣٤٥٦٧", "0501234567"), ("رقم الجوال: ٠٥٠ ١٢٣ ٤٥٦٧", "0501234567"),
           ("+971 50 123 4567", "+971501234567"), ("تلفوني 00971501234567", "+971501234567"),
           ("+20 10 1234 5678", "+201012345678"), ("+٩٦٦٥٠١٢٣٤٥٦٧", "+966501234567"),
           ("رقمي \u200f+966 50 123 4567\u200f", "+966501234567"), ("ahmed.ali@gmail.com", "ahmed.ali@gmail.com"),
           ("ايميلي: fatima@hotmail.com", "fatima@hotmail.com")],
    "fr": [("06 12 34 56 78", "0612345678"), ("06.12.34.56.78", "0612345678"), ("+33 6 12 34 56 78", "+33612345678"),
           ("mon numéro c'est le 07 98 76 54 32", "0798765432"), ("+33 (0)1 42 68 53 00", "+33142685300"),
           ("tél : 01 42 68 53 00", "0142685300"), ("+41 79 123 45 67", "+41791234567"),
           ("+32 470 12 34 56", "+32470123456"), ("marie.dupont@orange.fr", "marie.dupont@orange.fr"),
           ("mon mail : jean-luc@free.fr", "jean-luc@free.fr")],
    "de": [("+49 151 23456789", "+4915123456789"), ("0151 23456789", "015123456789"), ("0171/1234567", "01711234567"),
           ("+49 (0)30 1234567", "+49301234567"), ("Tel.: 030 12345678", "03012345678"),
           ("meine Nummer ist 0176-12345678", "017612345678"), ("+43 664 1234567", "+436641234567"),
           ("+41 44 123 45 67", "+41441234567"), ("max.mustermann@web.de", "max.mustermann@web.de"),
           ("E-Mail: anna.schmidt@gmx.de", "anna.schmidt@gmx.de")],
    "es": [("+34 612 34 56 78", "+34612345678"), ("612 345 678", "612345678"), ("mi número es 612345678", "612345678"),
           ("+52 55 1234 5678", "+525512345678"), ("+54 9 11 1234-5678", "+5491112345678"),
           ("tel: 91 123 45 67", "911234567"), ("(+34) 612-345-678", "+34612345678"),
           ("+57 300 1234567", "+573001234567"), ("maria.garcia@gmail.com", "maria.garcia@gmail.com"),
           ("mi correo es jose_luis@hotmail.es", "jose_luis@hotmail.es")],
    "vi": [("0912345678", "0912345678"), ("0912 345 678", "0912345678"), ("+84 912 345 678", "+84912345678"),
           ("sđt của em là 0987654321", "0987654321"), ("số điện thoại: 090.123.4567", "0901234567"),
           ("sdt 0912-345-678 ạ", "0912345678"), ("zalo 0987 654 321", "0987654321"),
           ("+84 (0) 912 345 678", "+84912345678"), ("email: nguyenvana@gmail.com", "nguyenvana@gmail.com"),
           ("mail em là tran.thi.mai@yahoo.com.vn ạ", "tran.thi.mai@yahoo.com.vn")],
    "th": [("081-234-5678", "0812345678"), ("+66 81 234 5678", "+66812345678"), ("เบอร์ 0812345678 ค่ะ", "0812345678"),
           ("เบอร์โทร: 02-123-4567", "021234567"), ("โทร 089 123 4567 ครับ", "0891234567"),
           ("+66-2-123-4567", "+6621234567"), ("๐๘๑๒๓๔๕๖๗๘", "0812345678"),
           ("somchai@gmail.com", "somchai@gmail.com"), ("อีเมล malee.s@hotmail.com ครับ", "malee.s@hotmail.com"),
           ("ติดต่อที่ 0812345678 นะคะ", "0812345678")],
}
NOT_CONTACTS = ["1990-05-03", "12.03.1984", "03/05/1990", "born 1990-05-03", "19900503", "BK-7Q4M2X",
                "RF-20831", "RF-2083145", "my booking is BK-7Q4M2X", "13800138000 or 13900139000",
                "电话13800138000，备用13900139000", "13800138000 / 13900139000", "123456", "1234567890123456",
                "", "👍", "not a contact", "john@", "@gmail.com", "john@gmail", "13800138000 and anna@example.com",
                "a@example.com, b@example.com", "明天下午3点", "2024-12-01 10:30"]


@pytest.mark.parametrize("language,text,expected", [
    (language, text, value) for language, cases in CONTACTS.items() for text, value in cases])
def test_contacts_in_every_language(language, text, expected):
    assert read_contact(text) == Contact("email" if "@" in expected else "phone", expected)


def test_every_language_has_ten_contacts():
    assert set(CONTACTS) == set(TAGS) and all(len(cases) >= 10 for cases in CONTACTS.values())


@pytest.mark.parametrize("text", NOT_CONTACTS + [LONG_TEXT, "13800138000 " + "x" * 2000, None])
def test_what_is_not_one_contact_is_refused(text):
    assert read_contact(text) is None


def test_the_same_number_twice_is_one_contact():
    assert read_contact("13800138000，13800138000") == Contact("phone", MAINLAND)


# --- names ----------------------------------------------------------------------------------------------------------

NAMES = {
    "zh-Hans": [("王伟", "王伟"), ("我叫李娜", "李娜"), ("我的名字是张伟", "张伟"), ("我是刘洋", "刘洋"),
                ("姓名：陈静", "陈静"), ("你好，我叫杨帆", "杨帆"), ("欧阳娜娜", "欧阳娜娜"), ("我叫赵磊。", "赵磊"),
                ("名字是 周杰", "周杰"), ("约翰·史密斯", "约翰·史密斯"),
                ("我叫王好", "王好")],  # 好 inside a name is not a yes
    "zh-Hant": [("陳大文", "陳大文"), ("我叫陳大文", "陳大文"), ("我係李小龍", "李小龍"),
                ("我嘅名係黃美玲", "黃美玲"), ("我的名字是林志明", "林志明"), ("姓名：張家豪", "張家豪"),
                ("我叫何嘉欣呀", "何嘉欣"), ("你好，我係梁振華", "梁振華"), ("Chan Tai Man", "Chan Tai Man"),
                ("我叫 Wong Ka Ming", "Wong Ka Ming")],
    "en": [("John Smith", "John Smith"), ("my name is Anna Lee", "Anna Lee"), ("I'm Tom", "Tom"),
           ("i’m sarah o’connor", "sarah o’connor"), ("im jake", "jake"),
           ("Name: Mary-Jane Watson", "Mary-Jane Watson"), ("Hi, I'm Priya Patel", "Priya Patel"),
           ("This is David", "David"), ("It's Emily Chen.", "Emily Chen"), ("call me Bob", "Bob"),
           ("José Álvarez", "José Álvarez"), ("  John    Smith  ", "John Smith"),
           ("Im Soo-jin", "Im Soo-jin"),  # a Korean surname, not "I'm"
           ("Hiroshi Tanaka", "Hiroshi Tanaka")],  # not "hi" + "roshi"
    "ja": [("田中太郎", "田中太郎"), ("田中です", "田中"), ("私は山田花子です", "山田花子"),
           ("私の名前は佐藤健です", "佐藤健"), ("鈴木と申します", "鈴木"), ("たなか ゆうこ", "たなか ゆうこ"),
           ("名前は高橋一郎です", "高橋一郎"), ("田中さん", "田中"), ("山本様", "山本"),
           ("スミス・ジョン", "スミス・ジョン"), ("伊藤といいます", "伊藤"), ("田中　太郎です。", "田中 太郎"),
           ("はいだです", "はいだ")],  # starts like はい (yes)
    "ko": [("김민수", "김민수"), ("저는 김민수입니다", "김민수"), ("제 이름은 박지은이에요", "박지은"),
           ("이름은 이서연예요", "이서연"), ("최영호라고 합니다", "최영호"), ("저 정하늘이에요", "정하늘"),
           ("안녕하세요 김철수입니다", "김철수"), ("김민수 씨", "김민수"), ("박지훈님", "박지훈"),
           ("존 스미스", "존 스미스"), ("김민수요", "김민수"), ("전 김민수예요", "김민수"),
           ("전지현", "전지현")],  # 전 is "저는" shortened, and a surname
    "ru": [("Анна Иванова", "Анна Иванова"), ("меня зовут Анна", "Анна"),
           ("Меня зовут Дмитрий Петров", "Дмитрий Петров"), ("я — Ольга", "Ольга"), ("Я Сергей", "Сергей"),
           ("моё имя Екатерина", "Екатерина"), ("Имя: Алексей", "Алексей"),
           ("Здравствуйте, меня зовут Наталья", "Наталья"), ("Пётр Ильич", "Пётр Ильич"), ("Яна", "Яна")],
    "ar": [("محمد", "محمد"), ("اسمي أحمد", "أحمد"), ("اسمي هو فاطمة الزهراء", "فاطمة الزهراء"),
           ("أنا علي", "علي"), ("انا خالد", "خالد"), ("الاسم: عبد الله", "عبد الله"), ("مرحبا، اسمي سارة", "سارة"),
           ("نور الهدى", "نور الهدى"), ("عبد الرحمن بن سعيد", "عبد الرحمن بن سعيد"),
           ("اسمي محمد العتيبي", "محمد العتيبي")],
    "fr": [("Marie Dupont", "Marie Dupont"), ("je m'appelle Marie", "Marie"), ("moi c'est Chloé", "Chloé"),
           ("c'est Léa Martin", "Léa Martin"), ("je suis François", "François"),
           ("mon nom est Hélène Dubois", "Hélène Dubois"), ("Nom : Lefèvre", "Lefèvre"),
           ("Bonjour, je m'appelle Amélie", "Amélie"), ("Jean-Pierre", "Jean-Pierre"), ("Élise", "Élise"),
           ("Je m’appelle Noël", "Noël")],
    "de": [("Max Müller", "Max Müller"), ("ich heiße Anna", "Anna"), ("Ich heisse Jörg Schmidt", "Jörg Schmidt"),
           ("mein Name ist Lukas Weber", "Lukas Weber"), ("ich bin Sophie", "Sophie"), ("Name: Günther", "Günther"),
           ("Hallo, ich bin Jonas", "Jonas"), ("Hans-Peter Groß", "Hans-Peter Groß"),
           ("Müller, Stefan", "Müller, Stefan"), ("ich heiße Lea.", "Lea")],
    "es": [("María García", "María García"), ("me llamo Carlos", "Carlos"),
           ("Me llamo José Luis Rodríguez", "José Luis Rodríguez"), ("mi nombre es Lucía", "Lucía"),
           ("soy Ana", "Ana"), ("Yo soy Pedro", "Pedro"), ("Hola, me llamo Sofía", "Sofía"),
           ("Nombre: Andrés Núñez", "Andrés Núñez"), ("Juan Carlos de la Fuente", "Juan Carlos de la Fuente"),
           ("Soyeon Park", "Soyeon Park")],  # not "soy" + "eon"
    "vi": [("Nguyễn Văn An", "Nguyễn Văn An"), ("tôi tên là Trần Thị Mai", "Trần Thị Mai"),
           ("tên tôi là Lê Minh", "Lê Minh"), ("em tên Linh ạ", "Linh"), ("Mình tên là Hương nha", "Hương"),
           ("em là Phạm Quang Huy", "Phạm Quang Huy"), ("Tên: Đỗ Thu Hà", "Đỗ Thu Hà"),
           ("Chào bác sĩ, em tên là Bảo", "Bảo"), ("Hoàng Yến", "Hoàng Yến"), ("Dạ em tên Linh ạ", "Linh"),
           ("tôi là Vũ Đức Anh", "Vũ Đức Anh")],
    "th": [("สมชาย ใจดี", "สมชาย ใจดี"), ("ฉันชื่อมาลี", "มาลี"), ("ผมชื่อสมชายครับ", "สมชาย"),
           ("ดิฉันชื่อ สมศรี รักไทย ค่ะ", "สมศรี รักไทย"), ("ชื่อนิดค่ะ", "นิด"), ("หนูชื่อแพรวค่ะ", "แพรว"),
           ("สวัสดีค่ะ ดิฉันชื่อกมลา", "กมลา"), ("ชื่อ: อนันต์", "อนันต์"), ("ชื่อของฉันคือ วิภา", "วิภา"),
           ("เราชื่อต้น", "ต้น"), ("ดิฉันชื่อมาลีนะคะ", "มาลี"), ("ชนะ", "ชนะ")],
}
NOT_NAMES = {
    "en": ["", "   ", "12345", "John123", "john@example.com", "👍👍", "!!!", "a" * 81, "ok", "yes", "no thanks",
           "hello", "Hi!", "my name is", "why do you need my name?", "thanks", "Ａｎｎａ＠ｍａｉｌ．ｃｏｍ"],
    "zh-Hans": ["好的", "你好", "不", "嗯嗯", "我叫"],
    "zh-Hant": ["係", "唔該", "你好"],
    "ja": ["はい", "こんにちは", "いいえ"],
    "ko": ["네", "안녕하세요", "아니요"],
    "ru": ["да", "Здравствуйте", "нет"],
    "ar": ["نعم", "مرحبا", "لا", "لماذا تحتاج اسمي؟"],
    "fr": ["oui", "Bonjour", "non merci"],
    "de": ["ja", "Hallo", "nein"],
    "es": ["sí", "Hola", "no"],
    "vi": ["vâng", "Xin chào", "không"],
    "th": ["ค่ะ", "สวัสดีค่ะ", "ไม่ค่ะ"],
}


@pytest.mark.parametrize("language,text,expected", [
    (language, text, name) for language, cases in NAMES.items() for text, name in cases])
def test_names_in_every_language(language, text, expected):
    assert read_name(text, language) == expected


def test_every_language_has_ten_names():
    assert set(NAMES) == set(TAGS) and all(len(cases) >= 10 for cases in NAMES.values())


@pytest.mark.parametrize("language,text", [
    (language, text) for language, texts in NOT_NAMES.items() for text in texts] + [
    ("en", LONG_TEXT), ("zh-Hans", LONG_TEXT), ("en", None)])
def test_what_is_not_a_name_is_refused(language, text):
    assert read_name(text, language) is None


def test_lead_ins_in_other_scripts_are_cut_whatever_the_language_tag():
    assert read_name("我叫李明", "en") == "李明"
    assert read_name("меня зовут Анна", "de") == "Анна"
    assert read_name("soy Ana", "en") == "soy Ana"  # Latin lead-ins only in the patient's language and English


# --- long input -----------------------------------------------------------------------------------------------------

def test_long_text_is_refused_quickly():
    started = time.perf_counter()
    for text in (LONG_TEXT, "a" * 2000, "1" * 2000, "好" * 2000, "👍" * 2000):
        assert read_yes_no(text, "en") == YesNo.UNKNOWN
        assert read_contact(text) is None
        assert read_name(text, "en") is None
    assert time.perf_counter() - started < 0.5
