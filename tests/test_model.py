"""A real trained model: loads, and parses one message per language right."""
import asyncio

import pytest

from bot.languages import TAGS, UNDETERMINED

# One clear request per language, not copied from training or evaluation data.
ONE_PER_LANGUAGE = {
    "zh-Hans": ("我想预约下周二的眼科门诊", "book_appointment"),
    "zh-Hant": ("唔該幫我預約下個禮拜嘅牙科", "book_appointment"),
    "en": ("can I book an appointment with a dermatologist on friday", "book_appointment"),
    "ja": ("来週の月曜日に眼科の予約を取りたいです", "book_appointment"),
    "ko": ("다음 주 화요일에 치과 예약하고 싶어요", "book_appointment"),
    "ru": ("хочу записаться к стоматологу на следующую среду", "book_appointment"),
    "ar": ("أريد حجز موعد مع طبيب الأسنان يوم الخميس", "book_appointment"),
    "fr": ("je voudrais prendre rendez-vous chez le dermatologue jeudi prochain", "book_appointment"),
    "de": ("ich möchte einen Termin beim Augenarzt nächste Woche vereinbaren", "book_appointment"),
    "es": ("quiero pedir una cita con el dentista para el martes", "book_appointment"),
    "vi": ("tôi muốn đặt lịch khám nha khoa vào thứ ba tuần sau", "book_appointment"),
    "th": ("อยากจองคิวหมอฟันวันอังคารหน้าครับ", "book_appointment"),
}


def parse(agent, text):
    return asyncio.run(agent.parse_message(text))


def test_every_language_is_covered():
    assert set(ONE_PER_LANGUAGE) == set(TAGS)


@pytest.mark.parametrize("tag", TAGS)
def test_parses_language_and_intent(agent, tag):
    text, intent = ONE_PER_LANGUAGE[tag]
    result = parse(agent, text)
    assert result["language"] == tag
    assert result["intent"]["name"] == intent


@pytest.mark.parametrize("text", [
    "my wife collapsed and is not breathing", "我老公突然晕倒了叫不醒", "父が倒れて意識がない",
    "ابني ابتلع دواء كثير", "mi hijo está convulsionando", "เพื่อนหายใจไม่ออก",
])
def test_emergency_always_wins(agent, text):
    assert parse(agent, text)["intent"]["name"] == "emergency"


def test_lexicon_match_forces_emergency_over_the_classifier(agent):
    # phrased as a booking request, but the lexicon knows "can't breathe"
    result = parse(agent, "I want to book an appointment, I can't breathe")
    assert result["intent"] == {"name": "emergency", "confidence": 1.0}
    assert result["emergency_lexicon_match"] is True


def test_language_entity_fills_slot_only_when_decisive(agent):
    decisive = parse(agent, "Guten Tag, ich brauche einen Termin")
    assert {"entity": "language", "value": "de"}.items() <= next(
        e for e in decisive["entities"] if e["entity"] == "language").items()
    neutral = parse(agent, "ok")
    assert neutral["language"] == UNDETERMINED
    assert not [e for e in neutral["entities"] if e["entity"] == "language"]


def test_entities_map_to_canonical_ids(agent):
    result = parse(agent, "我想去仁济医院看牙科")
    values = {(e["entity"], e["value"]) for e in result["entities"]}
    assert ("hospital", "renji") in values


def test_referral_id_found_in_unspaced_text(agent):
    result = parse(agent, "我的转诊号RF-20831现在怎么样了")
    assert "RF-20831" in {e["value"] for e in result["entities"] if e["entity"] == "referral_id"}


def test_calling_the_traced_diet_graph_directly_gives_rasas_own_results(agent):
    """bot/rasa_speedups/diet.py calls DIET's traced graph directly in the server."""
    import gc

    from rasa.utils.tensorflow.models import RasaModel

    from bot import rasa_speedups

    rasa_speedups.apply()
    texts = [text for text, _ in ONE_PER_LANGUAGE.values()] + ["ok", "RF-20831", "救命 胸口好痛", "Renji"]
    parse(agent, texts[0])  # traces the graph, if nothing has yet
    direct = [parse(agent, text) for text in texts]
    assert any(getattr(model, "_patient_guide_graph", None) is not None
               for model in gc.get_objects() if isinstance(model, RasaModel))
    patched = RasaModel._rasa_predict
    RasaModel._rasa_predict = patched.original
    try:
        own = [parse(agent, text) for text in texts]
    finally:
        RasaModel._rasa_predict = patched
    for mine, rasas in zip(direct, own):
        assert mine["intent"]["name"] == rasas["intent"]["name"]
        assert mine["intent"]["confidence"] == pytest.approx(rasas["intent"]["confidence"], abs=1e-6)
        assert mine["entities"] == rasas["entities"]
