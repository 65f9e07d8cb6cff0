"""The emergency lexicon catches emergencies in every language, however typed."""
import pytest

from bot.nlu.emergency_lexicon import EmergencyLexicon, normalise

EMERGENCIES = [
    "my husband collapsed and is not breathing", "I CAN'T BREATHE", "im bleeding heavily",
    "我爸爸突然昏迷了", "佢暈咗冇反應", "胸口好痛喘不过气",
    "父が倒れて意識がありません", "숨을 못 쉬겠어요", "у мужа кровотечение не останавливается",
    "ابني لا يتنفس", "أفكر في الانتحار", "mon fils fait une crise de convulsions", "ich kann nicht atmen",
    "mi madre se desmayó y no responde", "bố tôi bị đột quỵ", "bo toi bi dot quy", "หายใจไม่ออก",
    "หายใจ ไม่ออก",  # a space typed inside the phrase
]
NOT_EMERGENCIES = [
    "where is the dentist", "I want to book a health check", "what time does Renji open",
    "我想预约牙科", "醫院幾點開門", "予約をキャンセルしたい", "보험 직접 청구 되나요",
    "сколько стоит приём", "هل تقبلون التأمين", "je voudrais un rendez-vous",
    "wie komme ich zum Krankenhaus", "¿aceptan mi seguro?", "cho tôi hỏi giờ làm việc", "ขอนัดหมอฟันครับ",
]


@pytest.fixture(scope="module")
def lexicon():
    return EmergencyLexicon.load()


@pytest.mark.parametrize("text", EMERGENCIES)
def test_emergencies_match(lexicon, text):
    assert lexicon.match(text) is not None


@pytest.mark.parametrize("text", NOT_EMERGENCIES)
def test_ordinary_requests_do_not_match(lexicon, text):
    assert lexicon.match(text) is None


def test_normalise_folds_case_accents_apostrophes_and_keeps_thai_marks():
    assert normalise("Can’t  BREATHE!") == "cant breathe"
    assert normalise("Desmayó") == "desmayo"
    assert normalise("หายใจไม่ออก") == "หายใจไม่ออก"


def test_long_message_with_emergency_at_the_end(lexicon):
    assert lexicon.match("a" * 19_000 + " I can't breathe") is not None


def test_sos_is_not_a_term_because_it_is_also_spanish(lexicon):
    # "vos sos" (voseo) and "sospecho": the classifier handles a bare "SOS"
    assert lexicon.match("sospecho que tengo gastritis") is None
    assert lexicon.match("vos sos muy amable") is None
