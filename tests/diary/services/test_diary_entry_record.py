"""Recording and changing a diary day: who may, which days, the edit window and amendments."""

from __future__ import annotations

from datetime import date, time, timedelta
from decimal import Decimal

import pytest

from botoxcare.errors import DomainError
from botoxcare.models import AuditEvent
from botoxcare.roles import Role
from diary.models import AcuteMedicine, DiaryAmendment, DiaryEntry
from diary.reasons import Reason
from diary.services import DayRecord, diary_day_no_headache, diary_entry_record
from tests.factories import PatientFactory, make_staff
from treatments.models import Course

from .writers import patient_with_login

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 15)
HEADACHE = DayRecord(
    headache=True,
    started_at=time(7, 30),
    duration_hours=Decimal("5.5"),
    severity="moderate",
    pain_score=6,
    features=frozenset({"throbbing", "nausea"}),
    activity_effect="reduced",
    note="After a long drive",
)


@pytest.fixture
def me(clinic):
    return patient_with_login(clinic)


def record(me, day, rec=HEADACHE, by=None, **kw):
    return diary_entry_record(patient=me, by=by or me.user, day=day, record=rec, today=TODAY, **kw)


def codes(error) -> list[str]:
    return error.value.codes


def test_the_patient_records_a_day_with_its_details_and_an_audit_event(me):
    medicine = AcuteMedicine.objects.create(
        patient=me, name="Sumatriptan", medicine_class="triptan"
    )
    rec = DayRecord(**{**HEADACHE.__dict__, "medicines": {medicine.pk: 2}})
    entry = record(me, TODAY - timedelta(days=1), rec)
    entry.refresh_from_db()
    assert entry.headache and entry.throbbing and entry.nausea and not entry.aura
    assert entry.severity == "moderate" and entry.duration_hours == Decimal("5.5")
    assert [(m.medicine_id, m.doses) for m in entry.medicines.all()] == [(medicine.pk, 2)]
    assert entry.on_behalf is False and entry.entered_by == me.user
    event = AuditEvent.objects.get(action="diary.entry_recorded")
    assert event.patient_id == me.pk and event.target_id == entry.pk


def test_no_headache_today_is_one_call(me):
    entry = diary_day_no_headache(patient=me, by=me.user, today=TODAY)
    assert (entry.day, entry.headache) == (TODAY, False)


def test_a_future_day_is_refused_with_a_clear_message(me):
    with pytest.raises(DomainError) as error:
        record(me, TODAY + timedelta(days=1))
    assert codes(error) == [Reason.DAY_IN_FUTURE]
    assert "has not happened yet" in str(error.value)
    assert not DiaryEntry.objects.exists()


def test_today_is_accepted(me):
    assert record(me, TODAY).day == TODAY


def test_a_day_before_the_course_started_is_refused(me):
    started = Course.objects.get(patient=me).started_on
    with pytest.raises(DomainError) as error:
        record(me, started - timedelta(days=1))
    assert codes(error) == [Reason.DAY_BEFORE_COURSE]
    assert record(me, started).day == started


def test_a_day_before_birth_is_refused(me):
    Course.objects.filter(patient=me).update(started_on=date(1900, 1, 1))
    with pytest.raises(DomainError) as error:
        record(me, me.date_of_birth - timedelta(days=1))
    assert codes(error) == [Reason.DAY_BEFORE_BIRTH]


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"headache": False}, Reason.DETAILS_WITHOUT_HEADACHE),
        ({"duration_hours": Decimal("24.5")}, Reason.DURATION_OUT_OF_RANGE),
        ({"pain_score": 11}, Reason.PAIN_SCORE_OUT_OF_RANGE),
    ],
)
def test_details_out_of_bounds_are_refused(me, changes, code):
    with pytest.raises(DomainError) as error:
        record(me, TODAY, DayRecord(**{**HEADACHE.__dict__, **changes}))
    assert codes(error) == [code]


def test_a_medicine_off_the_patients_list_is_refused(me, clinic):
    someone_elses = AcuteMedicine.objects.create(
        patient=PatientFactory(clinic=clinic), name="Rizatriptan", medicine_class="triptan"
    )
    stopped = AcuteMedicine.objects.create(
        patient=me, name="Codeine", medicine_class="opioid", active=False
    )
    for medicine in (someone_elses, stopped):
        with pytest.raises(DomainError) as error:
            record(me, TODAY, DayRecord(headache=True, medicines={medicine.pk: 1}))
        assert codes(error) == [Reason.MEDICINE_NOT_ON_LIST]


def test_doses_out_of_range_are_refused(me):
    medicine = AcuteMedicine.objects.create(patient=me, name="Ibuprofen", medicine_class="simple")
    for doses in (0, 21):
        with pytest.raises(DomainError) as error:
            record(me, TODAY, DayRecord(headache=True, medicines={medicine.pk: doses}))
        assert codes(error) == [Reason.DOSES_OUT_OF_RANGE]


def test_day_7_is_changed_in_place_without_a_reason(me):
    day = TODAY - timedelta(days=7)
    record(me, day)
    entry = record(me, day, DayRecord(headache=False))
    assert entry.headache is False
    assert not DiaryAmendment.objects.exists()
    event = AuditEvent.objects.get(action="diary.entry_changed")
    assert event.data["headache"] == [True, False]


def test_day_8_needs_a_reason_and_keeps_the_original(me):
    day = TODAY - timedelta(days=8)
    record(me, day)
    with pytest.raises(DomainError) as error:
        record(me, day, DayRecord(headache=False))
    assert codes(error) == [Reason.AMENDMENT_NEEDS_REASON]
    assert DiaryEntry.objects.get(day=day).headache is True
    record(me, day, DayRecord(headache=False), reason="Wrote the wrong day")
    amendment = DiaryAmendment.objects.get()
    assert amendment.reason == "Wrote the wrong day"
    assert amendment.before["headache"] is True and amendment.before["severity"] == "moderate"
    assert amendment.after["headache"] is False and amendment.after["severity"] == ""
    assert AuditEvent.objects.filter(action="diary.entry_amended").count() == 1


def test_the_edit_window_is_the_clinics_setting(me, clinic):
    clinic.settings.diary_edit_days = 2
    clinic.settings.save()
    me.refresh_from_db()
    day = TODAY - timedelta(days=3)
    record(me, day)
    with pytest.raises(DomainError) as error:
        record(me, day, DayRecord(headache=False))
    assert codes(error) == [Reason.AMENDMENT_NEEDS_REASON]


def test_a_first_entry_for_an_old_day_needs_no_reason(me):
    assert record(me, TODAY - timedelta(days=40)).headache


@pytest.mark.parametrize("role", [Role.CLINICIAN, Role.NURSE])
def test_staff_with_the_role_write_on_the_patients_behalf(me, clinic, role):
    staff = make_staff(clinic, role)
    entry = record(me, TODAY, by=staff)
    assert entry.on_behalf is True and entry.entered_by == staff
    assert AuditEvent.objects.get(action="diary.entry_recorded").data["on_behalf"] is True


@pytest.mark.parametrize("role", [Role.RECEPTIONIST, Role.ADMIN])
def test_staff_without_the_role_are_refused(me, clinic, role):
    with pytest.raises(DomainError) as error:
        record(me, TODAY, by=make_staff(clinic, role))
    assert codes(error) == [Reason.WRITER_NOT_ALLOWED]


def test_staff_of_another_clinic_and_another_patient_are_refused(me, clinic, other_clinic):
    with pytest.raises(DomainError) as error:
        record(me, TODAY, by=make_staff(other_clinic, Role.CLINICIAN))
    assert codes(error) == [Reason.PATIENT_OF_ANOTHER_CLINIC]
    someone = patient_with_login(clinic, "someone-else")
    with pytest.raises(DomainError) as error:
        record(me, TODAY, by=someone.user)
    assert codes(error) == [Reason.WRITER_NOT_ALLOWED]
    assert not DiaryEntry.objects.exists()


def test_a_medicine_stopped_since_stays_on_the_day_it_was_taken(me):
    medicine = AcuteMedicine.objects.create(patient=me, name="Codeine", medicine_class="opioid")
    record(me, TODAY, DayRecord(headache=True, medicines={medicine.pk: 1}))
    medicine.active = False
    medicine.save()
    entry = record(me, TODAY, DayRecord(headache=True, medicines={medicine.pk: 2}))
    assert entry.medicines.get().doses == 2
