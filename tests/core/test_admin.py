"""Django's /admin/ for the deployment's operators: the clinic's records are shown, never
added, changed or deleted there; a lot a session used and a consent version given to a
patient are frozen; the clinic settings are the app's to change; clinic staff have no way in."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.contrib import admin
from django.db import models
from django.test import RequestFactory
from django.utils import timezone

from botoxcare.clinic_admin.services import clinic_settings_update
from botoxcare.models import Clinic, ClinicSettings, ClinicSettingsChange, StaffProfile
from patients.models import (
    Appointment,
    CallbackOutcome,
    CallbackRequest,
    ContactAttempt,
    Patient,
    PortalInvitation,
)
from tests.factories import ConsentFormFactory, PatientFactory, ProductLotFactory
from tests.journey import advance
from treatments.models import (
    Aftercare,
    Consent,
    ConsentForm,
    ConsentRequest,
    Consultation,
    Course,
    CourseTransition,
    Document,
    InjectionSession,
    InjectionSite,
    PreparationReview,
    ProductLot,
    Reminder,
    ResponseReview,
    State,
)
from treatments.services import consent_request_send

pytestmark = pytest.mark.django_db

OUR_APPS = {"botoxcare", "patients", "treatments", "diary", "pages"}

# The only models of the apps an operator may edit in /admin/; each has its own test below.
# Every other model of the apps registered there (or shown in an inline) must be view only,
# so a model registered tomorrow without the rule fails test_every_registered_model_...
EDITABLE = {Clinic, StaffProfile}
READ_ONLY_ONCE_USED = {ProductLot, ConsentForm}

# The clinic's records: whether registered in /admin/ or not, nothing there changes them.
CLINICAL: list[type[models.Model]] = [
    Course,
    CourseTransition,
    Consultation,
    PreparationReview,
    Consent,
    ConsentRequest,
    InjectionSession,
    InjectionSite,
    Aftercare,
    ResponseReview,
    Document,
    Reminder,
    ClinicSettings,
    ClinicSettingsChange,
]
# Patients, visits and call-backs are not in /admin/ (operators fix them in the app); if one
# is registered, it must not be deletable (a patient's deletion would cascade their courses).
NOT_DELETABLE = {Patient, Appointment, CallbackRequest, CallbackOutcome, ContactAttempt}
NOT_DELETABLE |= {PortalInvitation}


@pytest.fixture
def operator(django_user_model):
    return django_user_model.objects.create_superuser(
        "op", "op@example.org", "correct-horse-battery-staple"
    )


@pytest.fixture
def op(client_for, operator):
    return client_for(operator)


@pytest.fixture
def walked(
    clinic,
    course,
    clinician,
    nurse,
    clinic_admin,
    consent_form,
    lot,
    django_capture_on_commit_callbacks,
):
    """A record of every kind: a course into maintenance (with its PDFs), a response review, a
    consent sent to sign, a change of the clinic's settings."""
    with django_capture_on_commit_callbacks(execute=True):
        advance(course, State.MAINTENANCE, clinician=clinician, nurse=nurse, lot=lot)
    ResponseReview.objects.create(
        course=course,
        session=course.sessions.get(),
        reviewed_on=timezone.localdate(),
        reviewed_by=clinician,
        notes="Fewer headache days.",
        recorded_at=timezone.now(),
    )
    other = Course.objects.get(patient=PatientFactory(clinic=clinic))
    advance(other, State.CONSENT, clinician=clinician, nurse=nurse, lot=lot)
    consent_request_send(course=other, by=nurse)
    cfg = clinic.settings
    clinic_settings_update(
        clinic=clinic,
        by=clinic_admin,
        values={"follow_up_weeks": cfg.follow_up_weeks + 1},
        muscle_limits=cfg.muscle_limits,
    )
    return course


def url(obj: models.Model, view: str) -> str:
    meta = obj._meta
    return f"/admin/{meta.app_label}/{meta.model_name}/{obj.pk}/{view}/"


def snapshot(model: type[models.Model]) -> list[dict]:
    return list(model._default_manager.order_by("pk").values())


def as_operator(operator):
    request = RequestFactory().get("/admin/")
    request.user = operator
    return request


def test_every_registered_model_of_the_apps_is_view_only_unless_allowed(operator):
    request = as_operator(operator)
    registered = {m: ma for m, ma in admin.site._registry.items() if m._meta.app_label in OUR_APPS}
    assert registered, "the apps register models in /admin/"
    for model, model_admin in registered.items():
        name = model.__name__
        if model in NOT_DELETABLE:
            assert not model_admin.has_delete_permission(request), name
        if model in EDITABLE | READ_ONLY_ONCE_USED | NOT_DELETABLE:
            continue
        assert not model_admin.has_add_permission(request), name
        assert not model_admin.has_change_permission(request), name
        assert not model_admin.has_delete_permission(request), name
        assert model_admin.has_view_permission(request), name
    for model, model_admin in registered.items():
        for inline in model_admin.get_inline_instances(request, model._default_manager.first()):
            if inline.model in EDITABLE:
                continue
            name = f"{model.__name__} inline {inline.model.__name__}"
            assert not inline.has_add_permission(request, None), name
            assert not inline.has_change_permission(request, None), name
            assert not inline.has_delete_permission(request, None), name
    assert not (EDITABLE | READ_ONLY_ONCE_USED) & set(CLINICAL)


def test_a_clinic_is_never_deleted_in_admin(operator, clinic, op):
    assert not admin.site._registry[Clinic].has_delete_permission(as_operator(operator), clinic)
    assert op.post(url(clinic, "delete"), {"post": "yes"}).status_code == 403
    assert Clinic.objects.filter(pk=clinic.pk).exists()


@pytest.mark.parametrize("model", CLINICAL, ids=lambda m: m.__name__)
def test_a_clinical_record_cannot_be_added_changed_or_deleted(model, walked, op):
    record = model._default_manager.order_by("pk").first()
    assert record is not None, f"the walk made no {model.__name__}"
    before = snapshot(model)
    registered = model in admin.site._registry

    page = op.get(url(record, "change"))
    if registered:
        assert page.status_code == 200
        assert b'name="_save"' not in page.content
        assert b'name="_continue"' not in page.content
    else:
        assert page.status_code == 404
    changed = {
        f.attname: "9" if isinstance(f, models.IntegerField) else "changed"
        for f in model._meta.concrete_fields
        if not f.primary_key
    }
    changed["state"] = State.DISCONTINUED
    refused = {403} if registered else {404}
    assert op.post(url(record, "change"), changed).status_code in refused
    assert op.post(url(record, "delete"), {"post": "yes"}).status_code in refused
    meta = model._meta
    added = op.post(f"/admin/{meta.app_label}/{meta.model_name}/add/", changed)
    assert added.status_code in refused
    assert snapshot(model) == before


def test_the_reminder_list_can_be_browsed_but_offers_no_add_or_delete(walked, op):
    page = op.get("/admin/treatments/reminder/")
    assert page.status_code == 200
    assert Reminder.objects.exists() and b"delete_selected" not in page.content
    assert b"/admin/treatments/reminder/add/" not in page.content


def lot_form(lot, **changes):
    data = {
        "clinic": lot.clinic_id,
        "product": lot.product,
        "lot_number": lot.lot_number,
        "expiry_date": lot.expiry_date.isoformat(),
        "vial_units": lot.vial_units,
        "_save": "Save",
    }
    return data | changes


def test_a_lot_a_session_used_cannot_change_or_go(walked, lot, op):
    assert lot.vials.exists()
    listed = op.get("/admin/treatments/productlot/")
    assert listed.status_code == 200 and lot.lot_number in listed.content.decode()
    page = op.get(url(lot, "change"))
    assert page.status_code == 200
    assert b'name="_save"' not in page.content and b"cannot change" in page.content
    assert op.post(url(lot, "change"), lot_form(lot, lot_number="RENAMED")).status_code == 403
    assert op.post(url(lot, "delete"), {"post": "yes"}).status_code == 403
    lot.refresh_from_db()
    assert lot.lot_number != "RENAMED"


def test_an_unused_lot_can_be_corrected_and_deleted(clinic, op):
    lot = ProductLotFactory(clinic=clinic)
    later = timezone.localdate() + timedelta(days=400)
    response = op.post(
        url(lot, "change"), lot_form(lot, lot_number="C7000C3", expiry_date=later.isoformat())
    )
    assert response.status_code == 302
    lot.refresh_from_db()
    assert (lot.lot_number, lot.expiry_date) == ("C7000C3", later)
    assert op.post(url(lot, "delete"), {"post": "yes"}).status_code == 302
    assert not ProductLot.objects.filter(pk=lot.pk).exists()


def consent_form_data(form, **changes):
    data = {
        "clinic": form.clinic_id,
        "version": form.version,
        "title": form.title,
        "body": form.body,
        "statements": form.statements,
        "_save": "Save",
    }
    if form.is_active:
        data["is_active"] = "on"
    return data | changes


def test_a_signed_consent_version_cannot_change_but_a_draft_can(walked, consent_form, op):
    assert consent_form.consents.exists()
    page = op.get(url(consent_form, "change"))
    assert b'name="_save"' not in page.content
    data = consent_form_data(consent_form, body="Other words.")
    assert op.post(url(consent_form, "change"), data).status_code == 403
    consent_form.refresh_from_db()
    assert consent_form.body != "Other words."

    draft = ConsentFormFactory(clinic=consent_form.clinic, version=2, is_active=False)
    data = consent_form_data(draft, body="Corrected words.")
    assert op.post(url(draft, "change"), data).status_code == 302
    draft.refresh_from_db()
    assert draft.body == "Corrected words."


def test_the_clinic_settings_are_read_only_in_admin(clinic, op):
    cfg = ClinicSettings.objects.get(clinic=clinic)
    limits = cfg.muscle_limits
    page = op.get(url(clinic, "change"))
    assert page.status_code == 200 and "Clinic → Settings" in page.content.decode()
    broken = {m: {k: v for k, v in row.items() if k != "fixed_sites"} for m, row in limits.items()}
    response = op.post(
        url(clinic, "change"),
        {
            "name": "Renamed Clinic",
            "slug": clinic.slug,
            "phone": clinic.phone,
            "settings-TOTAL_FORMS": "1",
            "settings-INITIAL_FORMS": "1",
            "settings-MIN_NUM_FORMS": "0",
            "settings-MAX_NUM_FORMS": "1",
            "settings-0-id": cfg.pk,
            "settings-0-clinic": clinic.pk,
            "settings-0-muscle_limits": json.dumps(broken),
            "settings-0-max_total_units": "1",
            "_save": "Save",
        },
    )
    assert response.status_code == 302  # the clinic's own fields are the operator's
    clinic.refresh_from_db()
    assert clinic.name == "Renamed Clinic"
    cfg.refresh_from_db()
    assert cfg.muscle_limits == limits and cfg.max_total_units != 1
    assert all("fixed_sites" in row for row in cfg.muscle_limits.values())


def test_a_clinic_added_in_admin_gets_its_settings(op):
    response = op.post(
        "/admin/botoxcare/clinic/add/",
        {"name": "New Clinic", "slug": "new-clinic", "phone": "", "_save": "Save"},
    )
    assert response.status_code == 302
    assert ClinicSettings.objects.filter(clinic__slug="new-clinic").count() == 1


def test_clinic_staff_get_no_admin(walked, clinic_admin, clinician, lot, client_for):
    for user in (clinic_admin, clinician):
        client = client_for(user)
        assert not user.is_staff and not user.is_superuser
        for path in ("/admin/", url(lot, "change"), "/admin/treatments/reminder/"):
            response = client.get(path)
            assert response.status_code == 302 and "/admin/login/" in response["Location"]
        response = client.post(url(lot, "change"), lot_form(lot, lot_number="RENAMED"))
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
    lot.refresh_from_db()
    assert lot.lot_number != "RENAMED"
