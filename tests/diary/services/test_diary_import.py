"""Importing a diary CSV: an error per bad row, and nothing stored if any row is bad."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from botoxcare.errors import DomainError
from botoxcare.models import AuditEvent
from diary.models import AcuteMedicine, DiaryEntry
from diary.reasons import Reason
from diary.services import diary_import

from .writers import patient_with_login

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 15)
HEADER = (
    "day,headache,started_at,duration_hours,severity,pain_score,features,medicines,"
    "activity_effect,note\n"
)


@pytest.fixture
def me(clinic):
    patient = patient_with_login(clinic)
    AcuteMedicine.objects.create(
        patient=patient, name="Sumatriptan 50 mg", medicine_class="triptan"
    )
    return patient


def run(me, text):
    return diary_import(patient=me, by=me.user, text=text, today=TODAY)


def test_a_good_file_is_stored(me):
    entries = run(
        me,
        "\ufeff"
        + HEADER
        + "2026-06-10,yes,07:30,4.5,severe,8,throbbing;nausea,Sumatriptan 50 mg:2,missed,"
        + "'-after work\n"
        + "2026-06-11,no,,,,,,,,\n",
    )
    assert len(entries) == 2
    first = DiaryEntry.objects.get(day=date(2026, 6, 10))
    assert first.duration_hours == Decimal("4.5") and first.severity == "severe"
    assert first.throbbing and first.nausea and not first.aura
    assert first.note == "-after work"  # the export's neutralising quote taken off
    assert [m.doses for m in first.medicines.all()] == [2]
    assert AuditEvent.objects.get(action="diary.imported").data["days"] == 2


def test_each_bad_row_is_named_and_nothing_is_stored(me):
    future = (TODAY + timedelta(days=1)).isoformat()
    text = (
        HEADER
        + "2026-06-10,yes,07:30,4,mild,3,,,,\n"  # row 2: good
        + "10/06/2026,yes,,,,,,,,\n"  # row 3: day unreadable
        + "2026-06-11,maybe,,,,,,,,\n"  # row 4: headache unreadable
        + f"{future},no,,,,,,,,\n"  # row 5: future
        + "2026-06-12,no,08:00,,,,,,,\n"  # row 6: details on a day without headache
        + "2026-06-13,yes,,,,,,Paracetamol:1,,\n"  # row 7: medicine not on the list
        + "2026-06-10,no,,,,,,,,\n"  # row 8: twice in the file
        + "2026-06-14,yes,,,awful,,,,,\n"  # row 9: severity unknown
    )
    with pytest.raises(DomainError) as error:
        run(me, text)
    by_row = {r.subject: r.code for r in error.value.refusals}
    assert by_row == {
        "Row 3": Reason.IMPORT_ROW_INVALID,
        "Row 4": Reason.IMPORT_ROW_INVALID,
        "Row 5": Reason.DAY_IN_FUTURE,
        "Row 6": Reason.DETAILS_WITHOUT_HEADACHE,
        "Row 7": Reason.IMPORT_ROW_INVALID,
        "Row 8": Reason.DAY_ALREADY_RECORDED,
        "Row 9": Reason.IMPORT_ROW_INVALID,
    }
    assert "YYYY-MM-DD" in str(error.value)
    assert not DiaryEntry.objects.exists()
    assert not AuditEvent.objects.filter(action="diary.imported").exists()


def test_a_day_already_in_the_diary_is_refused(me):
    run(me, HEADER + "2026-06-10,no,,,,,,,,\n")
    with pytest.raises(DomainError) as error:
        run(me, HEADER + "2026-06-10,yes,,,,,,,,\n2026-06-09,yes,,,,,,,,\n")
    assert error.value.codes == [Reason.DAY_ALREADY_RECORDED]
    assert DiaryEntry.objects.count() == 1


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", Reason.IMPORT_HEADER),
        ("date,pain\n2026-06-10,yes\n", Reason.IMPORT_HEADER),
        ("day,headache,mood\n2026-06-10,yes,ok\n", Reason.IMPORT_HEADER),
        ("day,headache\n", Reason.IMPORT_EMPTY),
    ],
)
def test_a_file_without_the_columns_or_days_is_refused(me, text, code):
    with pytest.raises(DomainError) as error:
        run(me, text)
    assert error.value.codes == [code]
