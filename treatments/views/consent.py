"""Staff pages of step 2: the signed paper consent, the preparation review, and recording a
patient's withdrawal of their consent."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpResponse

from botoxcare.audit import audited
from botoxcare.roles import Action, StaffRequest, staff_required, user_can
from botoxcare.submissions import submitted_once
from patients.models import Patient

from .. import services
from ..forms import ConsentPaperForm, PreparationForm, WithdrawForm
from ..models import Course, State
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
        make_form=lambda p, c, data: PreparationForm(
            data, can_clear=can_clear, initial=PreparationForm.initial_from(c.latest_preparation)
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
    """Record that the patient withdraws their consent (told to staff)."""

    def save(p: Patient, c: Course, form: Any) -> Any:
        consent = c.latest_consent
        if consent is None:
            raise Http404("No consent on file.")
        return services.consent_withdraw(
            consent=consent, by=request.user, reason=form.cleaned_data["reason"]
        )

    return record_page(
        request,
        pk,
        action=Action.RECORD_CONSENT,
        title="Withdraw consent",
        intro="The patient withdraws their consent. No injection session can be recorded on it "
        "from today; a new consent is needed to go on.",
        make_form=lambda p, c, data: WithdrawForm(data),
        save=save,
        success="Consent withdrawn.",
        submit_label="Withdraw consent",
    )
