"""Demo data: staff of every role and about 40 patients spread over every step, with histories
recorded through the same services the pages use (so every transition is logged and every
guard was met). The histories are treatments.walk's demo clinic. Repeatable (a fixed random
seed) and safe to run twice (the second run only prints the logins)."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from botoxcare.models import Clinic
from botoxcare.roles import Role
from botoxcare.services import clinic_create, staff_create
from botoxcare.two_factor.demo import DEMO_KEY, demo_device_add
from patients.models import AppointmentKind, CallbackTopic
from patients.selectors import free_slots
from patients.services import callback_request
from treatments.models import Course, State
from treatments.retreatment import Due
from treatments.services import visit_book
from treatments.walk import Register, Team, demo_histories, demo_stock, refer, walk_through_services

PASSWORD = "demo-pass-2026"  # noqa: S105 (demo only; printed for the person running it)
LOGINS = [
    ("clinician", "Clinician (neurologist)"),
    ("nurse", "Nurse"),
    ("reception", "Receptionist"),
    ("admin", "Clinic admin: staff, settings, consent forms (Clinic in the top bar)"),
    ("patient", "Patient portal"),
    ("north.clinician", "Clinician at a second clinic (sees none of the demo clinic's patients)"),
    ("operator", "The deployment's operator: /admin/ only, no clinic"),
]
# Two-factor sign-in is required of staff and the operator: these logins come with the demo's
# authenticator app (the patient's is optional and not set up).
TWO_FACTOR_LOGINS = [
    *("clinician", "clinician2", "nurse", "reception", "admin", "north.clinician"),
    "operator",
]

DEMO_STAFF = [
    ("clinician", Role.CLINICIAN, "Maya", "Okafor"),
    ("clinician2", Role.CLINICIAN, "Daniel", "Reyes"),
    ("nurse", Role.NURSE, "Sarah", "Lindqvist"),
    ("reception", Role.RECEPTIONIST, "Tom", "Baker"),
    ("admin", Role.ADMIN, "Priya", "Shah"),
]


def _window_open(course: Course, today: date) -> bool:
    status = course.retreatment_status(today)
    return status is not None and status.kind != Due.BEFORE_WINDOW


class Command(BaseCommand):
    help = "Load demo clinic, staff and ~40 patients at every step (safe to run twice)."

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            # The demo's logins share one published password (and an operator superuser).
            raise CommandError("seed_demo refuses to run in production (BOTOXCARE_ENV=production).")
        if Clinic.objects.filter(slug="demo").exists():
            self.stdout.write("Demo data is already loaded; nothing changed.")
        else:
            with transaction.atomic():
                self._seed()
            self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        with transaction.atomic():  # also for demo data loaded before two-factor sign-in
            for user in get_user_model().objects.filter(username__in=TWO_FACTOR_LOGINS):
                demo_device_add(user)
        self.stdout.write(f"Demo logins (password for all: {PASSWORD}):")
        for username, who in LOGINS:
            self.stdout.write(f"  {username:<16} {who}")
        self.stdout.write(
            "Staff and the operator also give a two-factor code after the password. Either add\n"
            f"  this key to an authenticator app (time-based, 6 digits): {DEMO_KEY}\n"
            "or, without a phone, print the code in another terminal:\n"
            "  .venv/bin/python manage.py demo_code <username>"
        )

    def _seed(self) -> None:
        rng = random.Random(2026)
        today = timezone.localdate()
        clinic = clinic_create(name="Riverside Headache Clinic", slug="demo", phone="020 7946 0000")
        staff = {
            username: staff_create(
                clinic=clinic,
                username=username,
                password=PASSWORD,
                roles=[role],
                first_name=first,
                last_name=last,
            )
            for username, role, first, last in DEMO_STAFF
        }
        # The clinic admin manages the clinic in the app; /admin/ is the operator's alone.
        get_user_model().objects.create_superuser(
            username="operator", email="operator@localhost", password=PASSWORD
        )
        clinic.settings.rooms = "Room 1\nRoom 2\nTreatment room"
        clinic.settings.save(update_fields=["rooms"])
        # The second clinician works Monday to Thursday.
        staff["clinician2"].staff_profile.work_days = [1, 2, 3, 4]
        staff["clinician2"].staff_profile.save(update_fields=["work_days"])
        _form, lots = demo_stock(clinic, today)
        clinicians = [staff["clinician"], staff["clinician2"]]
        for walk in demo_histories(rng, today, clinicians=len(clinicians)):
            walk_through_services(
                walk,
                clinic=clinic,
                clinicians=clinicians,
                nurse=staff["nurse"],
                reception=staff["reception"],
                lots=lots,
            )
        # The demo patient with a portal login is in maintenance with the re-treatment window
        # open, not booked yet: they can book their own session.
        in_window = self._in_window(clinic, today)
        if not in_window:
            raise CommandError("the demo plan has no patient in maintenance in the window")
        portal = in_window[0].patient
        portal.user = get_user_model().objects.create_user(
            username="patient",
            password=PASSWORD,
            first_name=portal.first_name,
            last_name=portal.last_name,
        )
        portal.save(update_fields=["user"])
        self._callbacks(clinic)
        self._retreatment_visits(in_window[1:], staff["reception"], today)

        north = clinic_create(name="Northside Neurology", slug="north", phone="0161 496 0000")
        north_doc = staff_create(
            clinic=north,
            username="north.clinician",
            password=PASSWORD,
            roles=[Role.CLINICIAN],
            first_name="Ian",
            last_name="Marsh",
        )
        north_team = Team(clinician=north_doc, nurse=north_doc, reception=north_doc)
        for i, (first, last) in enumerate([("Nora", "Quinn"), ("Ewan", "Price"), ("Zara", "Bell")]):
            refer(
                clinic=north,
                team=north_team,
                step=Register(
                    identifier=f"N{500 + i}",
                    first_name=first,
                    last_name=last,
                    date_of_birth=date(1970 + 7 * i, 3, 4 + i),
                    phone="07700 900123",
                    email="",
                    preferred_channel="phone",
                    referred_on=today - timedelta(days=3 + i),
                ),
            )

    def _in_window(self, clinic: Clinic, today: date) -> list[Course]:
        courses = Course.objects.filter(
            patient__clinic=clinic, state=State.MAINTENANCE
        ).select_related("patient__clinic__settings")
        return [
            c
            for c in sorted(courses, key=lambda c: c.patient.identifier)
            if c.self_booking_days(today) is not None
        ]

    def _retreatment_visits(self, courses: list[Course], reception: Any, today: date) -> None:
        """Every other patient in the window is booked for re-treatment in the coming days
        (the others wait on the schedules page as "window open, not booked")."""
        if not courses:
            return
        clinic = courses[0].patient.clinic
        minutes = clinic.settings.injection_minutes
        days = [today + timedelta(days=n) for n in range(1, 15)]
        slots = free_slots(clinic=clinic, days=days, minutes=minutes, now=timezone.now())
        # Staff book only those whose window has opened (earlier needs a clinician's reason).
        chosen = [c for c in courses if _window_open(c, today)][::2]
        spread = slots[:: max(1, len(slots) // max(1, len(chosen)))]
        for course, slot in zip(chosen, spread, strict=False):
            visit_book(
                patient=course.patient,
                by=reception,
                kind=AppointmentKind.INJECTION,
                starts_at=slot.starts_at,
                minutes=minutes,
                clinician=get_user_model().objects.get(pk=slot.clinician_id),
                room=slot.room,
            )

    def _callbacks(self, clinic: Clinic) -> None:
        """Three "Call me" requests waiting in the demo clinic's queue, one already late."""
        now = timezone.now()
        for n, (name, topic, hours_ago, times) in enumerate(
            [
                ("Helen Marsh", CallbackTopic.NEW_REFERRAL, 52, "Weekday mornings"),
                ("Peter Lloyd", CallbackTopic.SIDE_EFFECT, 3, "Any time"),
                ("Aisha Khan", CallbackTopic.CURRENT_PATIENT, 1, "After 4 pm"),
            ]
        ):
            callback_request(
                clinic=clinic,
                name=name,
                phone=f"07700 90{n}{n}{n}{n}",
                topic=topic,
                contact_consent=True,
                best_times=times,
                address=f"192.0.2.{10 + n}",
                now=now - timedelta(hours=hours_ago),
            )
