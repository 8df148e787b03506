"""Benchmark the staff pages on a clinic of 10,000 patients with realistic histories.

Run from the project root:  .venv/bin/python bench/run.py [--n 200] [--reseed] [--show-queries]
                            .venv/bin/python bench/run.py --sizes 1000,10000 --n 60
                            .venv/bin/python bench/run.py --only schedules,calendar

Each clinic size has its own SQLite database, bench/bench-<patients>.sqlite3 (git-ignored),
never db.sqlite3. The first run at a size migrates it and seeds it with bulk_create from the
same walks the services record for demo data and tests (treatments.walk, turned into rows by
bench/rows.py; tests/test_walk.py checks that those rows are what the services write and meet
every guard). Later runs re-use it. Then it times the patient list (first page, the last page,
a search, a step filter), the patient page of patients in maintenance after several cycles,
the injection session's form of a re-treatment (step 3 after a first session), the
follow-up schedules page (first page, a middle page, two status filters), the appointment
calendar (today for every clinician, a clinician's week), /healthz, and /bench/floor, all
interleaved in one run after a warm-up; then the CSV export of the whole
schedules view, read to its end, a few times each next to /bench/floor (rows, size, queries,
time as a multiple of the floor, rows a second, peak memory while streaming). The main
figure is each page's time as a multiple of /bench/floor, the empty signed-in staff page;
with --sizes, how that multiple grows with the number of patients.

Every run is measured at the same time of the clinic's day (--clock, 14:30 unless told), so
that the calendar's day is the same page whenever the bench runs: the seeded visits of the
day begin at 14:00, so they are past and each has its outcome form, not a Move link.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
sys.path.insert(0, str(ROOT))

from bench.backends import Backend  # noqa: E402 (bench/ is run as a script too)

BACKEND: Backend | None = None
CLINIC_SLUG = "bench"
CLINICIAN = "bench.clinician"
PASSWORD = "bench-pass-not-secret"  # noqa: S105 (a throwaway login in a throwaway database)

# Targets for the list and the patient page (docs/PERFORMANCE.md).
TARGET_P95_MS = 50.0
TARGET_RATIO = 4.0


def db_path(patients: int) -> Path:
    return BENCH_DIR / f"bench-{patients}.sqlite3"


def backend() -> Backend:
    """SQLite files, or PostgreSQL's bench_<patients> when started with a postgres://
    DATABASE_URL (bench/backends.py); read once, before configure() points DATABASE_URL at
    the bench's own database."""
    global BACKEND
    if BACKEND is None:
        BACKEND = Backend.from_environment()
    return BACKEND


def configure(patients: int) -> None:
    """Point Django at the bench database before anything imports the settings."""
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = backend().database_url(patients)
    os.environ["DJANGO_SETTINGS_MODULE"] = "botoxcare.settings"
    os.environ["BOTOXCARE_ENV"] = "local"
    # Measure what production runs: no DEBUG query log; quiet request logging.
    os.environ["DEBUG"] = "False"
    os.environ["LOG_LEVEL"] = "WARNING"
    warnings.filterwarnings("ignore", message="No directory at")  # whitenoise, no STATIC_ROOT
    import django

    django.setup()


# --- seeding -------------------------------------------------------------------------------


def use_database(patients: int) -> Path:
    """Switch the default connection to the bench database of a clinic size."""
    backend().use(patients)
    return db_path(patients)


def seeded_patients(path: Path) -> int:
    """How many patients the bench clinic has; 0 when the database is missing or empty."""
    from django.db import DatabaseError

    from patients.models import Patient

    size = int(path.stem.removeprefix("bench-"))
    if not backend().exists(size):
        return 0
    try:
        return Patient.objects.filter(clinic__slug=CLINIC_SLUG).count()
    except DatabaseError:
        return 0


def recreate_database(path: Path) -> None:
    from django.core.management import call_command

    backend().recreate(int(path.stem.removeprefix("bench-")))
    call_command("migrate", verbosity=0, interactive=False)


def seed(patients_wanted: int) -> None:
    from django.db import transaction

    backend().before_seed()
    with transaction.atomic():
        _seed(patients_wanted)
    backend().after_seed()


def _seed(patients_wanted: int) -> None:
    """The clinic and its staff through the services; its patients' walks as bulk rows."""
    from django.utils import timezone

    from bench.rows import Rows
    from botoxcare.roles import Role
    from botoxcare.services import clinic_create, staff_create
    from treatments.walk import clinic_histories, demo_stock

    rng = random.Random(2026)
    today = timezone.localdate()
    clinic = clinic_create(name="Bench Headache Clinic", slug=CLINIC_SLUG, phone="020 7946 0999")
    staff = {
        username: staff_create(
            clinic=clinic,
            username=username,
            password=PASSWORD,
            roles=[role],
            first_name=first,
            last_name=last,
        )
        for username, role, first, last in [
            (CLINICIAN, Role.CLINICIAN, "Maya", "Okafor"),
            ("bench.clinician2", Role.CLINICIAN, "Daniel", "Reyes"),
            ("bench.nurse", Role.NURSE, "Sarah", "Lindqvist"),
        ]
    }
    form, lots = demo_stock(clinic, today)
    clinicians = [staff[CLINICIAN], staff["bench.clinician2"]]
    rows = Rows(
        clinicians=clinicians,
        nurse=staff["bench.nurse"],
        reception=None,  # registers the patients through the services only
        lots=lots,
        form=form,
        now=timezone.now(),
    )
    for walk in clinic_histories(rng, patients_wanted, today, clinicians=len(clinicians)):
        rows.add(walk)
    rows.insert()


DAY_CLINICIANS = (CLINICIAN, "bench.clinician2")
DAY_VISITS = 14  # a clinician's booked visits on the benched day, at the least


def book_day() -> int:
    """Make sure today, the day the calendar opens on, is a realistic clinic day: when the
    clinic has fewer than 14 visits a clinician booked today, book 14 half-hour visits for
    each from 09:00 (bulk rows, as the seed writes its history, not through the booking
    service). Returns the number of visits today's calendar shows."""
    from datetime import datetime, time, timedelta

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from patients.models import Appointment, AppointmentKind, AppointmentStatus, Patient

    today = timezone.localdate()
    start = timezone.make_aware(datetime.combine(today, time.min))
    visits = Appointment.objects.filter(
        patient__clinic__slug=CLINIC_SLUG,
        starts_at__gte=start,
        starts_at__lt=start + timedelta(days=1),
    ).exclude(status=AppointmentStatus.CANCELLED)
    wanted = DAY_VISITS * len(DAY_CLINICIANS)
    if visits.count() >= wanted:
        return visits.count()
    rng = random.Random(today.toordinal())
    patients = list(Patient.objects.filter(clinic__slug=CLINIC_SLUG).values_list("pk", flat=True))
    chosen = iter(rng.sample(patients, wanted))
    first = timezone.make_aware(datetime.combine(today, time(9)))
    Appointment.objects.bulk_create(
        Appointment(
            patient_id=next(chosen),
            kind=AppointmentKind.INJECTION if n % 2 else AppointmentKind.REVIEW,
            clinician=clinician,
            starts_at=first + timedelta(minutes=30 * n),
            ends_at=first + timedelta(minutes=30 * n + 30),
            status=AppointmentStatus.BOOKED,
        )
        for clinician in get_user_model().objects.filter(username__in=DAY_CLINICIANS)
        for n in range(DAY_VISITS)
    )
    return visits.count()


# --- measuring ------------------------------------------------------------------------------

BASELINE = "/healthz (baseline)"
FLOOR = "/bench/floor (auth. empty page)"
FLOOR_URL = "/bench/floor"
EXPORT_URL = "/schedules/export.csv"
INJECTION_FORM = "/patients/<pk>/injection/ (re-treatment)"


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


def sql_median(call: Any, repeats: int, name: str, show_queries: bool) -> float:
    """The median time `call` spends in cursor.execute over `repeats` calls; with
    `show_queries`, the last call's SQL, each statement with its time."""
    from django.db import connection

    totals = []
    for _ in range(repeats):
        timer = QueryTimer()
        with connection.execute_wrapper(timer):
            call()
        totals.append(timer.total_ms)
    if show_queries:
        print(f"\n{name}: {len(timer.queries)} queries, {timer.total_ms:.2f} ms")
        for ms, sql in timer.queries:
            print(f"  {ms:7.3f} ms  {sql[:400]}")
    return statistics.median(totals)


def percentile(values: list[float], pct: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[pct - 1]


@dataclass
class PageResult:
    timings: list[float] = field(default_factory=list)
    queries: int = 0
    sql_ms: float = 0.0


def patients_at(state: str, *, sessions: int) -> list[int]:
    """The bench clinic's patients whose course is at `state` after `sessions` or more."""
    from django.db.models import Count

    from treatments.models import Course

    return list(
        Course.objects.filter(patient__clinic__slug=CLINIC_SLUG, state=state)
        .annotate(n_sessions=Count("sessions"))
        .filter(n_sessions__gte=sessions)
        .values_list("patient_id", flat=True)
    )


def staff_browser(user: Any, search: dict[str, str] | None = None) -> Any:
    """A staff member's browser (a test Client), past the two-factor code as the code page
    leaves it; a search is posted once and kept in its session, as the list page does (names
    never go in URLs)."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from botoxcare.two_factor.services import totp_device_add

    app = TOTPDevice.objects.filter(user=user, confirmed=True).first() or totp_device_add(
        user=user, key="0" * 40
    )
    browser = Client()
    browser.force_login(user)
    session = browser.session
    session[DEVICE_ID_SESSION_KEY] = app.persistent_id
    session.save()
    if search is not None:
        browser.post("/patients/", search)
    return browser


def measure(
    n: int, warmup: int, show_queries: bool, only: list[str] | None = None
) -> dict[str, PageResult]:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    from treatments.models import State

    rng = random.Random(7)
    clinician = get_user_model().objects.get(username=CLINICIAN)
    pool = patients_at(State.MAINTENANCE, sessions=3)
    if not pool:
        sys.exit("No patient in maintenance with 3 or more cycles: reseed with --reseed.")
    # The injection session's form: courses ready for a re-treatment session (step 3 after
    # one or more sessions), whose form starts from the last session's doses.
    ready = patients_at(State.INJECTION, sessions=1)

    def signed_in(search: dict[str, str] | None = None) -> Client:
        return staff_browser(clinician, search)

    client = signed_in()
    from botoxcare.freshness import clinic_changed

    bench_clinic = clinician.staff_profile.clinic_id
    by_name, by_step = signed_in({"q": "smith"}), signed_in({"state": "maintenance"})
    # name -> (browser, url maker)
    pages: dict[str, tuple[Client, Any]] = {
        BASELINE: (client, lambda: "/healthz"),
        FLOOR: (client, lambda: FLOOR_URL),
        "/patients/": (client, lambda: "/patients/"),
        "/patients/?last=1 (last page)": (client, lambda: "/patients/?last=1"),
        "/patients/ searching 'smith'": (by_name, lambda: "/patients/"),
        "/patients/ at step maintenance": (by_step, lambda: "/patients/"),
        "/patients/<pk>/ (maint., 3-4 cycles)": (client, lambda: f"/patients/{rng.choice(pool)}/"),
        INJECTION_FORM: (
            client,
            lambda: f"/patients/{rng.choice(ready)}/injection/",
        ),
        "/schedules/": (client, lambda: "/schedules/"),
        # The first look after a change of the clinic (a visit booked, a session recorded):
        # the counts and the page's rows computed, not kept (pages/staff/schedules/kept.py).
        "/schedules/ after a change": (
            client,
            lambda: (clinic_changed(bench_clinic), "/schedules/")[1],
        ),
        "/schedules/?status=open_not_booked after a change": (
            client,
            lambda: (clinic_changed(bench_clinic), "/schedules/?status=open_not_booked")[1],
        ),
        "/schedules/?page=100": (client, lambda: "/schedules/?page=100"),
        "/schedules/?status=overdue": (client, lambda: "/schedules/?status=overdue"),
        "/schedules/?status=open_not_booked": (
            client,
            lambda: "/schedules/?status=open_not_booked",
        ),
        "/calendar/ (today, all clinicians)": (client, lambda: "/calendar/"),
        "/calendar/?view=week&key=<clinician>": (
            client,
            lambda: f"/calendar/?view=week&key={clinician.pk}",
        ),
    }
    if not ready:
        del pages[INJECTION_FORM]
    if only:  # the floor and /healthz are always measured: the figures are multiples of them
        pages = {
            name: page
            for name, page in pages.items()
            if name in (BASELINE, FLOOR) or any(word in name for word in only)
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
            results[name].sql_ms = sql_median(
                lambda page=page: get(page), min(n, 50), name, show_queries
            )
        export = (
            time_export(client, repeats=max(3, min(n // 10, 10)))
            if not only or any(word in EXPORT_URL for word in only)
            else None
        )
    report(results, pool_size=len(pool))
    if export is not None:
        report_export(export, floor_p50=statistics.median(results[FLOOR].timings))
    return results


@dataclass
class ExportResult:
    timings: list[float] = field(default_factory=list)
    floors: list[float] = field(default_factory=list)
    rows: int = 0
    size: int = 0
    queries: int = 0
    peak_kib: float = 0.0


def time_export(client: Any, repeats: int) -> ExportResult:
    """The CSV export of every row of the schedules, read to its last byte as a browser
    would, each time next to a request for /bench/floor so both meet the same moment."""
    import tracemalloc

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def download() -> bytes:
        response = client.get(EXPORT_URL)
        if response.status_code != 200:
            sys.exit(f"GET {EXPORT_URL} answered {response.status_code}, not 200")
        return b"".join(response.streaming_content)

    result = ExportResult()
    with CaptureQueriesContext(connection) as ctx:
        body = download()
    result.queries = len(ctx.captured_queries)
    result.rows = body.count(b"\n") - 1  # less the header line
    result.size = len(body)
    del body
    tracemalloc.start()
    for chunk in client.get(EXPORT_URL).streaming_content:  # peak memory while streaming
        del chunk
    result.peak_kib = tracemalloc.get_traced_memory()[1] / 1024
    tracemalloc.stop()
    for _ in range(repeats):
        for url, timings in ((FLOOR_URL, result.floors), (EXPORT_URL, result.timings)):
            started = time.perf_counter()
            if url == EXPORT_URL:
                download()
            else:
                client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
    return result


def report_export(result: ExportResult, floor_p50: float) -> None:
    p50 = statistics.median(result.timings)
    floor_here = statistics.median(result.floors)
    print(
        f"\nCSV export of the whole schedules view ({EXPORT_URL}), {len(result.timings)} times, "
        f"each next to /bench/floor: {result.rows:,} rows, {result.size / 1024:,.0f} KiB, "
        f"{result.queries} queries; p50 {p50:,.0f} ms = {p50 / floor_here:,.0f}x floor "
        f"({floor_here:.2f} ms; {floor_p50:.2f} ms in the page run), "
        f"{result.rows / (p50 / 1000):,.0f} rows/s, {p50 / max(result.rows, 1):.3f} ms a row; "
        f"peak Python memory while streaming {result.peak_kib:,.0f} KiB."
    )


def report(results: dict[str, PageResult], pool_size: int) -> None:
    baseline = percentile(results[BASELINE].timings, 95)
    floor_p50 = statistics.median(results[FLOOR].timings)
    floor = percentile(results[FLOOR].timings, 95)
    print(
        f"\n{len(results[BASELINE].timings)} requests a page, interleaved, after a warm-up; "
        f"patient pages drawn at random from {pool_size} patients in maintenance after 3-4 "
        "cycles. x floor: the page's time over that of /bench/floor, the empty signed-in staff "
        f"page (p50 {floor_p50:.2f} ms, p95 {floor:.2f} ms). SQL ms: median time a request "
        "spends in cursor.execute (where SQLite computes up to the first row).\n"
    )
    header = (
        f"{'page':<38} {'p50 x floor':>11} {'p95 x floor':>11} {'p50 ms':>7} {'p95 ms':>7} "
        f"{'max ms':>7} {'p95/healthz':>11} {'queries':>7} {'SQL ms':>7}"
    )
    print(header)
    print("-" * len(header))
    verdicts = []
    for name, result in results.items():
        values = result.timings
        p50, p95, top = statistics.median(values), percentile(values, 95), max(values)
        print(
            f"{name:<38} {p50 / floor_p50:10.2f}x {p95 / floor:10.2f}x {p50:7.2f} {p95:7.2f} "
            f"{top:7.2f} {p95 / baseline:10.1f}x {result.queries:7d} {result.sql_ms:7.2f}"
        )
        if name not in (BASELINE, FLOOR):
            ok_ms, ok_ratio = p95 <= TARGET_P95_MS, p95 / baseline <= TARGET_RATIO
            verdicts.append(
                f"  {name:<38} p95 <= {TARGET_P95_MS:.0f} ms: {'met' if ok_ms else 'NOT met':<8}"
                f" p95 <= {TARGET_RATIO:.0f}x /healthz: {'met' if ok_ratio else 'NOT met'}"
            )
    print("\nTargets:")
    print("\n".join(verdicts))


def report_growth(by_size: dict[int, dict[str, PageResult]], chart: str | None = None) -> None:
    """Each page's multiple of /bench/floor at each clinic size, how it grows from the
    smallest size to the largest, and the pages that miss issue 12's targets (bench/growth.py);
    with `chart`, the p95 multiples drawn into that SVG file."""
    from bench import growth

    sizes = sorted(by_size)
    rows = growth.growths(
        {
            size: {
                name: growth.ratios(result.timings, by_size[size][FLOOR].timings)
                for name, result in by_size[size].items()
                if name != FLOOR
            }
            for size in sizes
        },
        exempt=(BASELINE,),
    )
    print(
        f"\nTime over /bench/floor by clinic size ({backend().label}), p50 (p95); growth "
        f"{sizes[0]:,} -> {sizes[-1]:,}"
    )
    print("\n".join(growth.table(rows)))
    floors = ", ".join(
        f"{size:,}: {statistics.median(by_size[size][FLOOR].timings):.2f} ms" for size in sizes
    )
    print(f"/bench/floor p50 by size: {floors}")
    if chart:
        title = f"Staff pages over the floor by clinic size, {backend().label} (bench/run.py)"
        Path(chart).write_text(growth.svg([r for r in rows if r.page != BASELINE], title))
        print(f"Chart written to {chart}")


def prepare(patients: int, reseed: bool) -> None:
    """Point at the database of this size, seeding it first when it is missing or stale."""
    from django.core.management import call_command

    from patients.models import Patient
    from treatments.models import Course, CourseTransition, InjectionSession, InjectionSite

    path = use_database(patients)
    shown = backend().shown(patients)
    if reseed or seeded_patients(path) != patients:
        started = time.perf_counter()
        recreate_database(path)
        migrated = time.perf_counter()
        seed(patients)
        done = time.perf_counter()
        print(
            f"Seeded {shown}: migrate {migrated - started:.1f} s, "
            f"seed {done - migrated:.1f} s, total {done - started:.1f} s"
        )
    else:
        call_command("migrate", verbosity=0, interactive=False)  # new indexes, if any
        print(f"Re-using {shown} (--reseed to rebuild it)")
    print(f"Today's calendar: {book_day()} visits (booked with bulk rows if fewer than 28)")
    print(
        f"Rows: {Patient.objects.count()} patients, {Course.objects.count()} courses, "
        f"{InjectionSession.objects.count()} sessions, {InjectionSite.objects.count()} sites, "
        f"{CourseTransition.objects.count()} transitions; {backend().version()}"
    )


def clock_set(clock: str, parser: argparse.ArgumentParser) -> None:
    """Move the clock to `clock` today in the clinic's time zone, ticking on from there (the
    timings use perf_counter, which time-machine leaves alone)."""
    from datetime import datetime
    from datetime import time as day_time

    import time_machine
    from django.utils import timezone

    if clock == "now":
        return
    try:
        at = day_time.fromisoformat(clock)
    except ValueError:
        parser.error("--clock takes HH:MM (e.g. 14:30) or 'now'")
    moment = timezone.make_aware(datetime.combine(timezone.localdate(), at))
    time_machine.travel(moment, tick=True).start()
    print(f"Clock: {timezone.localtime(moment):%Y-%m-%d %H:%M %Z} (--clock)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200, help="requests a page (default 200)")
    parser.add_argument("--warmup", type=int, default=20, help="warm-up requests a page")
    parser.add_argument("--patients", type=int, default=10_000, help="patients to seed")
    parser.add_argument(
        "--sizes",
        help="comma-separated clinic sizes (e.g. 1000,10000): seed and measure each, then "
        "show how each page's time over /bench/floor grows with the number of patients",
    )
    parser.add_argument("--reseed", action="store_true", help="rebuild the bench database(s)")
    parser.add_argument(
        "--chart", help="with --sizes, write the growth chart to this SVG file (docs/growth.svg)"
    )
    parser.add_argument(
        "--show-queries", action="store_true", help="print each page's SQL with its time"
    )
    parser.add_argument(
        "--only",
        help="comma-separated words: measure only the pages whose name holds one (and the "
        "floor, and the export when a word is in its URL), e.g. schedules,calendar",
    )
    parser.add_argument(
        "--clock",
        default="14:30",
        help="the clinic's time of day to measure at, HH:MM (default 14:30: the calendar's "
        "seeded visits have begun); 'now' for the real clock",
    )
    args = parser.parse_args()
    if args.n < 2:
        parser.error("--n must be at least 2")
    try:
        sizes = [int(size) for size in args.sizes.split(",")] if args.sizes else [args.patients]
    except ValueError:
        parser.error("--sizes takes whole numbers separated by commas, e.g. 1000,10000")
    if any(size < 100 for size in sizes):
        parser.error("a clinic needs at least 100 patients to have enough to measure")

    only = [word for word in args.only.split(",") if word] if args.only else None
    configure(sizes[0])
    clock_set(args.clock, parser)
    by_size = {}
    for size in sizes:
        print(f"\n=== {size:,} patients, {backend().label} ===")
        prepare(size, args.reseed)
        by_size[size] = measure(args.n, args.warmup, args.show_queries, only)
    if len(sizes) > 1:
        report_growth(by_size, args.chart)


if __name__ == "__main__":
    main()
