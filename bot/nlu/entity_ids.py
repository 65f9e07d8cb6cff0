"""Canonical entity ids the training data may map names to.

Every language's way of naming a hospital, department, place or insurer is
annotated with one of these ids, so actions never see language-specific names.
"""
from bot.languages import TAGS

HOSPITALS = frozenset({
    "renji", "raffles_shanghai", "sixth_lingang", "fudan_pudong_lingang",
    "huashan_international", "lingang_crossborder_center", "cmer_luohu",
    "luohu_peoples_remote", "shuguang_dishui_tcm", "lishui_mch",
})
DEPARTMENTS = frozenset({
    "general_practice", "internal_medicine", "surgery", "emergency_department",
    "ophthalmology", "dentistry", "gynecology", "obstetrics", "pediatrics",
    "cardiology", "oncology", "orthopedics", "dermatology", "ent", "urology",
    "tcm", "imaging", "health_check", "reproductive_medicine", "mental_health",
    "neurology", "gastroenterology", "respiratory",
})
PLACES = frozenset({
    "shanghai", "pudong", "lingang", "qiantan", "dishui_lake", "pudong_airport",
    "hongqiao_airport", "shenzhen", "luohu", "luohu_port", "wenjindu_port",
    "liantang_port", "futian", "hong_kong", "lishui", "zhejiang",
})
INSURERS = frozenset({
    "bupa", "cigna", "axa", "allianz", "aetna", "msh", "generali", "now_health",
    "hk_medical_insurance", "commercial_insurance",
})

# entity name -> allowed canonical values (None: free text, e.g. referral ids)
CANONICAL_VALUES = {
    "hospital": HOSPITALS,
    "department": DEPARTMENTS,
    "place": PLACES,
    "insurer": INSURERS,
    "target_language": frozenset(TAGS),
    "referral_id": None,
    "booking_ref": None,
}
