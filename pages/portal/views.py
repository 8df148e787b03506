"""The patient's own portal: their step in plain words, their visits, their aftercare and
documents. Every query is scoped to the signed-in patient; anyone else's id is a 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from botoxcare.audit import audited
from botoxcare.client_ip import client_ip
from botoxcare.errors import DomainError
from botoxcare.forms import add_refusals
from botoxcare.pdf import pdf_download
from botoxcare.submissions import submitted_once
from patients.selectors import appointments_upcoming, patient_for_user
from patients.services import reminder_opt_outs_set
from treatments import selectors as course_selectors
from treatments import services as course_services
from treatments.forms import ConsentSignForm, WithdrawForm
from treatments.models import ReminderKind, State
from treatments.pathway import consent_expiring
from treatments.sheets import aftercare_sheet, consent_sheet

from .calendar import appointment_ics
from .forms import SlotForm, slot_value

# Each step in plain words, and what happens next.
PLAIN_STEPS = {
    State.CONSULTATION: (
        "Your first consultation and evaluation.",
        "Your specialist reviews your headaches and past treatments with you and talks "
        "through the benefits and risks.",
    ),
    State.CONSENT: (
        "Preparing for treatment: consent and a review of your medicines.",
        "The clinic asks for your consent and tells you which medicines or supplements to "
        "pause before your injections.",
    ),
    State.INJECTION: (
        "Ready for your injection session.",
        "At your next visit you have the injections; it takes about 20 minutes.",
    ),
    State.POST_CARE: (
        "Care after your injections.",
        "Follow your aftercare instructions; a follow-up visit checks how you are doing.",
    ),
    State.MAINTENANCE: (
        "Monitoring how the treatment works, and your next session.",
        "Keep your headache diary. When your next session can be booked you can choose its "
        "time here, or the clinic will book it with you.",
    ),
    State.DISCONTINUED: (
        "Your treatment course has ended.",
        "Talk to the clinic if you would like to discuss other treatment.",
    ),
}


@login_required
@audited("portal.viewed", patient="self")
def home(request: HttpRequest) -> HttpResponse:
    patient = patient_for_user(request.user)
    course = course_selectors.course_current(patient=patient)
    state = State(course.state) if course else None
    consent = course.latest_consent if course else None
    today = timezone.localdate()
    booking = course.self_booking_days(today) if course else None
    return render(
        request,
        "portal/home.html",
        {
            "patient": patient,
            "booking": booking,
            "to_move": course_selectors.injection_visit_next(patient=patient, now=timezone.now())
            if booking
            else None,
            "step": PLAIN_STEPS[state] if state else None,
            "retreatment": course.retreatment_status(today)
            if course and state == State.MAINTENANCE
            else None,
            "upcoming": appointments_upcoming(patient, now=timezone.now()),
            "aftercares": course_selectors.aftercares_of(patient=patient),
            "to_sign": course_selectors.consent_request_open(patient=patient),
            "consent": consent if consent and consent.withdrawn_on is None else None,
            "consent_expires": consent_expiring(consent, today, patient.clinic.settings),
            "withdraw_form": WithdrawForm(),
            "message_choices": [
                (kind, label, kind not in patient.reminder_opt_outs)
                for kind, label in MESSAGE_CHOICES
            ],
            "documents": course_selectors.documents_for_patient(patient=patient),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
@audited("portal.viewed", patient="self")
@submitted_once
def book(request: HttpRequest) -> HttpResponse:
    """The patient books (or moves) their own re-treatment visit: the free times inside their
    window, by day; the chosen one is judged again by the service."""
    patient = patient_for_user(request.user)
    now = timezone.now()
    offer = course_selectors.self_booking_offer(patient=patient, now=now)
    if offer is None:
        messages.info(request, "Your next session cannot be booked here yet.")
        return redirect("portal:home")
    form = SlotForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        starts_at, clinician_id = form.cleaned_data["slot"]
        try:
            visit = course_services.visit_self_book(
                patient=patient,
                by=request.user,  # type: ignore[arg-type]
                starts_at=starts_at,
                clinician_id=clinician_id,
                now=now,
            )
        except DomainError as error:
            add_refusals(form, error)
        else:
            local = timezone.localtime(visit.starts_at)
            done = "moved to" if offer.visit else "booked for"
            messages.success(
                request,
                f"Your next session is {done} {local:%A} {local.day} {local:%B %Y} at "
                f"{local:%H:%M}. The clinic has it in its calendar.",
            )
            return redirect("portal:home")
    chosen = form.data.get("slot", "")
    return render(
        request,
        "portal/book.html",
        {
            "patient": patient,
            "offer": offer,
            "form": form,
            "days": [
                (
                    on,
                    [(slot_value(s), s) for s in slots],
                    any(slot_value(s) == chosen for s in slots),
                )
                for on, slots in offer.by_day
            ],
            "chosen": chosen,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
@audited("portal.viewed", patient="self")
@submitted_once
def consent(request: HttpRequest, pk: int) -> HttpResponse:
    """Read the clinic's consent information and sign it."""
    patient = patient_for_user(request.user)
    waiting = course_selectors.consent_request_get(patient=patient, pk=pk)
    if not waiting.is_open:
        return redirect("portal:home")
    course_services.consent_request_viewed(request=waiting)
    form = ConsentSignForm(request.POST or None, statements=waiting.form.statement_list)
    if request.method == "POST" and form.is_valid():
        try:
            course_services.consent_sign(
                request=waiting,
                user=request.user,  # type: ignore[arg-type]
                typed_name=form.cleaned_data["typed_name"],
                confirmed=form.confirmed(),
                address=client_ip(request),
                agent=request.META.get("HTTP_USER_AGENT", ""),
            )
        except DomainError as error:
            add_refusals(form, error)
        else:
            messages.success(request, "Thank you: your consent is signed and sent to the clinic.")
            return redirect("portal:home")
    return render(
        request,
        "portal/consent.html",
        {
            "patient": patient,
            "waiting": waiting,
            "text": course_services.consent_form_text(waiting.form),
            "advice": waiting.course.latest_preparation,
            "form": form,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def consent_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """The patient withdraws their own consent, with a reason."""
    patient = patient_for_user(request.user)
    signed = course_selectors.consent_of(patient=patient, pk=pk)
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            course_services.consent_withdraw(
                consent=signed,
                by=request.user,  # type: ignore[arg-type]
                reason=form.cleaned_data["reason"],
            )
        except DomainError as error:
            messages.error(request, str(error), extra_tags=" ".join(error.codes))
        else:
            messages.success(request, "Your consent is withdrawn; the clinic will contact you.")
    else:
        messages.error(request, "Please say why you withdraw your consent.", extra_tags="required")
    return redirect("portal:home")


@login_required
@audited("portal.viewed", patient="self")
def aftercare(request: HttpRequest, pk: int) -> HttpResponse:
    """The aftercare sheet as a page: the same fragment as its PDF."""
    patient = patient_for_user(request.user)
    issued = course_selectors.aftercare_get(patient=patient, pk=pk)
    return render(
        request,
        "portal/aftercare.html",
        {"patient": patient, "sheet": aftercare_sheet(issued)},
    )


# The reminders a patient may turn off, in their words.
MESSAGE_CHOICES = [
    (ReminderKind.RETREATMENT_DUE, "When it is time to book my next session"),
    (ReminderKind.APPOINTMENT, "Before a booked visit"),
    (ReminderKind.FOLLOW_UP, "Before my follow-up visit"),
    (ReminderKind.CHECK_IN, "A check-in some weeks after a session"),
    (ReminderKind.CONSENT_RENEWAL, "When my consent needs renewing"),
    (ReminderKind.DIARY_NUDGE, "When I have not written my diary for a while"),
]


@login_required
@require_POST
def messages_choose(request: HttpRequest) -> HttpResponse:
    """The patient turns kinds of reminder off or on again."""
    patient = patient_for_user(request.user)
    reminder_opt_outs_set(
        patient=patient,
        by=request.user,  # type: ignore[arg-type]
        opt_outs=[k for k, _label in MESSAGE_CHOICES if request.POST.get(k) != "on"],
        kinds=[k for k, _label in MESSAGE_CHOICES],
    )
    messages.success(request, "Your choice of messages is saved.")
    return redirect("portal:home")


@login_required
@audited("portal.viewed", patient="self")
def signed_consent(request: HttpRequest, pk: int) -> HttpResponse:
    """A consent the patient signed, as a page: the same fragment as its PDF."""
    patient = patient_for_user(request.user)
    signed = course_selectors.consent_of(patient=patient, pk=pk)
    return render(
        request, "portal/signed_consent.html", {"patient": patient, "sheet": consent_sheet(signed)}
    )


@login_required
@audited("document.downloaded", patient="self")
def document(request: HttpRequest, pk: int) -> HttpResponse:
    """One of the patient's stored PDFs, as kept (never rendered here)."""
    patient = patient_for_user(request.user)
    stored = course_selectors.document_get(patient=patient, pk=pk)
    return pdf_download(stored.pdf, filename=stored.filename)


@login_required
@audited("appointment.calendar_downloaded", patient="self")
def appointment_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    """An upcoming appointment of the patient's own as an .ics file (no clinical detail)."""
    patient = patient_for_user(request.user)
    now = timezone.now()
    appointment = get_object_or_404(appointments_upcoming(patient, now=now), pk=pk)
    response = HttpResponse(
        appointment_ics(appointment, clinic=patient.clinic, now=now),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="appointment.ics"'
    response["Cache-Control"] = "private, no-store"
    return response
