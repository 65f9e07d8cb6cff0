"""Entities whose value no action can use are dropped before they fill a slot (bot/nlu/canonical_entities.py)."""
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.canonical_entities import CanonicalEntities


def entity(kind, value, extractor="ServingDIETClassifier"):
    return {"entity": kind, "value": value, "start": 0, "end": len(str(value)), "extractor": extractor}


def kept(*entities):
    message = Message(data={"text": "…", "entities": list(entities)})
    CanonicalEntities().process([message])
    return [(e["entity"], e["value"]) for e in message.get("entities")]


def test_a_generic_word_tagged_as_a_hospital_is_dropped_and_the_named_one_kept():
    # "Quels sont les horaires de l'hôpital Renji ?": DIET tagged both words
    assert kept(entity("hospital", "hôpital"), entity("hospital", "renji")) == [("hospital", "renji")]


def test_a_typed_shortcut_read_as_text_fills_nothing():
    junk = 'inform{"hospital":"renji","department":"dentistry'
    assert kept(entity("department", junk), entity("hospital", junk)) == []


def test_references_need_enough_letters_and_digits():
    assert kept(entity("referral_id", "-"), entity("referral_id", "RF-20831", "RegexEntityExtractor"),
                entity("booking_ref", "BK-7Q4M2X")) == [("referral_id", "RF-20831"), ("booking_ref", "BK-7Q4M2X")]


def test_canonical_ids_and_entities_of_other_kinds_pass():
    assert kept(entity("department", "dentistry"), entity("place", "luohu_port"), entity("insurer", "bupa"),
                entity("target_language", "ja"), entity("language", "und", "LanguageDetector")) == [
        ("department", "dentistry"), ("place", "luohu_port"), ("insurer", "bupa"), ("target_language", "ja"),
        ("language", "und")]


def test_a_message_without_entities_is_left_alone():
    message = Message(data={"text": "hello"})
    CanonicalEntities().process([message])
    assert message.get("entities") is None
