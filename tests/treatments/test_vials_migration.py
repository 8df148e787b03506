"""Migration 0016: each session recorded with one lot on itself becomes one vial of that lot,
its units given the session's sites, its discarded units and saline kept."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("treatments", "0015_consultation_start_rule_justification")]
AFTER = [("treatments", "0017_session_columns_to_vials")]


@pytest.mark.django_db(transaction=True)
def test_each_old_session_becomes_one_vial():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    clinic = old.get_model("botoxcare", "Clinic").objects.create(name="Old", slug="old")
    user = old.get_model("auth", "User").objects.create(username="doc")
    patient = old.get_model("patients", "Patient").objects.create(
        clinic=clinic,
        identifier="X1",
        first_name="A",
        last_name="B",
        date_of_birth=date(1980, 1, 1),
    )
    course = old.get_model("treatments", "Course").objects.create(
        patient=patient, started_on=date(2026, 1, 1)
    )
    lot = old.get_model("treatments", "ProductLot").objects.create(
        clinic=clinic,
        lot_number="C1",
        expiry_date=date(2027, 1, 1),
        vial_units=200,
        created_at=timezone.now(),
    )
    recorded = timezone.now() - timedelta(days=3)
    session = old.get_model("treatments", "InjectionSession").objects.create(
        course=course,
        session_date=date(2026, 2, 1),
        clinician=user,
        lot=lot,
        vial_units=200,
        diluent_ml=4,
        units_discarded=45,
        recorded_at=recorded,
    )
    site = old.get_model("treatments", "InjectionSite")
    site.objects.create(session=session, muscle="temporalis", sites=8, units=40)
    site.objects.create(session=session, muscle="trapezius", sites=6, units=30)

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    [vial] = new.get_model("treatments", "InjectionVial").objects.filter(session_id=session.pk)
    assert (vial.lot_id, vial.vial_units, vial.units_given, vial.units_discarded) == (
        lot.pk,
        200,
        70,
        45,
    )
    assert str(vial.diluent_ml) == "4.0" and vial.reconstituted_at == recorded
    session_fields = {
        f.name for f in new.get_model("treatments", "InjectionSession")._meta.get_fields()
    }
    assert not {"lot", "vial_units", "diluent_ml", "units_discarded"} & session_fields
    # Leave the database at the latest migrations for the tests after this one.
    MigrationExecutor(connection).migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
