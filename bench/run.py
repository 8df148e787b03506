"""Benchmark the staff pages on a clinic of 10,000 patients with realistic histories.

Run from the project root:  .venv/bin/python bench/run.py [--n 200] [--reseed] [--show-queries]

The run uses its own SQLite database, bench/bench.sqlite3 (git-ignored), never db.sqlite3. The
first run migrates it and seeds it with bulk_create (the services would take far too long);
later runs re-use it while it holds the expected number of patients. Then it times the patient
list (first page, a middle page, a search), the patient page of patients in maintenance after
several cycles, and /healthz as the baseline, all interleaved in one run after a warm-up.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import statistics
import sys
import time
import warnings
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
DB_PATH = BENCH_DIR / "bench.sqlite3"
CLINIC_SLUG = "bench"
CLINICIAN = "bench.clinician"
PASSWORD = "bench-pass-not-secret"  # noqa: S105 (a throwaway login in a throwaway database)

# Targets for the list and the patient page (docs/PERFORMANCE.md).
TARGET_P95_MS = 50.0
TARGET_RATIO = 4.0

FIRST = [
    "Amelia", "Oliver", "Isla", "George", "Ava", "Noah", "Mia", "Arthur", "Sophia", "Leo",
    "Grace", "Oscar", "Freya", "Harry", "Lily", "Jack", "Evie", "Charlie", "Ella", "Theo",
    "Ruby", "Henry", "Florence", "Alfie", "Willow", "Jacob", "Rosie", "Thomas", "Ivy", "Finley",
    "Margaret", "David", "Susan", "Peter", "Helen", "Michael", "Sarah", "James", "Emma", "John",
    "Aisha", "Mohammed", "Priya", "Raj", "Chloe", "Daniel", "Hannah", "Samuel", "Zara", "Adam",
]  # fmt: skip
LAST = [
    "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel",
    "Robinson", "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall",
    "Wood", "Jackson", "Clarke", "Khan", "Lewis", "Hughes", "Edwards", "Turner", "Hill",
    "Cooper", "Ward", "Morris", "Moore", "Clark", "Harris", "Martin", "King", "Baker", "Allen",
    "Young", "Scott", "Mitchell", "Phillips", "Campbell", "Anderson", "Bell", "Parker", "Bennett",
    "Shaw", "Cook", "Carter", "Murphy", "Price", "Griffiths", "Kelly", "Simpson", "Marshall",
    "Collins", "Begum", "Ali", "Hussain", "Singh", "Chapman", "Mason", "Webb", "Rogers", "Gray",
    "Hunt", "Mills", "Holmes", "Palmer", "Lloyd", "Richards", "Knight", "Butler", "Barker",
    "Russell", "Fisher", "Stevens", "Jenkins", "Murray", "Dixon", "Harvey", "Smithson",
    "Goldsmith", "Ellis", "Reynolds", "Fox", "Owen", "Matthews", "Lawrence", "Pearson",
]  # fmt: skip

# (final state, completed cycles, patients per thousand): most of a mature clinic's patients
# are in maintenance; a few at each earlier step; some discontinued.
PLAN: list[tuple[str, int, int]] = [
    ("consultation", 0, 60), ("consent", 0, 50), ("injection", 0, 30), ("injection", 1, 30),
    ("injection", 2, 25), ("injection", 3, 20), ("post_care", 1, 15), ("post_care", 2, 15),
    ("post_care", 3, 10), ("post_care", 4, 10), ("maintenance", 1, 150),
    ("maintenance", 2, 200), ("maintenance", 3, 150), ("maintenance", 4, 150),
    ("discontinued_declined", 0, 20), ("discontinued_stop_rule", 2, 50),
    ("discontinued_adverse", 1, 15),
]  # fmt: skip


def configure() -> None:
    """Point Django at the bench database before anything imports the settings."""
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = f"sqlite:///{DB_PATH}"  # an absolute path: sqlite:////...
    os.environ["DJANGO_SETTINGS_MODULE"] = "botoxcare.settings"
    os.environ["BOTOXCARE_ENV"] = "local"
    # Measure what production runs: no DEBUG query log; quiet request logging.
    os.environ["DEBUG"] = "False"
    os.environ["LOG_LEVEL"] = "WARNING"
    warnings.filterwarnings("ignore", message="No directory at")  # whitenoise, no STATIC_ROOT
    import django

    django.setup()


# --- seeding -------------------------------------------------------------------------------


@dataclass
class Rows:
    """Everything to insert, in dependency order; related objects get their pk from
    bulk_create (SQLite >= 3.35 returns it) before their dependants are inserted."""

    consultations: list[Any] = field(default_factory=list)
    preparations: list[Any] = field(default_factory=list)
    consents: list[Any] = field(default_factory=list)
    sessions: list[Any] = field(default_factory=list)
    sites: list[Any] = field(default_factory=list)
    appointments: list[Any] = field(default_factory=list)
    aftercares: list[Any] = field(default_factory=list)
    reviews: list[Any] = field(default_factory=list)
    transitions: list[Any] = field(default_factory=list)
    reminders: list[Any] = field(default_factory=list)


def seeded_patients() -> int:
    """How many patients the bench clinic has; 0 when the database is missing or empty."""
    from django.db import DatabaseError

    from patients.models import Patient

    if not DB_PATH.exists():
        return 0
    try:
        return Patient.objects.filter(clinic__slug=CLINIC_SLUG).count()
    except DatabaseError:
        return 0


def recreate_database() -> None:
    from django.core.management import call_command
    from django.db import connection

    connection.close()
    for suffix in ("", "-journal", "-wal", "-shm"):
        Path(f"{DB_PATH}{suffix}").unlink(missing_ok=True)
    call_command("migrate", verbosity=0, interactive=False)


def seed(patients_wanted: int) -> None:
    from django.db import connection, transaction

    with connection.cursor() as cursor:
        # A throwaway database: no need to survive a power cut while it is being filled.
        cursor.execute("PRAGMA synchronous = OFF")
    with transaction.atomic():
        _seed(patients_wanted)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # what a maintained production database would have


def _seed(patients_wanted: int) -> None:
    from django.utils import timezone

    from botoxcare.management.commands.seed_demo import (
        demo_consultation,
        demo_stock,
        history_start,
    )
    from botoxcare.models import PREEMPT_MUSCLES
    from botoxcare.roles import Role
    from botoxcare.services import clinic_create, staff_create
    from patients.models import Appointment, AppointmentKind, AppointmentStatus, Patient
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
        Reminder,
        ReminderKind,
        ResponseReview,
        State,
    )
    from treatments.services import consent_form_text

    rng = random.Random(2026)
    today = timezone.localdate()
    now = timezone.now()

    clinic_tz = timezone.get_current_timezone()

    def at(day: date, hour: int = 10) -> datetime:
        return datetime(day.year, day.month, day.day, hour, tzinfo=clinic_tz)

    clinic = clinic_create(name="Bench Headache Clinic", slug=CLINIC_SLUG, phone="020 7946 0999")
    settings_ = clinic.settings
    doctors = [
        staff_create(
            clinic=clinic,
            username=CLINICIAN,
            password=PASSWORD,
            roles=[Role.CLINICIAN],
            first_name="Maya",
            last_name="Okafor",
        ),
        staff_create(
            clinic=clinic,
            username="bench.clinician2",
            password=PASSWORD,
            roles=[Role.CLINICIAN],
            first_name="Daniel",
            last_name="Reyes",
        ),
    ]
    nurse = staff_create(
        clinic=clinic,
        username="bench.nurse",
        password=PASSWORD,
        roles=[Role.NURSE],
        first_name="Sarah",
        last_name="Lindqvist",
    )
    form, lots = demo_stock(clinic, today)
    consent_text = consent_form_text(form)
    consent_hash = hashlib.sha256(consent_text.encode()).hexdigest()

    plans = rng.choices(
        [(t, c) for t, c, _ in PLAN], weights=[w for *_, w in PLAN], k=patients_wanted
    )

    stopped = {
        "discontinued_declined": (DiscontinueReason.PATIENT_CHOICE, ""),
        "discontinued_stop_rule": (
            DiscontinueReason.STOP_RULE,
            "Headache days fell by less than 30% after two cycles.",
        ),
        "discontinued_adverse": (
            DiscontinueReason.ADVERSE_EVENT,
            "Marked neck weakness after the first session.",
        ),
    }

    # Patients and their one course each: the course is built in its final state (passing
    # state= to the constructor is construction, which the protected FSMField allows).
    patients: list[Any] = []
    courses: list[Any] = []
    starts: list[date] = []
    for i, (target, cycles) in enumerate(plans):
        start = history_start(rng, target, cycles, today)
        first, last = rng.choice(FIRST), rng.choice(LAST)
        patients.append(
            Patient(
                clinic=clinic,
                identifier=f"H{100000 + 7 * i}",
                first_name=first,
                last_name=last,
                date_of_birth=date(rng.randint(1950, 2004), rng.randint(1, 12), rng.randint(1, 28)),
                phone=f"07700 9{rng.randint(10000, 99999)}",
                email=f"{first.lower()}.{last.lower()}{i}@example.org",
                preferred_channel=rng.choice(["phone", "sms", "email"]),
                responsible_clinician=rng.choice(doctors),
            )
        )
        reason, detail = stopped.get(target, ("", ""))
        courses.append(
            Course(
                patient=patients[-1],
                state=State.DISCONTINUED if reason else target,
                started_on=start,
                discontinue_reason=reason,
                discontinue_detail=detail,
            )
        )
        starts.append(start)
    Patient.objects.bulk_create(patients, batch_size=2000)
    Course.objects.bulk_create(courses, batch_size=2000)

    rows = Rows()

    def log(
        course: Any, name: str, source: str, target: str, by: Any, when: datetime, reason: str = ""
    ) -> None:
        rows.transitions.append(
            CourseTransition(
                course=course,
                name=name,
                source=source,
                target=target,
                by=by,
                at=when,
                reason=reason,
            )
        )

    for patient, course, (target, cycles), start in zip(
        patients, courses, plans, starts, strict=True
    ):
        doc = patient.responsible_clinician
        if target == "consultation" and rng.random() < 0.5:
            continue  # referred, not yet seen
        declined = target == "discontinued_declined"
        days = rng.randint(16, 28)
        rows.appointments.append(
            Appointment(
                patient=patient,
                kind=AppointmentKind.CONSULTATION,
                clinician=doc,
                room="Room 2",
                starts_at=at(start, 9),
                ends_at=at(start, 9) + timedelta(minutes=45),
                status=AppointmentStatus.ATTENDED,
                booked_by=nurse,
            )
        )
        rows.consultations.append(
            Consultation(
                course=course,
                clinician=doc,
                seen_on=start,
                **demo_consultation(rng, target, days),
                recorded_at=at(start),
            )
        )
        if target == "consultation":
            continue
        if declined:
            log(
                course,
                "decline",
                State.CONSULTATION,
                State.DISCONTINUED,
                doc,
                at(start, 11),
                "Prefers to try a CGRP antibody first.",
            )
            continue
        log(course, "complete_evaluation", State.CONSULTATION, State.CONSENT, doc, at(start, 11))
        consent_day = start + timedelta(days=14)
        rows.preparations.append(
            PreparationReview(
                course=course,
                reviewed_on=consent_day,
                reviewed_by=nurse,
                current_medicines="Sumatriptan 50 mg as needed; ibuprofen as needed.",
                bleeding_supplements=rng.random() < 0.3,
                advice="Avoid ibuprofen and fish-oil supplements for 3 days before the injections.",
                recorded_at=at(consent_day),
            )
        )
        if target == "consent" and rng.random() < 0.6:
            continue  # consent form not yet back
        rows.consents.append(
            Consent(
                course=course,
                form=form,
                text=consent_text,
                text_sha256=consent_hash,
                signer_name=patient.full_name,
                signed_on=consent_day,
                method=ConsentMethod.PAPER,
                recorded_by=nurse,
                recorded_at=at(consent_day),
            )
        )
        if target == "consent":
            continue
        log(course, "record_consent", State.CONSENT, State.INJECTION, nurse, at(consent_day, 11))
        session_day = consent_day + timedelta(days=21)
        for cycle in range(cycles):
            lot = lots[cycle % 2]
            extra = rng.choice([0, 0, 10, 20])
            session = InjectionSession(
                course=course,
                session_date=session_day,
                clinician=doc,
                lot=lot,
                vial_units=lot.vial_units,
                diluent_ml=Decimal("4.0") if lot.vial_units == 200 else Decimal("2.0"),
                units_discarded=lot.vial_units - 155 - extra if lot.vial_units == 200 else 0,
                tolerability=rng.choice(["Well tolerated.", "Mild stinging at sites.", ""]),
                recorded_at=at(session_day),
            )
            rows.sessions.append(session)
            for muscle, limit in PREEMPT_MUSCLES.items():
                n_sites, units = limit["fixed_sites"], limit["fixed_units"]
                if extra and muscle in ("temporalis", "occipitalis"):
                    n_sites, units = n_sites + extra // 10, units + extra // 2
                rows.sites.append(
                    InjectionSite(session=session, muscle=muscle, sites=n_sites, units=units)
                )
            log(course, "record_injection", State.INJECTION, State.POST_CARE, doc, at(session_day))
            last_cycle = cycle == cycles - 1
            if last_cycle and target == "post_care":
                break
            follow = session_day + timedelta(weeks=settings_.follow_up_weeks)
            follow_up = Appointment(
                patient=patient,
                kind=AppointmentKind.FOLLOW_UP,
                starts_at=at(follow, 14),
                ends_at=at(follow, 14) + timedelta(minutes=20),
                booked_by=nurse,
                status=AppointmentStatus.ATTENDED if follow < today else AppointmentStatus.BOOKED,
            )
            rows.appointments.append(follow_up)
            rows.aftercares.append(
                Aftercare(
                    course=course,
                    session=session,
                    issued_on=session_day,
                    issued_by=nurse,
                    comfort_measures="Cold compress applied.",
                    instructions=settings_.aftercare_instructions,
                    follow_up=follow_up,
                    recorded_at=at(session_day, 11),
                )
            )
            log(
                course,
                "start_maintenance",
                State.POST_CARE,
                State.MAINTENANCE,
                nurse,
                at(session_day, 12),
            )
            opens = session_day + timedelta(weeks=settings_.retreatment_window_weeks)
            follow_due = at(follow, 14) - timedelta(days=1)
            for kind, key, due in (
                (ReminderKind.RETREATMENT_DUE, f"retreatment:{id(session)}", at(opens, 9)),
                (ReminderKind.FOLLOW_UP, f"follow_up:{id(follow_up)}", follow_due),
            ):
                rows.reminders.append(
                    Reminder(
                        course=course,
                        kind=kind,
                        key=key,
                        due_at=due,
                        sent_at=due if due <= now else None,
                        attempts=1 if due <= now else 0,
                    )
                )
            if last_cycle:
                if course.state == State.DISCONTINUED:
                    log(
                        course,
                        "discontinue",
                        State.MAINTENANCE,
                        State.DISCONTINUED,
                        doc,
                        at(follow, 15),
                        f"{course.get_discontinue_reason_display()}. {course.discontinue_detail}",
                    )
                    for reminder in rows.reminders[-2:]:
                        if reminder.sent_at is None:
                            reminder.cancelled_at = at(follow, 15)
                if target != "injection":
                    break
            review_day = session_day + timedelta(weeks=12)
            rows.reviews.append(
                ResponseReview(
                    course=course,
                    session=session,
                    reviewed_on=review_day,
                    reviewed_by=doc,
                    headache_days_per_month=max(2, days - rng.randint(4, 12) * (cycle + 1) // 2),
                    notes="Fewer and milder headaches; wishes to continue.",
                    recorded_at=at(review_day),
                )
            )
            log(
                course, "start_retreatment", State.MAINTENANCE, State.INJECTION, doc, at(review_day)
            )
            session_day = review_day

    Consultation.objects.bulk_create(rows.consultations, batch_size=2000)
    PreparationReview.objects.bulk_create(rows.preparations, batch_size=2000)
    Consent.objects.bulk_create(rows.consents, batch_size=2000)
    InjectionSession.objects.bulk_create(rows.sessions, batch_size=2000)
    InjectionSite.objects.bulk_create(rows.sites, batch_size=5000)
    Appointment.objects.bulk_create(rows.appointments, batch_size=2000)
    Aftercare.objects.bulk_create(rows.aftercares, batch_size=2000)
    ResponseReview.objects.bulk_create(rows.reviews, batch_size=2000)
    CourseTransition.objects.bulk_create(rows.transitions, batch_size=5000)
    # Reminder keys name the session and the appointment, which have pks only once inserted.
    by_id = {id(o): o.pk for o in (*rows.sessions, *rows.appointments)}
    for reminder in rows.reminders:
        prefix, obj_id = reminder.key.split(":")
        reminder.key = f"{prefix}:{by_id[int(obj_id)]}"
    Reminder.objects.bulk_create(rows.reminders, batch_size=2000)


# --- measuring ------------------------------------------------------------------------------

BASELINE = "/healthz (baseline)"
FLOOR = "/bench/floor (auth. empty page)"
FLOOR_URL = "/bench/floor"


def bench_urlconf() -> ModuleType:
    """The project's URLs plus one bench-only page: a staff page with nothing on it.

    It pays what every staff page pays (session, user, staff profile, clinic, roles, base.html)
    and nothing else, so it shows how much of a page's time is the page's own.
    """
    from django.conf import settings
    from django.http import HttpRequest, HttpResponse
    from django.shortcuts import render
    from django.urls import include, path

    from botoxcare.roles import staff_required

    @staff_required
    def floor(request: HttpRequest) -> HttpResponse:
        return render(request, "base.html")

    module = ModuleType("bench_urls")
    module.urlpatterns = [  # type: ignore[attr-defined]
        path(FLOOR_URL.lstrip("/"), floor),
        path("", include(settings.ROOT_URLCONF)),
    ]
    return module


class QueryTimer:
    """An execute_wrapper that times each query with perf_counter (CaptureQueriesContext
    rounds to the millisecond, too coarse for these)."""

    def __init__(self) -> None:
        self.queries: list[tuple[float, str]] = []

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.queries.append(((time.perf_counter() - started) * 1000, sql))

    @property
    def total_ms(self) -> float:
        return sum(ms for ms, _ in self.queries)


def percentile(values: list[float], pct: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[pct - 1]


@dataclass
class PageResult:
    timings: list[float] = field(default_factory=list)
    queries: int = 0
    sql_ms: float = 0.0


def measure(n: int, warmup: int, show_queries: bool) -> dict[str, PageResult]:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    from treatments.models import Course, State

    rng = random.Random(7)
    clinician = get_user_model().objects.get(username=CLINICIAN)
    pool = list(
        Course.objects.filter(patient__clinic__slug=CLINIC_SLUG, state=State.MAINTENANCE)
        .annotate(n_sessions=Count("sessions"))
        .filter(n_sessions__gte=3)
        .values_list("patient_id", flat=True)
    )
    if not pool:
        sys.exit("No patient in maintenance with 3 or more cycles: reseed with --reseed.")

    def signed_in(search: dict[str, str] | None = None) -> Client:
        """A clinician's browser; a search is posted once and kept in its session, as the
        list page does (names never go in URLs)."""
        browser = Client()
        browser.force_login(clinician)
        if search is not None:
            browser.post("/patients/", search)
        return browser

    client = signed_in()
    by_name, by_step = signed_in({"q": "smith"}), signed_in({"state": "maintenance"})
    # name -> (browser, url maker)
    pages: dict[str, tuple[Client, Any]] = {
        BASELINE: (client, lambda: "/healthz"),
        FLOOR: (client, lambda: FLOOR_URL),
        "/patients/": (client, lambda: "/patients/"),
        "/patients/?page=200": (client, lambda: "/patients/?page=200"),
        "/patients/ searching 'smith'": (by_name, lambda: "/patients/"),
        "/patients/ at step maintenance": (by_step, lambda: "/patients/"),
        "/patients/<pk>/ (maint., 3-4 cycles)": (client, lambda: f"/patients/{rng.choice(pool)}/"),
    }
    results = {name: PageResult() for name in pages}

    def get(page: tuple[Client, Any]) -> None:
        browser, make_url = page
        url = make_url()
        response = browser.get(url)
        if response.status_code != 200:
            sys.exit(f"GET {url} answered {response.status_code}, not 200")

    with override_settings(ROOT_URLCONF=bench_urlconf()):
        for name, page in pages.items():
            with CaptureQueriesContext(connection) as ctx:
                get(page)
            results[name].queries = len(ctx.captured_queries)
        for _ in range(warmup):
            for page in pages.values():
                get(page)
        names = list(pages)
        for _ in range(n):
            rng.shuffle(names)  # interleaved, so that a noisy moment hits every page alike
            for name in names:
                started = time.perf_counter()
                get(pages[name])
                results[name].timings.append((time.perf_counter() - started) * 1000)
        # Time spent in the database, apart from the timed run so that timing it costs nothing.
        for name, page in pages.items():
            totals = []
            for _ in range(min(n, 50)):
                timer = QueryTimer()
                with connection.execute_wrapper(timer):
                    get(page)
                totals.append(timer.total_ms)
            results[name].sql_ms = statistics.median(totals)
            if show_queries:
                print(f"\n{name}: {len(timer.queries)} queries, {timer.total_ms:.2f} ms")
                for ms, sql in timer.queries:
                    print(f"  {ms:7.3f} ms  {sql[:400]}")
    report(results, pool_size=len(pool))
    return results


def report(results: dict[str, PageResult], pool_size: int) -> None:
    baseline = percentile(results[BASELINE].timings, 95)
    floor = percentile(results[FLOOR].timings, 95)
    print(
        f"\n{len(results[BASELINE].timings)} requests a page, interleaved, after a warm-up; "
        f"patient pages drawn at random from {pool_size} patients in maintenance after 3-4 "
        "cycles. SQL ms: median time a request spends in cursor.execute (where SQLite computes "
        "up to the first row).\n"
    )
    header = (
        f"{'page':<38} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7} {'p95/healthz':>11} "
        f"{'p95/floor':>9} {'queries':>7} {'SQL ms':>7}"
    )
    print(header)
    print("-" * len(header))
    verdicts = []
    for name, result in results.items():
        values = result.timings
        p50, p95, top = statistics.median(values), percentile(values, 95), max(values)
        print(
            f"{name:<38} {p50:7.2f} {p95:7.2f} {top:7.2f} {p95 / baseline:10.1f}x "
            f"{p95 / floor:8.1f}x {result.queries:7d} {result.sql_ms:7.2f}"
        )
        if name not in (BASELINE, FLOOR):
            ok_ms, ok_ratio = p95 <= TARGET_P95_MS, p95 / baseline <= TARGET_RATIO
            verdicts.append(
                f"  {name:<38} p95 <= {TARGET_P95_MS:.0f} ms: {'met' if ok_ms else 'NOT met':<8}"
                f" p95 <= {TARGET_RATIO:.0f}x /healthz: {'met' if ok_ratio else 'NOT met'}"
            )
    print("\nTargets:")
    print("\n".join(verdicts))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200, help="requests a page (default 200)")
    parser.add_argument("--warmup", type=int, default=20, help="warm-up requests a page")
    parser.add_argument("--patients", type=int, default=10_000, help="patients to seed")
    parser.add_argument("--reseed", action="store_true", help="rebuild the bench database")
    parser.add_argument(
        "--show-queries", action="store_true", help="print each page's SQL with its time"
    )
    args = parser.parse_args()
    if args.n < 2:
        parser.error("--n must be at least 2")

    configure()
    from django.db import connection

    from patients.models import Patient
    from treatments.models import Course, CourseTransition, InjectionSession, InjectionSite

    if args.reseed or seeded_patients() != args.patients:
        started = time.perf_counter()
        recreate_database()
        migrated = time.perf_counter()
        seed(args.patients)
        done = time.perf_counter()
        print(
            f"Seeded {DB_PATH.relative_to(ROOT)}: migrate {migrated - started:.1f} s, "
            f"seed {done - migrated:.1f} s, total {done - started:.1f} s"
        )
    else:
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)  # new indexes, if any
        print(f"Re-using {DB_PATH.relative_to(ROOT)} (--reseed to rebuild it)")
    print(
        f"Rows: {Patient.objects.count()} patients, {Course.objects.count()} courses, "
        f"{InjectionSession.objects.count()} sessions, {InjectionSite.objects.count()} sites, "
        f"{CourseTransition.objects.count()} transitions; SQLite "
        f"{connection.Database.sqlite_version}"
    )
    measure(args.n, args.warmup, args.show_queries)


if __name__ == "__main__":
    main()
