"""Phone numbers to E.164, as people in Iraq type them: Arabic-Indic digits, spaces, 00964, +964,
or the national 07… form. Google's phonenumbers library holds the numbering plans."""

import re

import phonenumbers

from sportsrun.core.text.characters import western_digits

_SEPARATORS = re.compile(r"[\s\-().\u200e\u200f\u202a-\u202e]")
# Iraqi mobiles, the numbers nearly every registrant types (phonenumbers' IQ mobile pattern,
# 7[3-9]\d{8}): answered without the library's general parser, which costs ~100 µs a number.
_IRAQI_MOBILE = re.compile(r"(?:\+964|00964|964|0)(7[3-9]\d{8})")


def normalize_phone(raw: str, default_region: str = "IQ") -> str | None:
    """The E.164 form, or None when it is not a valid number."""
    mobile = _IRAQI_MOBILE.fullmatch(raw)  # typed plainly, as most are: nothing to clean up first
    if mobile:
        return "+964" + mobile.group(1)
    value = cleaned(raw)
    if not value or len(value) > 20:
        return None
    mobile = _IRAQI_MOBILE.fullmatch(value)
    if mobile:
        return "+964" + mobile.group(1)
    return by_library(value, default_region)


def cleaned(raw: str) -> str:
    """The number with Western digits and without spaces, dashes, brackets, dots or direction marks."""
    return _SEPARATORS.sub("", western_digits(raw.strip()))


def by_library(value: str, default_region: str = "IQ") -> str | None:
    """A cleaned number's E.164 form by phonenumbers alone, or None."""
    if value.startswith("00"):
        value = "+" + value[2:]
    elif value.startswith("964") and len(value) > 11:
        value = "+" + value
    try:
        number = phonenumbers.parse(value, default_region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
