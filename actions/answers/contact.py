"""A phone number or an e-mail address, read from what the patient typed.

Numbers come as people type them: grouped with spaces, hyphens, dots, slashes
or parentheses, with "+", "00" or no country code, in full-width, Arabic-Indic
or Thai digits, alone or inside a short sentence ("电话：13800138000",
"번호는 010-1234-5678입니다"). They are normalised to "+<country><number>"
when the country is known:
- an 11-digit number starting 13-19 is a mainland China mobile: +86;
- an 8-digit number starting 2, 3, 5, 6, 7, 8 or 9 is a Hong Kong number: +852
  (a mainland landline needs its area code, "0755 1234 5678", and is then kept as typed);
- otherwise the digits are kept, with "+" when one (or "00") was given.
Dates, booking references ("BK-7Q4M2X", "RF-20831") and texts with two
different numbers or addresses are refused: the bot asks again.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import List, Optional

MAX_INPUT_CHARS = 500  # a contact answer is short; longer text is not read
MIN_DIGITS, MAX_DIGITS = 7, 15  # E.164 allows 15 digits with the country code

_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")
# A run of digits in groups: "+1 (415) 555-0100", "(+86)138 0013 8000", "0171/1234567", "090ー1234ー5678".
_SEPARATOR = r"[\s\-‐‑‒–—―ー./()]"
_NUMBER = re.compile(rf"(?:\(\s?)?(?:\+\s?)?\d(?:{_SEPARATOR}{{0,3}}\d)*")
# a date standing alone, not three groups inside a longer number ("+81-3-1234-5678")
_DATE = re.compile(r"(?<![\d+])(?<!\d[-./])(?:\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{4})"
                   r"(?![-./]?\d)")
_TIME = re.compile(r"(?<!\d)\d{1,2}:\d{2}(?!\d)")
_TRUNK_ZERO = re.compile(r"\(\s?0\s?\)")  # "+44 (0)20 ...": the 0 is dialled only inside the country
_MAINLAND_MOBILE = re.compile(r"1[3-9]\d{9}")
_HONG_KONG = re.compile(r"[235-9]\d{7}")


@dataclass(frozen=True)
class Contact:
    kind: str  # "phone" | "email"
    value: str  # "+8613800138000", "anna@example.com"


def read_contact(text: str) -> Optional[Contact]:
    """The one phone number or e-mail address in the text, normalised; None if there is none or more than one."""
    if not isinstance(text, str) or len(text) > MAX_INPUT_CHARS:
        return None
    text = _plain(text)
    emails = {_normalised_email(m.group()) for m in _EMAIL.finditer(text)}
    rest = _TIME.sub(" ", _DATE.sub(" ", _EMAIL.sub(" ", text)))
    phones = {_normalised_phone(number) for number in _phone_like_numbers(rest)}  # None: impossible length
    if len(emails) + len(phones) != 1:
        return None
    if emails:
        return Contact("email", emails.pop())
    phone = phones.pop()
    return Contact("phone", phone) if phone else None


def _plain(text: str) -> str:
    """Full-width forms folded (NFKC), every kind of decimal digit as 0-9 (Arabic-Indic "٠٥٠",
    Thai "๐๘๑"), and invisible marks dropped (right-to-left marks around numbers in Arabic text)."""
    chars = []
    for char in unicodedata.normalize("NFKC", text):
        category = unicodedata.category(char)
        if category == "Nd":
            chars.append(str(unicodedata.digit(char)))
        elif category != "Cf":
            chars.append(char)
    return "".join(chars)


def _normalised_email(address: str) -> str:
    local, domain = address.rsplit("@", 1)
    return f"{local}@{domain.lower()}"  # domains ignore case; the local part is the provider's business


def _phone_like_numbers(text: str) -> List[str]:
    """Numbers long enough to be phones, as typed; references and compact dates left out."""
    found = []
    for match in _NUMBER.finditer(text):
        number = match.group()
        if len(_digits(number)) < MIN_DIGITS or _is_reference(text, match.start(), match.end()):
            continue
        if not _has_plus(number) and _looks_like_compact_date(_digits(number)):
            continue
        found.append(number)
    return found


def _is_reference(text: str, start: int, end: int) -> bool:
    """Digits glued to Latin letters belong to an id: "RF-2083145", "BK7Q4", "13800138000abc"."""
    before = text[max(0, start - 2):start]
    after = text[end:end + 1]
    return bool(re.search(r"[A-Za-z][-_#]?$", before)) or bool(re.match(r"[A-Za-z]", after))


def _has_plus(run: str) -> bool:
    return run.lstrip("( ").startswith("+")


def _digits(run: str) -> str:
    return "".join(ch for ch in run if ch.isdigit())


def _looks_like_compact_date(digits: str) -> bool:
    """"19900503" is a birth date, not a phone (Hong Kong-shaped 8 digits stay phones)."""
    if len(digits) != 8 or _HONG_KONG.fullmatch(digits):
        return False
    try:
        dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        return False
    return 1900 <= int(digits[:4]) <= 2100


def _normalised_phone(run: str) -> Optional[str]:
    international = _has_plus(run)
    digits = _digits(_TRUNK_ZERO.sub("", run) if international else run)
    if not international and digits.startswith("00"):  # "0086 138...": the international call prefix
        international, digits = True, digits[2:]
    if not MIN_DIGITS <= len(digits) <= MAX_DIGITS:
        return None
    if international:
        return "+" + digits
    if _MAINLAND_MOBILE.fullmatch(digits):
        return "+86" + digits
    if _HONG_KONG.fullmatch(digits):
        return "+852" + digits
    if digits.startswith("86") and _MAINLAND_MOBILE.fullmatch(digits[2:]):
        return "+" + digits
    if digits.startswith("852") and _HONG_KONG.fullmatch(digits[3:]):
        return "+" + digits
    return digits
