"""The patient's list of acute medicines: added, stopped, taken up again."""

from __future__ import annotations

import pytest

from botoxcare.errors import DomainError
from botoxcare.models import AuditEvent
from botoxcare.roles import Role
from diary.models import AcuteMedicine
from diary.reasons import Reason
from diary.services import acute_medicine_add, acute_medicine_deactivate
from tests.factories import make_staff

from .writers import patient_with_login

pytestmark = pytest.mark.django_db


@pytest.fixture
def me(clinic):
    return patient_with_login(clinic)


def test_a_medicine_is_added_stopped_and_taken_up_again(me):
    added = acute_medicine_add(
        patient=me, by=me.user, name="  Sumatriptan  50 mg ", medicine_class="triptan"
    )
    assert added.name == "Sumatriptan 50 mg" and added.active
    acute_medicine_deactivate(medicine=added, by=me.user)
    added.refresh_from_db()
    assert added.active is False
    again = acute_medicine_add(
        patient=me, by=me.user, name="sumatriptan 50 mg", medicine_class="triptan"
    )
    assert again.pk == added.pk and again.active
    assert list(
        AuditEvent.objects.filter(action__startswith="diary.")
        .order_by("id")
        .values_list("action", flat=True)
    ) == [
        "diary.medicine_added",
        "diary.medicine_stopped",
        "diary.medicine_restarted",
    ]


def test_a_name_on_the_list_or_empty_is_refused(me):
    acute_medicine_add(patient=me, by=me.user, name="Ibuprofen", medicine_class="simple")
    for name, code in [
        ("IBUPROFEN", Reason.MEDICINE_NAME_TAKEN),
        ("  ", Reason.MEDICINE_NAME_MISSING),
    ]:
        with pytest.raises(DomainError) as error:
            acute_medicine_add(patient=me, by=me.user, name=name, medicine_class="simple")
        assert error.value.codes == [code]
    assert AcuteMedicine.objects.count() == 1


def test_a_nurse_adds_for_the_patient_a_receptionist_may_not(me, clinic):
    acute_medicine_add(
        patient=me, by=make_staff(clinic, Role.NURSE), name="Naproxen", medicine_class="simple"
    )
    with pytest.raises(DomainError) as error:
        acute_medicine_add(
            patient=me,
            by=make_staff(clinic, Role.RECEPTIONIST),
            name="Codeine",
            medicine_class="opioid",
        )
    assert error.value.codes == [Reason.WRITER_NOT_ALLOWED]
