"""Demo data: staff of every role and about 40 patients spread over every step, with histories
recorded through the same services the pages use (so every transition is logged and every
guard was met). Repeatable (a fixed random seed) and safe to run twice (the second run only
prints the logins)."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from botoxcare.models import PREEMPT_MUSCLES, Clinic
from botoxcare.roles import Role
from botoxcare.services import clinic_create, staff_create
from patients.models import AppointmentStatus, Patient
from treatments import services as tx
from treatments.models import ConsentForm, Course, DiscontinueReason, ProductLot

PASSWORD = "demo-pass-2026"  # noqa: S105 (demo only; printed for the person running it)
LOGINS = [
    ("clinician", "Clinician (neurologist)"),
    ("nurse", "Nurse"),
    ("reception", "Receptionist"),
    ("admin", "Admin (also the site administrator)"),
    ("patient", "Patient portal"),
    ("north.clinician", "Clinician at a second clinic (sees none of the demo clinic's patients)"),
]

FIRST = [
    "Amelia",
    "Oliver",
    "Isla",
    "George",
    "Ava",
    "Noah",
    "Mia",
    "Arthur",
    "Sophia",
    "Leo",
    "Grace",
    "Oscar",
    "Freya",
    "Harry",
    "Lily",
    "Jack",
    "Evie",
    "Charlie",
    "Ella",
    "Theo",
    "Ruby",
    "Henry",
    "Florence",
    "Alfie",
    "Willow",
    "Jacob",
    "Rosie",
    "Thomas",
    "Ivy",
    "Finley",
]
LAST = [
    "Smith",
    "Jones",
    "Taylor",
    "Brown",
    "Williams",
    "Wilson",
    "Johnson",
    "Davies",
    "Patel",
    "Robinson",
    "Wright",
    "Thompson",
    "Evans",
    "Walker",
    "White",
    "Roberts",
    "Green",
    "Hall",
    "Wood",
    "Jackson",
    "Clarke",
    "Khan",
    "Lewis",
    "Hughes",
    "Edwards",
    "Turner",
    "Hill",
    "Cooper",
    "Ward",
    "Morris",
]

CONSENT_TEXT = """\
I agree to receive injections of onabotulinumtoxinA (Botox) for chronic migraine, given at
about 31 to 39 sites in the forehead, temples, back of the head, neck and shoulders, every 10
to 12 weeks while the treatment helps me.

The benefits, risks and alternatives have been explained to me. Common side effects include
neck pain or stiffness, a drooping eyelid or eyebrow, headache, and pain at the injection
sites. Rarely the toxin spreads and causes difficulty swallowing, speaking or breathing: I will
seek help at once if this happens.

I can withdraw this consent at any time without it affecting my other care.
"""

# (final state, completed cycles, how many patients)
PLAN: list[tuple[str, int, int]] = [
    ("consultation", 0, 6),
    ("consent", 0, 5),
    ("injection", 0, 3),
    ("injection", 2, 2),
    ("post_care", 1, 2),
    ("post_care", 3, 2),
    ("maintenance", 1, 8),
    ("maintenance", 2, 5),
    ("maintenance", 3, 3),
    ("discontinued_declined", 0, 1),
    ("discontinued_stop_rule", 2, 2),
    ("discontinued_adverse", 1, 1),
]


DEMO_STAFF = [
    ("clinician", Role.CLINICIAN, "Maya", "Okafor"),
    ("clinician2", Role.CLINICIAN, "Daniel", "Reyes"),
    ("nurse", Role.NURSE, "Sarah", "Lindqvist"),
    ("reception", Role.RECEPTIONIST, "Tom", "Baker"),
    ("admin", Role.ADMIN, "Priya", "Shah"),
]


def demo_stock(clinic: Clinic, today: date) -> tuple[ConsentForm, list[ProductLot]]:
    """The demo clinic's consent form and two lots (a 200-unit and a 100-unit vial)."""
    form = ConsentForm.objects.create(
        clinic=clinic,
        version=1,
        body=CONSENT_TEXT,
        title="Consent to botulinum toxin treatment for chronic migraine",
    )
    lots = [
        ProductLot.objects.create(
            clinic=clinic,
            lot_number="C6125C3",
            expiry_date=today + timedelta(days=270),
            vial_units=200,
        ),
        ProductLot.objects.create(
            clinic=clinic,
            lot_number="C5893C4",
            expiry_date=today + timedelta(days=420),
            vial_units=100,
        ),
    ]
    return form, lots


def history_start(rng: random.Random, target: str, cycles: int, today: date) -> date:
    """The referral date of a demo history, worked backwards from today so that every event
    lands in the past: `gap` is the number of days from the last injection session (or,
    before any, from the consent) to today."""
    if cycles == 0:
        span = rng.randint(1, 20) + (14 if target in ("consent", "injection") else 0)
    else:
        gap = {
            "maintenance": rng.randint(14, 95),
            "post_care": rng.randint(1, 10),
            "injection": 84 + rng.randint(1, 10),
        }.get(target, 28 + rng.randint(1, 20))
        span = 35 + (cycles - 1) * 84 + gap
    return today - timedelta(days=span)


def demo_consultation(rng: random.Random, target: str, days: int) -> dict[str, Any]:
    """What the demo clinician records at step 1, for a history heading to `target`."""
    return {
        "history": "Migraine since teens; daily headache for two years. No red flags.",
        "previous_preventives": "Propranolol 80 mg (no benefit), amitriptyline 25 mg (side "
        "effects), topiramate 50 mg bd (no benefit).",
        "failed_preventives_count": 3,
        "headache_days_per_month": days,
        "migraine_days_per_month": rng.randint(8, days),
        "chronic_migraine_confirmed": target != "consultation" or rng.random() < 0.5,
        "benefits_risks_discussed": True,
        "medication_overuse": rng.choice(["none", "none", "managed"]),
        "decision": {"discontinued_declined": "decline", "consultation": "undecided"}.get(
            target, "proceed"
        ),
    }


def at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


class Command(BaseCommand):
    help = "Load demo clinic, staff and ~40 patients at every step (safe to run twice)."

    def handle(self, *args: Any, **options: Any) -> None:
        if Clinic.objects.filter(slug="demo").exists():
            self.stdout.write("Demo data is already loaded; nothing changed.")
        else:
            with transaction.atomic():
                self._seed()
            self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.stdout.write(f"Demo logins (password for all: {PASSWORD}):")
        for username, who in LOGINS:
            self.stdout.write(f"  {username:<16} {who}")

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
        admin = staff["admin"]
        admin.is_staff = admin.is_superuser = True
        admin.save(update_fields=["is_staff", "is_superuser"])
        _form, lots = demo_stock(clinic, today)
        number = 100200
        names = [(f, ln) for f in FIRST for ln in LAST]
        rng.shuffle(names)
        for target, cycles, count in PLAN:
            for _ in range(count):
                number += rng.randint(3, 40)
                first, last = names.pop()
                clinician = staff[rng.choice(["clinician", "clinician2"])]
                self._patient(
                    rng,
                    clinic,
                    staff,
                    clinician,
                    lots,
                    f"H{number}",
                    first,
                    last,
                    target,
                    cycles,
                    today,
                )
        # The demo patient with a portal login is in maintenance after two cycles.
        portal = (
            Patient.objects.filter(clinic=clinic, courses__state="maintenance")
            .order_by("identifier")
            .first()
        )
        from django.contrib.auth import get_user_model

        if portal is None:
            raise CommandError("the demo plan has no patient in maintenance")
        portal.user = get_user_model().objects.create_user(
            username="patient",
            password=PASSWORD,
            first_name=portal.first_name,
            last_name=portal.last_name,
        )
        portal.save(update_fields=["user"])

        north = clinic_create(name="Northside Neurology", slug="north", phone="0161 496 0000")
        north_doc = staff_create(
            clinic=north,
            username="north.clinician",
            password=PASSWORD,
            roles=[Role.CLINICIAN],
            first_name="Ian",
            last_name="Marsh",
        )
        for i, (first, last) in enumerate([("Nora", "Quinn"), ("Ewan", "Price"), ("Zara", "Bell")]):
            tx.patient_refer(
                clinic=north,
                by=north_doc,
                identifier=f"N{500 + i}",
                first_name=first,
                last_name=last,
                date_of_birth=date(1970 + 7 * i, 3, 4 + i),
                phone="07700 900123",
                responsible_clinician=north_doc,
                referred_on=today - timedelta(days=3 + i),
            )

    def _patient(
        self,
        rng: random.Random,
        clinic: Clinic,
        staff: dict[str, Any],
        doc: Any,
        lots: list[ProductLot],
        identifier: str,
        first: str,
        last: str,
        target: str,
        cycles: int,
        today: date,
    ) -> None:
        nurse = staff["nurse"]
        start = history_start(rng, target, cycles, today)
        dob = date(rng.randint(1958, 2002), rng.randint(1, 12), rng.randint(1, 28))
        channel = rng.choice(["phone", "sms", "email"])
        patient = tx.patient_refer(
            clinic=clinic,
            by=staff["reception"],
            identifier=identifier,
            first_name=first,
            last_name=last,
            date_of_birth=dob,
            phone=f"07700 9{rng.randint(10000, 99999)}",
            email=f"{first.lower()}.{last.lower()}@example.org",
            preferred_channel=channel,
            responsible_clinician=doc,
            referred_on=start,
        )
        course = Course.objects.get(patient=patient)
        if target == "consultation" and rng.random() < 0.5:
            return  # referred, not yet seen
        declined = target == "discontinued_declined"
        days = rng.randint(16, 28)
        tx.consultation_record(
            course=course,
            by=doc,
            seen_on=start,
            **demo_consultation(rng, target, days),
            now=at(start),
        )
        if target == "consultation":
            return
        if declined:
            tx.course_transition(
                course=course,
                name="decline",
                by=doc,
                reason="Prefers to try a CGRP antibody first.",
                now=at(start, 11),
            )
            return
        tx.course_transition(course=course, name="complete_evaluation", by=doc, now=at(start, 11))
        consent_day = start + timedelta(days=14)
        tx.preparation_record(
            course=course,
            by=nurse,
            reviewed_on=consent_day,
            current_medicines="Sumatriptan 50 mg as needed; ibuprofen as needed.",
            advice="Avoid ibuprofen and fish-oil supplements for 3 days before the injections.",
            flags={"bleeding_supplements": rng.random() < 0.3},
            now=at(consent_day),
        )
        if target == "consent" and rng.random() < 0.6:
            return  # consent form not yet back
        tx.consent_record_paper(
            course=course,
            by=nurse,
            signer_name=f"{first} {last}",
            signed_on=consent_day,
            now=at(consent_day),
        )
        if target == "consent":
            return
        tx.course_transition(
            course=course, name="record_consent", by=nurse, now=at(consent_day, 11)
        )
        session_day = consent_day + timedelta(days=21)
        for cycle in range(cycles):
            lot = lots[cycle % 2]
            extra = rng.choice([0, 0, 10, 20])
            sites = {
                m: (lim["fixed_sites"], lim["fixed_units"]) for m, lim in PREEMPT_MUSCLES.items()
            }
            if extra:
                s, u = sites["temporalis"]
                sites["temporalis"] = (s + extra // 10, u + extra // 2)
                s, u = sites["occipitalis"]
                sites["occipitalis"] = (s + extra // 10, u + extra // 2)
            tx.injection_session_record(
                course=course,
                by=doc,
                session_date=session_day,
                lot=lot,
                diluent_ml=Decimal("4.0") if lot.vial_units == 200 else Decimal("2.0"),
                sites=sites,
                units_discarded=lot.vial_units - 155 - extra if lot.vial_units == 200 else 0,
                tolerability=rng.choice(["Well tolerated.", "Mild stinging at sites.", ""]),
                now=at(session_day),
            )
            last_cycle = cycle == cycles - 1
            if last_cycle and target == "post_care":
                return
            follow = session_day + timedelta(weeks=4)
            aftercare = tx.aftercare_issue(
                course=course,
                by=nurse,
                issued_on=session_day,
                comfort_measures="Cold compress applied.",
                follow_up_at=at(follow, 14),
                now=at(session_day, 11),
            )
            tx.course_maintenance_start(course=course, by=nurse, now=at(session_day, 12))
            if aftercare.follow_up and follow < today:
                tx.appointment_close(
                    appointment=aftercare.follow_up, by=nurse, status=AppointmentStatus.ATTENDED
                )
            if last_cycle:
                if target == "discontinued_stop_rule":
                    tx.course_discontinue(
                        course=course,
                        by=doc,
                        reason=DiscontinueReason.STOP_RULE,
                        detail="Headache days fell by less than 30% after two cycles.",
                        now=at(follow, 15),
                    )
                elif target == "discontinued_adverse":
                    tx.course_discontinue(
                        course=course,
                        by=doc,
                        reason=DiscontinueReason.ADVERSE_EVENT,
                        detail="Marked neck weakness after the first session.",
                        now=at(follow, 15),
                    )
                if target != "injection":
                    return
            review_day = session_day + timedelta(weeks=12)
            tx.retreatment_start(
                course=course,
                by=doc,
                reviewed_on=review_day,
                headache_days_per_month=max(2, days - rng.randint(4, 12) * (cycle + 1) // 2),
                notes="Fewer and milder headaches; wishes to continue.",
                now=at(review_day),
            )
            session_day = review_day
