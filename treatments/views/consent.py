"""Staff pages of step 2: the signed paper consent, the preparation review, and recording a
patient's withdrawal of their consent."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpResponse
from django.utils import timezone

from botoxcare.audit import audited
from botoxcare.roles import Action, StaffRequest, staff_required, user_can
from botoxcare.submissions import submitted_once
from patients.models import Appointment, Patient

from .. import services
from ..forms import ConsentPaperForm, PreparationForm, StaffWithdrawForm
from ..models import Course, State
from ..pathway import day
from .records import record_page


@staff_required
@audited("patient.page_viewed")
@submitted_once
def consent(request: StaffRequest, pk: int) -> HttpResponse:
    return record_page(
        request,
        pk,
        action=Action.RECORD_CONSENT,
        states=(State.CONSENT,),
        title="Record signed consent",
        intro="Step 2: the patient signed the clinic's current consent form on paper.",
        make_form=lambda p, c, data: ConsentPaperForm(data, initial={"signer_name": p.full_name}),
        save=lambda p, c, form: services.consent_record_paper(
            course=c,
            by=request.user,
            signer_name=form.cleaned_data["signer_name"],
            signed_on=form.cleaned_data["signed_on"],
        ),
        success="Consent recorded.",
    )


@staff_required
@audited("patient.page_viewed")
@submitted_once
def preparation(request: StaffRequest, pk: int) -> HttpResponse:
    can_clear = user_can(request.user, Action.CLEAR_PREPARATION_FLAGS)
    return record_page(
        request,
        pk,
        action=Action.RECORD_PREPARATION,
        states=(State.CONSENT,),
        title="Record preparation review",
        intro="Step 2: medicines reviewed, interactions flagged, advice on what to pause.",
        template="treatments/preparation_form.html",
        make_form=lambda p, c, data: PreparationForm(
            data,
            can_clear=can_clear,
            initial=PreparationForm.initial_from(
                c.latest_preparation, medicines=p.current_medicines.all()
            ),
        ),
        save=lambda p, c, form: services.preparation_record(
            course=c, by=request.user, **form.service_kwargs()
        ),
        success="Preparation review recorded.",
    )


@staff_required
@audited("patient.page_viewed")
@submitted_once
def consent_withdraw(request: StaffRequest, pk: int) -> HttpResponse:
    """Record that the patient withdraws their consent (told to staff): the day, the reason,
    and whether their booked injection visits are cancelled with it."""
    now = timezone.now()

    def visits(p: Patient) -> list[Appointment]:
        return list(services.injection_visits_ahead(patient=p, now=now))

    def save(p: Patient, c: Course, form: Any) -> Any:
        consent = c.latest_consent
        if consent is None:
            raise Http404("No consent on file.")
        return services.consent_withdraw(
            consent=consent,
            by=request.user,
            reason=form.cleaned_data["reason"],
            withdrawn_on=form.cleaned_data["withdrawn_on"],
            cancel_visits=form.cleaned_data.get("cancel_visits", False),
            now=now,
        )

    return record_page(
        request,
        pk,
        action=Action.RECORD_CONSENT,
        title="Withdraw consent",
        intro=_withdraw_intro,
        make_form=lambda p, c, data: StaffWithdrawForm(data, visits=visits(p)),
        save=save,
        success="Consent withdrawn. No session can be recorded on it; renew the consent or "
        "discontinue the course from the patient page.",
        submit_label="Withdraw consent",
    )


def _withdraw_intro(course: Course) -> str:
    consent = course.latest_consent
    signed = f"The consent signed on {day(consent.signed_on)}" if consent else "The consent"
    return (
        f"{signed} is withdrawn as the patient told the clinic. No injection session can be "
        "recorded on it from the day of the withdrawal, and its renewal and re-treatment "
        "messages stop; a new consent is needed to go on."
    )
