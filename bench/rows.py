"""The bench's second executor: a walk (treatments.walk) turned into model instances for
bulk_create instead of service calls, so that 10,000 patients take seconds, not hours.

It writes what the services would write for the same walk, in the same order: the same
records, a transition log whose sources and targets come from the Course machine itself, and
the reminders the services would schedule and cancel. tests/test_walk.py holds it to that (the
same records as through the services, and every guard met). What it leaves out: the
preparation review's "toxin in the last 4 months" check against the patient's earlier courses
(a walk has one course), and audit entries the services do not write either.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from patients.models import Appointment, AppointmentKind, AppointmentStatus, Patient
from patients.search import name_key
from patients.services import normalised_identifier
from treatments.models import (
    Aftercare,
    Consent,
    ConsentMethod,
    Consultation,
    Course,
    CourseTransition,
    DiscontinueReason,
    InjectionSession,
    InjectionSite,
    PreparationReview,
    PreventiveTreatment,
    Reminder,
    ReminderKind,
    ResponseReview,
    State,
)
from treatments.models.sessions import InjectionVial
from treatments.pathway import consent_expires_on
from treatments.retreatment import retreatment_window
from treatments.services import consent_form_text, consent_text_hash
from treatments.services.reminders import reminder_time, visit_reminder_time
from treatments.walk import History
from treatments.walk.events import (
    Attend,
    Book,
    Consult,
    Discontinue,
    Event,
    Inject,
    IssueAftercare,
    Prepare,
    Register,
    Review,
    SignPaper,
    StartMaintenance,
    Transition,
    fired,
)

# Models in the order they are inserted: each one's foreign keys point to rows before it.
ORDER = [
    Patient,
    Course,
    PreventiveTreatment,
    Consultation,
    PreparationReview,
    Consent,
    InjectionSession,
    InjectionSite,
    InjectionVial,
    Appointment,
    Aftercare,
    ResponseReview,
    CourseTransition,
    Reminder,
]


def final_state(walk: History) -> tuple[str, list[tuple[str, str]]]:
    """The course's state at the end of the walk and, for each transition the walk fires,
    (source, target), as the Course machine has them; a step the machine would refuse from
    where the course is raises ValueError."""
    state: str = State.CONSULTATION
    moves = []
    for step in walk.events:
        name = fired(step)
        if name is None:
            continue
        meta = getattr(Course, name)._django_fsm
        if not meta.has_transition(state):
            raise ValueError(f"{walk.register.identifier}: no {name} from {state}")
        target = meta.next_state(state)
        moves.append((state, target))
        state = target
    return state, moves


class Rows:
    """Rows of many walks, inserted together by `insert()`."""

    def __init__(
        self,
        *,
        clinicians: Sequence[Any],
        nurse: Any,
        reception: Any,
        lots: Sequence[Any],
        form: Any,
        now: datetime,
    ) -> None:
        self.clinicians, self.nurse, self.reception, self.lots = clinicians, nurse, reception, lots
        self.clinic = lots[0].clinic
        self.settings = self.clinic.settings
        self.form = form
        self.consent_text = consent_form_text(form)
        self.consent_hash = consent_text_hash(self.consent_text)
        self.now = now  # the wall clock, as appointment_set_status reads it
        self.rows: dict[type, list[Any]] = {model: [] for model in ORDER}
        # Reminder keys name a session or an appointment, which have pks only once inserted.
        self.keys: list[tuple[Reminder, str, Any]] = []

    def add(self, walk: History) -> Course:
        reg = walk.register
        doc = self.clinicians[walk.clinician]
        who = {"clinician": doc, "nurse": self.nurse, "reception": self.reception}
        patient = Patient(
            clinic=self.clinic,
            identifier=normalised_identifier(reg.identifier),
            first_name=reg.first_name.strip(),
            last_name=reg.last_name.strip(),
            date_of_birth=reg.date_of_birth,
            phone=reg.phone.strip(),
            email=reg.email.strip(),
            preferred_channel=reg.preferred_channel,
            responsible_clinician=doc,
        )
        state, moves = final_state(walk)
        # What Patient.save and the course services keep (bulk_create calls neither).
        patient.search_last, patient.search_first = (
            name_key(patient.last_name),
            name_key(patient.first_name),
        )
        patient.current_state = state
        stop = next((s for s in walk.events if isinstance(s, Discontinue)), None)
        # Built in its final state: passing state= to the constructor is construction, which
        # the protected FSMField allows.
        course = Course(
            patient=patient,
            state=state,
            started_on=reg.referred_on,
            discontinue_reason=stop.reason if stop else "",
            discontinue_detail=stop.detail if stop else "",
        )
        # What a transition sets besides the state: declining is the patient's choice.
        if any(fired(step) == "decline" for step in walk.events):
            course.discontinue_reason = DiscontinueReason.PATIENT_CHOICE
        self.rows[Patient].append(patient)
        self.rows[Course].append(course)
        walker = _Walker(self, course, doc, who, iter(moves))
        for step in walk.events[1:]:
            walker.step(step)
        return course

    def insert(self, batch_size: int = 2000) -> None:
        for model in ORDER:
            if model is Reminder:
                for reminder, prefix, obj in self.keys:
                    reminder.key = f"{prefix}:{obj.pk}"
            model.objects.bulk_create(self.rows[model], batch_size=batch_size)


class _Walker:
    """One course's rows, step by step, keeping what the services would read back."""

    def __init__(self, rows: Rows, course: Course, doc: Any, who: dict, moves: Any) -> None:
        self.r, self.course, self.doc, self.who, self.moves = rows, course, doc, who, moves
        self.booked: dict[str, Appointment] = {}
        self.session: InjectionSession | None = None
        self.aftercare: Aftercare | None = None
        self.pending: list[Reminder] = []  # scheduled, neither sent nor cancelled

    def add(self, obj: Any) -> Any:
        self.r.rows[type(obj)].append(obj)
        return obj

    def log(self, step: Event, name: str, when: datetime, reason: str = "") -> None:
        source, target = next(self.moves)
        self.add(
            CourseTransition(
                course=self.course,
                name=name,
                source=source,
                target=target,
                by=self.who[step.by],
                at=when,
                reason=reason,
            )
        )

    def cancel(self, when: datetime, *, kind: str = "", appointment: Any = None) -> None:
        for reminder in list(self.pending):
            if (not kind or reminder.kind == kind) and appointment in (None, reminder.appointment):
                reminder.cancelled_at = when
                self.pending.remove(reminder)

    def schedule(self, kind: str, due_at: datetime, now: datetime, cause: tuple[str, Any]) -> None:
        if due_at <= now:
            return  # as the services do: no reminder for a moment already past
        appointment = cause[1] if kind == ReminderKind.FOLLOW_UP else None
        reminder = self.add(
            Reminder(course=self.course, kind=kind, due_at=due_at, appointment=appointment)
        )
        self.r.keys.append((reminder, *cause))
        self.pending.append(reminder)

    def step(self, step: Event) -> None:
        by, course = self.who[step.by], self.course
        match step:
            case Book():
                self.booked[step.kind] = self.add(
                    Appointment(
                        patient=course.patient,
                        kind=step.kind,
                        starts_at=step.starts_at,
                        ends_at=step.starts_at + timedelta(minutes=step.minutes),
                        clinician=self.doc,
                        room=step.room,
                        booked_by=by,
                    )
                )
            case Attend():
                visit = self.booked.pop(step.kind)
                visit.status = AppointmentStatus.ATTENDED
                self.cancel(self.r.now, appointment=visit)
            case Consult():
                for preventive in step.preventives:
                    self.add(
                        PreventiveTreatment(
                            patient=course.patient, added_by=by, added_at=step.now, **preventive
                        )
                    )
                self.add(
                    Consultation(course=course, clinician=by, recorded_at=step.now, **step.record)
                )
            case Transition():
                self.log(step, step.name, step.now, step.reason)
            case Prepare():
                self.add(
                    PreparationReview(
                        course=course,
                        reviewed_on=step.reviewed_on,
                        reviewed_by=by,
                        current_medicines=step.current_medicines,
                        advice=step.advice,
                        recorded_at=step.now,
                        **{name: bool(value) for name, value in step.flags.items()},
                    )
                )
            case SignPaper():
                consent = self.add(
                    Consent(
                        course=course,
                        form=self.r.form,
                        text=self.r.consent_text,
                        text_sha256=self.r.consent_hash,
                        signer_name=step.signer_name,
                        signed_on=step.signed_on,
                        method=ConsentMethod.PAPER,
                        recorded_by=by,
                        recorded_at=step.now,
                    )
                )
                cfg = self.r.settings
                self.cancel(step.now, kind=ReminderKind.CONSENT_RENEWAL)
                expires = consent_expires_on(consent, cfg.consent_valid_days)
                due = reminder_time(expires - timedelta(days=cfg.consent_warning_days), cfg)
                self.schedule(ReminderKind.CONSENT_RENEWAL, due, step.now, ("consent", consent))
            case Inject():
                self.session = session = self.add(
                    InjectionSession(
                        course=course,
                        session_date=step.session_date,
                        clinician=by,
                        tolerability=step.tolerability,
                        recorded_at=step.now,
                    )
                )
                for v in step.vials:
                    lot = self.r.lots[v.lot]
                    self.add(
                        InjectionVial(
                            session=session,
                            lot=lot,
                            vial_units=lot.vial_units,
                            diluent_ml=v.diluent_ml,
                            reconstituted_at=v.reconstituted_at,
                            units_given=v.units_given,
                            units_discarded=v.units_discarded,
                        )
                    )
                for muscle, (n_sites, units) in step.sites.items():
                    if units or n_sites:
                        self.add(
                            InjectionSite(
                                session=session, muscle=muscle, sites=n_sites, units=units
                            )
                        )
                course.last_session_on = step.session_date
                self.log(step, "record_injection", step.now)
                self.cancel(step.now, kind=ReminderKind.RETREATMENT_DUE)
                self.cancel(step.now, kind=ReminderKind.CHECK_IN)
                cfg = self.r.settings
                checkin = step.session_date + timedelta(weeks=cfg.checkin_weeks)
                self.schedule(
                    ReminderKind.CHECK_IN,
                    reminder_time(checkin, cfg),
                    step.now,
                    ("checkin", session),
                )
            case IssueAftercare():
                follow_up = self.booked[AppointmentKind.FOLLOW_UP] = self.add(
                    Appointment(
                        patient=course.patient,
                        kind=AppointmentKind.FOLLOW_UP,
                        starts_at=step.follow_up_at,
                        ends_at=step.follow_up_at
                        + timedelta(
                            minutes=step.follow_up_minutes or self.r.settings.follow_up_minutes
                        ),
                        booked_by=by,
                    )
                )
                self.aftercare = self.add(
                    Aftercare(
                        course=course,
                        session=self.session,
                        issued_on=step.issued_on,
                        issued_by=by,
                        comfort_measures=step.comfort_measures,
                        instructions=self.r.settings.aftercare_instructions,
                        follow_up=follow_up,
                        recorded_at=step.now,
                    )
                )
            case StartMaintenance():
                assert self.session is not None and self.aftercare is not None  # noqa: S101
                self.log(step, "start_maintenance", step.now)
                opens, _due = retreatment_window(self.session.session_date, self.r.settings)
                due = reminder_time(opens, self.r.settings)
                self.schedule(
                    ReminderKind.RETREATMENT_DUE, due, step.now, ("retreatment", self.session)
                )
                follow_up = self.aftercare.follow_up
                if follow_up is not None:
                    due = visit_reminder_time(follow_up, self.r.settings)
                    self.schedule(ReminderKind.FOLLOW_UP, due, step.now, ("follow_up", follow_up))
            case Review():
                self.add(
                    ResponseReview(
                        course=course,
                        session=self.session,
                        reviewed_on=step.reviewed_on,
                        reviewed_by=by,
                        headache_days_per_month=step.headache_days_per_month,
                        notes=step.notes,
                        override_reason=step.override_reason.strip(),
                        recorded_at=step.now,
                    )
                )
                self.log(step, "start_retreatment", step.now, step.override_reason)
                self.cancel(step.now, kind=ReminderKind.RETREATMENT_DUE)
            case Discontinue():
                label = DiscontinueReason(step.reason).label
                self.log(step, "discontinue", step.now, f"{label}. {step.detail}".strip())
                self.cancel(step.now)
            case Register():
                raise ValueError("a course's patient is registered once, before its steps")
