"""What every input must be, in one place: text without control characters, dates a clinic
can mean, numbers a database column holds, a phone number in one written form and an email
address with its domain in lower case. `CleanInput` is mixed into every form of the project;
the bounds are named here once (they are not the clinic's to tune: no clinic treats a child
or books a visit in the year 9999)."""

from __future__ import annotations

import unicodedata
from datetime import UTC, date, datetime
from enum import StrEnum

import phonenumbers
from django import forms
from django.conf import settings
from django.core.validators import (
    MaxValueValidator,
    MinValueValidator,
    ProhibitNullCharactersValidator,
)
from django.utils import timezone

# The treatment is for adults: a patient is at least this old when registered, and at most
# the oldest age a living person reaches.
ADULT_AGE = 18
OLDEST_AGE = 120
# No date typed into any form is before this (no care record, and no living patient's birth,
# is older), nor more than LATEST_YEARS_AHEAD years ahead: a typo in the year, not a plan.
EARLIEST_DATE = date(1900, 1, 1)
LATEST_YEARS_AHEAD = 10
# A vial's shelf life is about three years: an expiry further ahead is a typo.
LOT_EXPIRY_YEARS = 5
# More preventives than there are classes of them to try is a typo.
MOST_FAILED_PREVENTIVES = 30
# Every integer column holds this on every database the clinic runs on (a row's id).
LARGEST_INTEGER = 2**31 - 1
# Every count, length and limit a form takes fits the narrowest integer column the models use
# (a small integer): SQLite would store more, and dates computed from it would overflow.
LARGEST_COUNT = 2**15 - 1


class InputReason(StrEnum):
    CONTROL_CHARACTER = "control_character"
    DATE_OUT_OF_RANGE = "date_out_of_range"
    NUMBER_OUT_OF_RANGE = "number_out_of_range"
    BIRTH_TOO_RECENT = "birth_too_recent"
    BIRTH_TOO_EARLY = "birth_too_early"
    BEFORE_BIRTH = "before_birth"
    PHONE_INVALID = "phone_invalid"
    EXPIRY_TOO_FAR = "expiry_too_far"


# Tab, newline and carriage return belong in text of several lines; nowhere else.
LINE_BREAKS = frozenset("\t\n\r")


def control_characters(value: str, *, multiline: bool) -> bool:
    """Whether the text holds a control character (NUL among them) it may not."""
    allowed = LINE_BREAKS if multiline else frozenset()
    return any(unicodedata.category(ch) == "Cc" and ch not in allowed for ch in value)


def no_control_characters(value: str, *, multiline: bool = False) -> None:
    if control_characters(value, multiline=multiline):
        raise forms.ValidationError(
            "Please remove the invisible control characters from this text "
            "(often pasted in with it).",
            code=InputReason.CONTROL_CHARACTER,
        )


def years_before(day: date, years: int) -> date:
    """The same day `years` earlier (29 February becomes the 28th)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def latest_date() -> date:
    today = timezone.localdate()
    return today.replace(year=today.year + LATEST_YEARS_AHEAD, month=12, day=31)


def date_in_range(day: date) -> None:
    if not EARLIEST_DATE <= day <= latest_date():
        raise forms.ValidationError(
            f"Please check the year: dates from {EARLIEST_DATE.year} to "
            f"{latest_date().year} can be entered.",
            code=InputReason.DATE_OUT_OF_RANGE,
        )


def moment_representable(value: datetime) -> None:
    """A date and time (a visit's: each form checks its own horizon, with its own words)
    that can be stored and computed with: not at the very ends of the calendar."""
    try:
        value.astimezone(UTC)
    except OverflowError as error:
        raise forms.ValidationError(
            "Please check the year.", code=InputReason.DATE_OUT_OF_RANGE
        ) from error


def birth_date_plausible(value: date) -> date:
    """A patient's date of birth: an adult's, and a living person's."""
    today = timezone.localdate()
    if value > years_before(today, ADULT_AGE):
        raise forms.ValidationError(
            f"The patient must be at least {ADULT_AGE} years old: please check the date of birth.",
            code=InputReason.BIRTH_TOO_RECENT,
        )
    if value <= years_before(today, OLDEST_AGE):
        raise forms.ValidationError(
            f"That would make the patient over {OLDEST_AGE}: please check the year of birth.",
            code=InputReason.BIRTH_TOO_EARLY,
        )
    return value


def lot_expiry_plausible(value: date) -> date:
    today = timezone.localdate()
    if value > today.replace(year=today.year + LOT_EXPIRY_YEARS, day=min(today.day, 28)):
        raise forms.ValidationError(
            f"A lot does not keep more than {LOT_EXPIRY_YEARS} years: please check the expiry "
            "date.",
            code=InputReason.EXPIRY_TOO_FAR,
        )
    return value


def phone_normalised(value: str) -> str:
    """A phone number as the clinic writes it: national numbers of the clinic's country
    (settings.PHONE_REGION) in their national form ("07700 900123"), others in international
    form ("+33 1 23 45 67 89"). Empty stays empty. Raises ValidationError for anything that
    cannot be a number (letters, too few or too many digits)."""
    value = value.strip()
    if not value:
        return ""
    invalid = forms.ValidationError(
        "Please give a phone number we can call, with its area code.",
        code=InputReason.PHONE_INVALID,
    )
    region = settings.PHONE_REGION
    if any(ch.isalpha() for ch in value):  # "call me maybe", or letters for digits
        raise invalid
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException as error:
        raise invalid from error
    # "Possible" (a number's length and shape for its country), not "valid" (allocated
    # today): the numbers set aside for drama and tests, which the demo uses, are not allocated.
    if not phonenumbers.is_possible_number(number):
        raise invalid
    national = number.country_code == phonenumbers.country_code_for_region(region)
    style = phonenumbers.PhoneNumberFormat
    return phonenumbers.format_number(number, style.NATIONAL if national else style.INTERNATIONAL)


def id_read(raw: str) -> int | None:
    """A row's id as a form or a link carries it: ASCII digits ("²" is a digit to Python, not
    to int()) within an integer column's range; None for anything else."""
    if raw.isascii() and raw.isdigit() and 0 < int(raw) <= LARGEST_INTEGER:
        return int(raw)
    return None


def email_normalised(value: str) -> str:
    """Stripped, with the domain in lower case (the part before @ is the mailbox's own)."""
    value = value.strip()
    mailbox, at, domain = value.rpartition("@")
    return f"{mailbox}@{domain.lower()}" if at else value


def _harden(field: forms.Field) -> None:
    if isinstance(field, forms.CharField):
        multiline = isinstance(field.widget, forms.Textarea)
        # One message for NUL and the other control characters, instead of Django's own too.
        field.validators = [
            v for v in field.validators if not isinstance(v, ProhibitNullCharactersValidator)
        ]
        field.validators.append(lambda v: no_control_characters(v, multiline=multiline))
    elif isinstance(field, forms.DateTimeField):
        field.validators.append(moment_representable)
    elif isinstance(field, forms.DateField):
        field.validators.append(date_in_range)
    elif isinstance(field, forms.IntegerField) and not isinstance(field, forms.DecimalField):
        if field.max_value is None:
            field.validators.append(MaxValueValidator(LARGEST_COUNT))
        if field.min_value is None:
            field.validators.append(MinValueValidator(-LARGEST_COUNT))


class CleanInput(forms.BaseForm):
    """Mixed into every form of the project, before its Django base: no control characters
    in any text (tab and line breaks only in text of several lines), no date outside
    EARLIEST_DATE and LATEST_YEARS_AHEAD, no integer past LARGEST_COUNT. Each is refused
    on its field with its `InputReason`."""

    def full_clean(self) -> None:
        # Here rather than in __init__, so that fields a form adds later (a choice of rooms,
        # say) are covered; each form instance has its own copies of its fields.
        for field in self.fields.values():
            if not getattr(field, "_hardened", False):
                _harden(field)
                field._hardened = True  # type: ignore[attr-defined]
        super().full_clean()
