"""The sample directory: complete in 12 languages, honest about sample data, and queried through SQLite."""
import datetime as dt

import pytest

from actions.db import loader, open_database
from actions.db.bookings import CancelResult, normalise_reference
from actions.db.referrals import normalise_referral_id
from bot.languages import TAGS
from bot.nlu.entity_ids import DEPARTMENTS, HOSPITALS, INSURERS, PLACES

DATA = loader.read_directory()


@pytest.fixture()
def db(tmp_path):
    return open_database(f"sqlite:///{tmp_path / 'guide.sqlite'}")


def test_every_name_exists_in_every_language():
    named = [("place", k, v["names"]) for k, v in DATA["places"].items()]
    named += [("department", k, v) for k, v in DATA["departments"].items()]
    named += [("insurer", k, v) for k, v in DATA["insurers"].items()]
    named += [("hospital", h["id"], h["names"]) for h in DATA["hospitals"]]
    missing = [(kind, item, tag) for kind, item, names in named for tag in TAGS if not (names.get(tag) or "").strip()]
    assert missing == []


def test_directory_ids_are_the_nlu_entity_ids():
    assert {h["id"] for h in DATA["hospitals"]} == HOSPITALS
    assert set(DATA["departments"]) == DEPARTMENTS
    assert set(DATA["places"]) == PLACES
    assert set(DATA["insurers"]) == INSURERS


def test_sample_data_is_marked_and_no_phone_number_is_invented():
    for hospital in DATA["hospitals"]:
        assert "phone" not in hospital, hospital["id"]
        assert {"hours", "address", "staff_languages"} <= set(hospital["sample_fields"]), hospital["id"]
        assert all("sample" in text or "示例" in text for text in hospital["address"].values()), hospital["id"]


def test_search_by_place_includes_the_places_inside_it(db):
    in_lingang = {h.id for h in db.directory.search(place="lingang")}
    assert {"sixth_lingang", "fudan_pudong_lingang", "lingang_crossborder_center", "shuguang_dishui_tcm"} <= in_lingang
    assert {h.id for h in db.directory.search(place="shanghai")} >= in_lingang | {"renji", "huashan_international"}


def test_search_combines_department_language_and_insurer(db):
    assert [h.id for h in db.directory.search(department="ophthalmology", place="luohu_port")] == ["cmer_luohu"]
    assert [h.id for h in db.directory.search(insurer="hk_medical_insurance", department="general_practice")] == \
        ["luohu_peoples_remote"]
    assert "raffles_shanghai" in {h.id for h in db.directory.search(language="ko")}
    assert db.directory.search(department="tcm", place="hong_kong") == []


def test_open_hospitals_are_listed_before_planned_ones(db):
    statuses = [h.status for h in db.directory.search(place="lingang")]
    assert statuses == sorted(statuses, key=lambda s: s != "open")


def test_the_articles_facts_are_kept(db):
    cmer = db.directory.hospital("cmer_luohu")
    walk = cmer.routes[0]
    assert ((walk.origin, walk.mode, walk.minutes, walk.after, walk.from_article)
            == ("luohu_port", "walk", 5, "customs", True))
    assert db.directory.hospital("renji").direct_billing_note == "many"
    assert db.directory.hospital("sixth_lingang").status == "opening"


def test_names_fall_back_to_english_then_the_id(db):
    assert db.directory.name("hospital", "renji", "ja") != db.directory.name("hospital", "renji", "en")
    assert db.directory.name("hospital", "renji", "xx") == db.directory.name("hospital", "renji", "en")
    assert db.directory.name("hospital", "nowhere", "en") == "nowhere"


def test_reloading_keeps_bookings(tmp_path):
    url = f"sqlite:///{tmp_path / 'guide.sqlite'}"
    first = open_database(url)
    reference = first.bookings.create("patient-1", "renji", "cardiology", dt.date(2026, 12, 1), "10:00", "A B",
                                      "a@b.cn", "en")
    second = open_database(url)
    assert second.bookings.find("patient-1", reference) is not None


def test_only_the_owner_can_cancel_a_booking(db):
    reference = db.bookings.create("patient-1", "renji", "cardiology", dt.date(2026, 12, 1), "10:00", "A B",
                                   "a@b.cn", "en")
    assert db.bookings.find("someone-else", reference) is None
    assert db.bookings.cancel("someone-else", reference) is CancelResult.NOT_FOUND
    assert db.bookings.cancel("patient-1", reference) is CancelResult.CANCELLED
    assert db.bookings.cancel("patient-1", reference) is CancelResult.ALREADY_CANCELLED


def test_bookings_store_no_raw_conversation_id(db):
    from actions.db import tables

    db.bookings.create("telegram-123456", "renji", "cardiology", dt.date(2026, 12, 1), "10:00", "A B", "a@b.cn", "en")
    with db.bookings._sessions() as session:
        owners = [row.owner for row in session.query(tables.Booking)]
    assert owners and all("123456" not in owner for owner in owners)


def test_referral_status_needs_the_matching_birth_date(db):
    assert db.referrals.status("RF-20831", dt.date(1984, 3, 12)).status == "under_review"
    assert db.referrals.status("RF-20831", dt.date(1984, 3, 13)) is None
    assert db.referrals.status("RF-99999", dt.date(1984, 3, 12)) is None


@pytest.mark.parametrize("raw,expected", [("RF-20831", "RF-20831"), ("rf 20831", "RF-20831"),
                                          ("转诊号RF20831", "RF-20831"), ("RF-2083", None), ("RF-208311", None),
                                          ("hello", None)])
def test_referral_ids_are_normalised(raw, expected):
    assert normalise_referral_id(raw) == expected


@pytest.mark.parametrize("raw,expected", [("BK-7Q4M2X", "BK-7Q4M2X"), ("bk 7q4m2x", "BK-7Q4M2X"), ("BK-7Q4M2", None),
                                          ("BK-0O1IL2", None)])
def test_booking_references_are_normalised(raw, expected):
    assert normalise_reference(raw) == expected


@pytest.mark.parametrize("kind,text,expected", [
    ("hospital", "Renji Hospital", "renji"), ("hospital", "仁济医院", "renji"), ("hospital", "c-mer", "cmer_luohu"),
    ("hospital", "St. Elsewhere", None), ("department", "cardiology", "cardiology"),
    ("department", "眼科", "ophthalmology"), ("hospital", "a", None)])
def test_free_text_answers_match_names_in_any_language(db, kind, text, expected):
    assert db.directory.match_name(kind, text) == expected


def test_route_modes_and_referral_statuses_have_texts():
    import yaml

    from bot import texts

    modes = {route["mode"] for h in DATA["hospitals"] for route in h.get("directions", [])}
    assert {f"route_{m}" for m in modes} <= texts.keys()
    statuses = {r["status"] for r in yaml.safe_load(loader.REFERRALS_FILE.read_text(encoding="utf-8"))["referrals"]}
    assert {f"referral_status_{s}" for s in statuses} <= texts.keys()


def _sql_directory(db):
    from actions.db.directory import SqlDirectory

    return SqlDirectory(db.bookings._sessions)


def test_the_in_memory_directory_answers_as_the_sql_one(db):
    import itertools

    sql, memory = _sql_directory(db), db.directory
    # every criterion alone, and the pairs patients combine ("eye clinic near Luohu", "Korean-speaking, with Cigna")
    pairs = [({"place": p}, {"department": d}) for p, d in itertools.product(sorted(PLACES), sorted(DEPARTMENTS))]
    pairs += [({"language": t}, {"insurer": i}) for t, i in itertools.product(TAGS, sorted(INSURERS))]
    for criteria in {tuple(sorted(c.items())) for a, b in pairs for c in (a, b, {**a, **b})}:
        assert memory.search(**dict(criteria)) == sql.search(**dict(criteria)), criteria
    for place in sorted(PLACES) + ["nowhere"]:
        assert (memory.region_of(place), memory.parent_of(place)) == (sql.region_of(place), sql.parent_of(place))
    for kind, ids in [("place", PLACES), ("department", DEPARTMENTS), ("insurer", INSURERS), ("hospital", HOSPITALS)]:
        names = set()
        for item_id in sorted(ids) + ["nowhere"]:
            assert memory.hospital(item_id) == sql.hospital(item_id)
            for tag in list(TAGS) + ["xx"]:
                name = sql.name(kind, item_id, tag)
                assert memory.name(kind, item_id, tag) == name
                names.add(name)
        for text in sorted(names) + [f"I want {name} please" for name in sorted(names)[:20]] + ["x", "the big one"]:
            assert memory.match_name(kind, text) == sql.match_name(kind, text), (kind, text)


def test_the_in_memory_directory_sees_a_change_after_its_maximum_age(tmp_path):
    from actions.db import tables
    from actions.db.directory_snapshot import CachedDirectory, Snapshot

    sessions = open_database(f"sqlite:///{tmp_path / 'guide.sqlite'}").bookings._sessions
    now = [0.0]
    directory = CachedDirectory(lambda: Snapshot.read(sessions), max_age=60, clock=lambda: now[0])
    assert directory.hospital("renji").status == "open"
    with sessions.begin() as session:
        session.get(tables.Hospital, "renji").status = "opening"
    now[0] = 59
    assert directory.hospital("renji").status == "open"
    now[0] = 60
    assert directory.hospital("renji").status == "opening"
