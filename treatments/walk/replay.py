"""Record a walk through the real services, as staff would through the pages: every guard
is checked and every transition logged."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.auth.models import User
from django.utils import timezone

from botoxcare.models import Clinic
from patients.models import Appointment, AppointmentStatus
from patients.services import appointment_book
from treatments import services
from treatments.models import ConsentForm, Course, ProductLot
from treatments.services.history import preventive_treatment_add

from .events import (
    Attend,
    Book,
    Consult,
    Discontinue,
    Event,
    History,
    Inject,
    IssueAftercare,
    Prepare,
    Register,
    Review,
    Role,
    SignPaper,
    StartMaintenance,
    Transition,
)
from .plan import LOT_VIAL_UNITS, advance_steps

# The demo clinic's consent information, in the words a patient reads before signing: each
# part a heading line over one paragraph (the portal shows the parts as paragraphs; the signed
# copy and its PDF keep the lines as they are). The statements ticked are the model's default.
CONSENT_TEXT = (
    "\n\n".join(
        [
            "What the treatment is\n"
            "Botox (onabotulinumtoxinA) is a medicine that relaxes muscles and calms the nerves "
            "that carry headache pain. For chronic migraine it is given as small injections with a "
            "very fine needle at 31 to 39 places in the forehead, temples, back of the head, neck "
            "and shoulders. A session takes about 15 minutes. It is repeated every 12 weeks for as "
            "long as it helps you.",
            "What it may do for you\n"
            "The aim is fewer headache days each month, and milder headaches. In studies, about "
            "half of the people treated had their headache days cut by half or more; it does not "
            "help everyone. You may notice a first effect 2 to 4 weeks after a session. The effect "
            "builds over the first 2 to 3 sessions, so we ask you to have at least 2 to 3 before "
            "deciding together whether it works for you. Your headache diary shows us the change.",
            "Common side effects\n"
            "These are usually mild and pass within days or weeks: neck pain or stiffness; pain, "
            "bruising or redness where the needle went in; a drooping eyelid or eyebrow; weakness "
            "of the muscles near the injections (your head may feel heavy); a headache in the "
            "days after a session.",
            "Rare but serious side effects\n"
            "Very rarely the medicine spreads beyond where it was injected and weakens other "
            "muscles. If you have difficulty swallowing, speaking or breathing after a session, it "
            "is an emergency: call 999 at once. A serious allergic reaction (swelling of the face "
            "or throat, wheezing, feeling faint) is an emergency too.",
            "Other choices\n"
            "You do not have to have this treatment. The alternatives are: preventive "
            "tablets taken every day (such as amitriptyline, topiramate, propranolol or "
            "candesartan), including any you have not tried; a CGRP monoclonal antibody, an "
            "injection you give yourself once a month or every 3 months (such as erenumab, "
            "fremanezumab or galcanezumab); or no preventive treatment, treating each attack "
            "as it comes. Your clinician will talk these through with you.",
            "You can change your mind\n"
            "You can withdraw this consent at any time, before or between sessions, in the portal "
            "or by telling the clinic. It will not affect the rest of your care.",
        ]
    )
    + "\n"
)


def demo_stock(clinic: Clinic, today: date) -> tuple[ConsentForm, list[ProductLot]]:
    """A clinic's consent form and the lots of LOT_VIAL_UNITS (a 200- and a 100-unit vial)."""
    form = ConsentForm.objects.create(
        clinic=clinic,
        version=1,
        body=CONSENT_TEXT,
        title="Consent to botulinum toxin treatment for chronic migraine",
    )
    lots = [
        ProductLot.objects.create(
            clinic=clinic,
            lot_number=number,
            expiry_date=today + timedelta(days=days),
            vial_units=units,
        )
        for number, days, units in zip(
            ("C6125C3", "C5893C4"), (270, 420), LOT_VIAL_UNITS, strict=True
        )
    ]
    return form, lots


@dataclass
class Team:
    """Who does what: a walk names roles; `clinician` is the one responsible for the patient."""

    clinician: User
    nurse: User
    reception: User | None = None
    # The visit of each kind booked last, which the next Attend of that kind closes.
    booked: dict[str, Appointment] = field(default_factory=dict)

    def __call__(self, role: Role) -> User:
        person = {"clinician": self.clinician, "nurse": self.nurse}.get(role, self.reception)
        if person is None:
            raise ValueError(f"no {role} in this team")
        return person


def refer(*, clinic: Clinic, team: Team, step: Register) -> Course:
    """The one place a walk registers a patient and opens their course."""
    patient = services.patient_refer(
        clinic=clinic,
        by=team(step.by),
        identifier=step.identifier,
        first_name=step.first_name,
        last_name=step.last_name,
        date_of_birth=step.date_of_birth,
        phone=step.phone,
        email=step.email,
        preferred_channel=step.preferred_channel,
        responsible_clinician=team.clinician,
        referred_on=step.referred_on,
        # Each planned patient is their own person, even where a name and birth date repeat.
        different_person=True,
    )
    return Course.objects.get(patient=patient)


def attended(*, appointment: Appointment, by: User) -> None:
    """The one place a walk closes a visit."""
    services.appointment_close(appointment=appointment, by=by, status=AppointmentStatus.ATTENDED)


def walk_through_services(
    walk: History,
    *,
    clinic: Clinic,
    clinicians: Sequence[User],
    nurse: User,
    reception: User,
    lots: Sequence[ProductLot],
) -> Course:
    """Register the patient of `walk` and record every later step through the services."""
    team = Team(clinicians[walk.clinician], nurse, reception)
    course = refer(clinic=clinic, team=team, step=walk.register)
    replay(course, walk.events[1:], team=team, lots=lots)
    return course


def replay(
    course: Course, steps: Iterable[Event], *, team: Team, lots: Sequence[ProductLot]
) -> None:
    """Record `steps` on an existing course; a refused step raises DomainError."""
    for step in steps:
        by = team(step.by)
        match step:
            case Book():
                team.booked[step.kind] = appointment_book(
                    patient=course.patient,
                    by=by,
                    kind=step.kind,
                    starts_at=step.starts_at,
                    minutes=step.minutes,
                    clinician=team.clinician,
                    room=step.room,
                )
            case Attend():
                attended(appointment=team.booked.pop(step.kind), by=by)
            case Consult():
                for preventive in step.preventives:
                    preventive_treatment_add(
                        patient=course.patient, by=by, now=step.now, **preventive
                    )
                services.consultation_record(course=course, by=by, now=step.now, **step.record)
            case Transition():
                services.course_transition(
                    course=course, name=step.name, by=by, reason=step.reason, now=step.now
                )
            case Prepare():
                services.preparation_record(
                    course=course,
                    by=by,
                    reviewed_on=step.reviewed_on,
                    advice=step.advice,
                    current_medicines=step.current_medicines,
                    flags=step.flags,
                    now=step.now,
                )
            case SignPaper():
                services.consent_record_paper(
                    course=course,
                    by=by,
                    signer_name=step.signer_name,
                    signed_on=step.signed_on,
                    now=step.now,
                )
            case Inject():
                services.injection_session_record(
                    course=course,
                    by=by,
                    session_date=step.session_date,
                    vials=[
                        services.VialUse(
                            lot=lots[v.lot],
                            diluent_ml=v.diluent_ml,
                            reconstituted_at=v.reconstituted_at,
                            units_given=v.units_given,
                            units_discarded=v.units_discarded,
                        )
                        for v in step.vials
                    ],
                    sites=step.sites,
                    tolerability=step.tolerability,
                    now=step.now,
                )
            case IssueAftercare():
                aftercare = services.aftercare_issue(
                    course=course,
                    by=by,
                    issued_on=step.issued_on,
                    comfort_measures=step.comfort_measures,
                    follow_up_at=step.follow_up_at,
                    follow_up_minutes=step.follow_up_minutes,
                    now=step.now,
                )
                if aftercare.follow_up is not None:
                    team.booked[aftercare.follow_up.kind] = aftercare.follow_up
            case StartMaintenance():
                services.course_maintenance_start(course=course, by=by, now=step.now)
            case Review():
                services.retreatment_start(
                    course=course,
                    by=by,
                    reviewed_on=step.reviewed_on,
                    notes=step.notes,
                    headache_days_per_month=step.headache_days_per_month,
                    override_reason=step.override_reason,
                    now=step.now,
                )
            case Discontinue():
                services.course_discontinue(
                    course=course, by=by, reason=step.reason, detail=step.detail, now=step.now
                )
            case Register():
                raise ValueError("a course's patient is registered once, before its steps")


def advance(
    course: Course,
    to: str,
    *,
    clinician: User,
    nurse: User,
    lot: ProductLot,
    start: date | None = None,
) -> Course:
    """Record every step from the course's state up to `to`, dated from `start` onwards."""
    course.refresh_from_db()
    size = lot.vial_units if lot is not None else 200
    steps = advance_steps(course.state, to, start or timezone.localdate(), size)
    replay(course, steps, team=Team(clinician, nurse), lots=[lot])
    course.refresh_from_db()
    return course
