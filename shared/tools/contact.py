"""Contact details as callers give them: an email checked for its form, a phone number made E.164 with the
caller's own country as the default (phonenumbers, Google's libphonenumber metadata), both read back as spoken."""

from __future__ import annotations

import re

import phonenumbers

EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
                   r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.[A-Za-z]{2,}$")
SYMBOLS = {".": " dot ", "@": " at ", "-": " dash ", "_": " underscore ", "+": " plus "}


class ContactError(ValueError):
    """The detail is not a valid email address or phone number; the message says why, to the caller."""


def valid_email(raw: str) -> str:
    email = raw.strip()
    if len(email) > 254 or not EMAIL.match(email) or ".." in email:
        raise ContactError(f"{spoken_email(email)} is not a valid email address")
    return email.lower()


def e164(raw: str, current: str) -> str:
    """`raw` as an E.164 number; said without a country code, it is in the country of `current` (E.164)."""
    region = phonenumbers.region_code_for_number(phonenumbers.parse(current))
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ContactError("that is not a valid phone number; please say it with the area code")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def spoken_email(email: str) -> str:
    """"j.smith@example.com" -> "j dot smith at example dot com"."""
    return re.sub(r"\s+", " ", "".join(SYMBOLS.get(c, c) for c in email)).strip()


def spoken_phone(number: str) -> str:
    """An E.164 number in the groups of its country: "+44 20 7946 0958"."""
    return phonenumbers.format_number(phonenumbers.parse(number), phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def contact_read_back(email: str | None, phone: str | None) -> str:
    said = [f"your email to {spoken_email(email)}" if email else "",
            f"your phone number to {spoken_phone(phone)}" if phone else ""]
    return "changing " + " and ".join(s for s in said if s)
