"""The input rules every form shares (botoxcare/validators.py): control characters, dates a
clinic can mean, phone numbers and email addresses in one written form."""

from __future__ import annotations

import importlib
import pkgutil
from datetime import date, timedelta

import pytest
from django import forms
from django.utils import timezone

from botoxcare.validators import (
    ADULT_AGE,
    OLDEST_AGE,
    CleanInput,
    InputReason,
    birth_date_plausible,
    control_characters,
    email_normalised,
    phone_normalised,
    years_before,
)

PROJECT = ("botoxcare", "patients", "treatments", "diary", "pages")


@pytest.mark.parametrize(
    ("text", "multiline", "refused"),
    [
        ("plain words, accents é and 漢字", False, False),
        ("nul\x00byte", True, True),
        ("bell\x07", True, True),
        ("escape\x1b[31m", False, True),
        ("delete\x7f", False, True),
        ("c1\x85control", True, True),
        ("two\nlines\tand\r\nbreaks", True, False),
        ("two\nlines", False, True),
    ],
)
def test_control_characters_are_found(text, multiline, refused):
    assert control_characters(text, multiline=multiline) is refused


def test_a_birth_date_is_an_adults_and_a_living_persons():
    today = timezone.localdate()
    for day in (today, years_before(today, ADULT_AGE) + timedelta(days=1), date(1900, 1, 1)):
        with pytest.raises(forms.ValidationError):
            birth_date_plausible(day)
    assert birth_date_plausible(years_before(today, ADULT_AGE)) == years_before(today, ADULT_AGE)
    oldest = years_before(today, OLDEST_AGE) + timedelta(days=1)
    assert birth_date_plausible(oldest) == oldest


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        (" 07700 900123 ", "07700 900123"),
        ("07700-900-123", "07700 900123"),
        ("+44 (0)7700 900123", "07700 900123"),
        ("020 7946 0000", "020 7946 0000"),
        ("+33 1 23 45 67 89", "+33 1 23 45 67 89"),
        ("", ""),
    ],
)
def test_phone_numbers_are_written_one_way(raw, stored, settings):
    settings.PHONE_REGION = "GB"
    assert phone_normalised(raw) == stored


@pytest.mark.parametrize("raw", ["call me maybe", "123", "0770090012345678901", "07700 9OO123"])
def test_what_cannot_be_a_phone_number_is_refused(raw, settings):
    settings.PHONE_REGION = "GB"
    with pytest.raises(forms.ValidationError) as refused:
        phone_normalised(raw)
    assert refused.value.code == InputReason.PHONE_INVALID


def test_the_clinics_country_decides_what_is_national(settings):
    settings.PHONE_REGION = "FR"
    assert phone_normalised("01 23 45 67 89") == "01 23 45 67 89"
    assert phone_normalised("+44 20 7946 0000") == "+44 20 7946 0000"  # no longer national


def test_email_domain_is_lower_case_and_the_mailbox_kept():
    assert email_normalised("  Ann.Smith@Example.ORG ") == "Ann.Smith@example.org"


def _project_forms() -> set[type]:
    for name in PROJECT:
        package = importlib.import_module(name)
        for module in pkgutil.walk_packages(package.__path__, f"{name}."):
            if "forms" in module.name.split("."):
                importlib.import_module(module.name)
    found: set[type] = set()
    todo = [forms.BaseForm]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.split(".")[0] in PROJECT and sub is not CleanInput:
                found.add(sub)
    return found


def test_every_form_of_the_project_keeps_the_input_rules():
    found = _project_forms()
    assert len(found) > 20
    missing = sorted(
        f"{f.__module__}.{f.__qualname__}" for f in found if not issubclass(f, CleanInput)
    )
    # Each needs `CleanInput` first among its bases (botoxcare/validators.py).
    assert missing == [], f"forms without the shared input rules: {missing}"
