"""Language detection on short and long chat texts, unsupported input and determinism."""
import pytest

from bot.languages import TAGS, UNDETERMINED

SHORT = [
    ("我想挂号", "zh-Hans"), ("谢谢你", "zh-Hans"), ("医院在哪里", "zh-Hans"),
    ("唔該", "zh-Hant"), ("點樣去醫院", "zh-Hant"), ("謝謝", "zh-Hant"),
    ("hi", "en"), ("thanks a lot", "en"), ("where is the clinic", "en"),
    ("ありがとう", "ja"), ("予約したい", "ja"),
    ("감사합니다", "ko"), ("예약", "ko"),
    ("спасибо", "ru"), ("привет", "ru"),
    ("مرحبا", "ar"), ("شكرا", "ar"),
    ("merci", "fr"), ("bonjour", "fr"), ("je voudrais un rendez-vous", "fr"),
    ("danke", "de"), ("guten Morgen", "de"), ("ich brauche einen Termin", "de"),
    ("gracias", "es"), ("hola", "es"), ("necesito una cita", "es"),
    ("cảm ơn", "vi"), ("xin chào", "vi"), ("toi muon dat lich kham", "vi"),
    ("ขอบคุณครับ", "th"), ("สวัสดีค่ะ", "th"),
]

LONG = {
    "zh-Hans": "您好，我下个月要从德国来上海看病，想了解一下哪家医院有会说德语的医生，还有能不能用商业保险直接结算。",
    "zh-Hant": "你好，我住喺香港，想過關去深圳睇牙醫，請問羅湖口岸附近有冇醫院可以用香港保險直接結算？",
    "en": ("Hello, I am flying into Pudong next week and would like to see an English-speaking orthopaedic doctor "
           "near Lingang."),
    "ja": "来週上海に出張で行くのですが、日本語が通じる病院で健康診断を受けたいです。予約はどうすればいいですか。",
    "ko": "다음 주에 상하이에 가는데 한국어가 가능한 병원에서 건강검진을 받고 싶습니다. 예약은 어떻게 하나요?",
    "ru": ("Здравствуйте, мы прилетаем в Шанхай в понедельник, подскажите, в какой больнице есть врач, "
           "говорящий по-русски?"),
    "ar": "مرحبا، سأصل إلى شنغهاي الأسبوع القادم وأحتاج إلى طبيب يتحدث الإنجليزية، هل يمكنكم مساعدتي في حجز موعد؟",
    "fr": ("Bonjour, je dois passer une IRM le mois prochain à Shanghai, est-ce que mon assurance peut payer "
           "directement l'hôpital ?"),
    "de": ("Guten Tag, ich lebe seit zwei Jahren in Shanghai und suche einen Zahnarzt, der Englisch oder Deutsch "
           "spricht."),
    "es": ("Buenas tardes, vivo en Shenzhen y quisiera saber si el hospital cerca del puerto de Luohu acepta mi "
           "seguro médico."),
    "vi": "Chào bạn, tuần sau tôi sang Thượng Hải khám bệnh, bệnh viện nào có bác sĩ nói được tiếng Anh vậy?",
    "th": "สวัสดีครับ ผมจะไปเซี่ยงไฮ้สัปดาห์หน้า อยากหาโรงพยาบาลที่มีหมอพูดภาษาอังกฤษได้ครับ",
}

UNDETERMINED_INPUTS = [
    "", "   ", "\n\t", "👍", "🙏🙏🙏", "12345", "+86 138 0000 0000", "RF-20831", "ok", "OK!", "...",
    "https://example.org/page", "Vorrei prenotare una visita dal dentista domani mattina, grazie mille",  # Italian
    "Bom dia, gostaria de marcar uma consulta com um médico que fale português",  # Portuguese
    "Добрий день, мені потрібен лікар, який розмовляє українською",  # Ukrainian
    "سلام، من می‌خواهم یک وقت دکتر بگیرم",  # Persian
    "नमस्ते, मुझे डॉक्टर से मिलना है",  # Hindi
    "Γεια σας, χρειάζομαι γιατρό",  # Greek
    "שלום, אני צריך רופא",  # Hebrew
]


@pytest.mark.parametrize("text,expected", SHORT)
def test_short_messages(identifier, text, expected):
    assert identifier.detect(text).language == expected


@pytest.mark.parametrize("tag", TAGS)
def test_long_messages(identifier, tag):
    detection = identifier.detect(LONG[tag])
    assert detection.language == tag
    assert detection.decisive


def test_long_texts_cover_every_language():
    assert set(LONG) == set(TAGS)


@pytest.mark.parametrize("text", UNDETERMINED_INPUTS)
def test_no_supported_language_gives_und(identifier, text):
    assert identifier.detect(text).language == UNDETERMINED


def test_same_in_both_chinese_forms_is_chinese_but_not_decisive(identifier):
    detection = identifier.detect("你好")
    assert detection.language in ("zh-Hans", "zh-Hant")
    assert not detection.decisive  # must not flip a Hong Kong conversation to Simplified


def test_code_mixed_chinese_is_chinese(identifier):
    assert identifier.detect("我想book一个appointment").language == "zh-Hans"
    assert identifier.detect("我想book個appointment唔該").language == "zh-Hant"


@pytest.mark.parametrize("text", ["hola", "Bonjour, je voudrais un rendez-vous", "你好", "ok", "مرحبا"])
def test_deterministic(identifier, text):
    answers = {identifier.detect(text) for _ in range(100)}
    assert len(answers) == 1


def test_detection_leaves_global_random_state_alone(identifier):
    import random

    random.seed(7)
    expected = random.random()
    random.seed(7)
    identifier.detect("Guten Morgen, ich brauche bitte einen Termin beim Zahnarzt")
    assert random.random() == expected


def test_scripts_decide_without_a_trained_model():
    from bot.nlu.language_identifier import LanguageIdentifier

    bare = LanguageIdentifier()
    assert bare.detect("안녕하세요").language == "ko"
    assert bare.detect("こんにちは").language == "ja"
    assert bare.detect("醫院幾點開門").language == "zh-Hant"
    assert bare.detect("医院几点开门").language == "zh-Hans"


def test_counts_are_the_feature_unions_own(identifier):
    """NgramModel._counts runs the vectorizer's parts directly instead of through FeatureUnion."""
    model = identifier.model
    texts = ["bien entendu", "Guten Tag, ich brauche einen Termin", "我想预约", "สวัสดีค่ะ", "ok", "", "RF-20831 !!"]
    for text in texts:
        ours, theirs = model._counts(text), model.vectorizer.transform([text])
        assert ours.shape == theirs.shape and (ours != theirs).nnz == 0
