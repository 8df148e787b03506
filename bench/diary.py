"""Benchmark the headache diary on a clinic of 10,000 patients with two years of daily entries.

Run from the project root:  .venv/bin/python bench/diary.py [--n 200] [--reseed] [--show-queries]
                            .venv/bin/python bench/diary.py --sizes 1000,10000 --n 60

Each clinic size has its own copy of run.py's bench database, bench/bench-diary-<patients>.sqlite3
(git-ignored), copied from bench/bench-<patients>.sqlite3 (seeded by run.py's code first when
missing), migrated, then given two years of diary once (re-used unless --reseed): each patient a
portal login, a list of acute medicines, one DiaryEntry a recorded day (headache days falling
after the injection sessions the patient had, some patients overusing acute medicines, some
recording too few days) and a DiaryEntryMedicine for each medicine taken, by raw executemany in
one transaction. Then it times, interleaved after a warm-up with /bench/floor, the staff patient
page (which carries the diary card and chart), the card's figures and chart alone (no page of
their own is routed), and the clinician's list of flagged patients (/diary/flagged/, its first
and last page), which reads each patient's stored standing; then the patient's diary POST
through the portal, each a different day of a different patient. Before timing, every
patient's standing is judged as of today in this process (the nightly sweep's work, timed)
when the database does not hold today's yet.
"""

from __future__ import annotations

import argparse
import random
import secrets
import shutil
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import run
from bench.run import FLOOR, FLOOR_URL, PageResult, percentile

DAYS = 730  # two years of diary, up to yesterday (today is left for the POSTs)
BATCH = 50_000
FIGURES = "diary card + chart (no HTTP)"
PATIENT_PAGE = "/patients/<pk>/ (diary card, chart)"
FLAGGED = "/diary/flagged/ (any flag, page 1)"
FLAGGED_LAST = "/diary/flagged/ (any flag, last page)"
MEDICINES = [
    ("Sumatriptan 50 mg", "triptan"),
    ("Rizatriptan 10 mg", "triptan"),
    ("Ibuprofen 400 mg", "simple"),
    ("Paracetamol 1 g", "simple"),
    ("Co-codamol 30/500", "combination"),
    ("Metoclopramide 10 mg", "other"),
]


def diary_db_path(patients: int) -> Path:
    return run.BENCH_DIR / f"bench-diary-{patients}.sqlite3"


# --- seeding -------------------------------------------------------------------------------


def prepare(patients: int, reseed: bool) -> None:
    """Point at this size's diary database: copied from run.py's bench database, migrated, and
    seeded with the diary when it is missing or --reseed is given."""
    from django.core.management import call_command
    from django.db import connection

    source, path = run.db_path(patients), diary_db_path(patients)
    if reseed or not path.exists():
        if run.seeded_patients(run.use_database(patients)) != patients:
            run.prepare(patients, reseed=False)  # seeds bench-<patients>.sqlite3 as run.py does
        connection.close()
        for suffix in ("", "-journal", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(source, path)
    connection.close()
    connection.settings_dict["NAME"] = str(path)
    call_command("migrate", verbosity=0, interactive=False)
    from diary.models import DiaryEntry

    if DiaryEntry.objects.exists():
        print(f"Re-using {path.relative_to(run.ROOT)} (--reseed to rebuild it)")
    else:
        started = time.perf_counter()
        counts = seed_diary()
        took = time.perf_counter() - started
        print(
            f"Seeded the diary into {path.relative_to(run.ROOT)} in {took:.1f} s: "
            + ", ".join(f"{n:,} {what}" for what, n in counts.items())
            + f" ({counts['entries'] / took:,.0f} entries a second)"
        )
    run.book_day()
    from django.utils import timezone

    standings_judge(timezone.localdate())
    from diary.models import DiaryEntryMedicine

    print(
        f"Rows: {DiaryEntry.objects.count():,} diary entries, "
        f"{DiaryEntryMedicine.objects.count():,} medicines taken; SQLite "
        f"{connection.Database.sqlite_version}"
    )


@dataclass
class Profile:
    """How one patient's headaches go and how they keep the diary."""

    headache: float  # chance of a headache day before treatment
    reduction: float  # the fraction of those days an effective cycle takes away
    record: float  # chance a day is recorded
    overuse: bool
    migraine: float  # chance a headache day has migraine features


def profile(rng: random.Random) -> Profile:
    kind = rng.random()
    reduction = (
        rng.uniform(0.35, 0.7) if kind < 0.55 else rng.uniform(0.1, 0.3) if kind < 0.8 else 0.05
    )
    return Profile(
        headache=rng.uniform(0.5, 0.85),
        reduction=reduction,
        record=rng.uniform(0.4, 0.65) if rng.random() < 0.1 else rng.uniform(0.9, 1.0),
        overuse=rng.random() < 0.15,
        migraine=rng.uniform(0.4, 0.8),
    )


def effect(day: date, sessions: list[date], reduction: float) -> float:
    """The fraction of headache days the latest session before `day` takes away: building over
    its first two weeks, full to week 10, waning after (re-treatment is due at 12 weeks)."""
    before = [s for s in sessions if s <= day]
    if not before:
        return 0.0
    since = (day - before[-1]).days
    cycles = min(len(before), 4)
    full = min(0.85, reduction * (1 + 0.1 * (cycles - 1)))
    if since < 14:
        return full * since / 14
    if since <= 70:
        return full
    return full * max(0.3, 1 - (since - 70) / 60)


def seed_diary() -> dict[str, int]:
    """Portal logins, medicine lists, entries and medicines taken: raw executemany through
    Django's cursor, in batches, in one transaction."""
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction
    from django.utils import timezone

    from diary.models import AcuteMedicine, DiaryEntry, DiaryEntryMedicine
    from patients.models import Patient
    from treatments.models import InjectionSession

    rng = random.Random(2610)
    today = timezone.localdate()
    first = today - timedelta(days=DAYS)
    now = timezone.now().replace(tzinfo=None).isoformat(" ")  # as Django stores UTC on SQLite
    patients = list(
        Patient.objects.filter(clinic__slug=run.CLINIC_SLUG)
        .order_by("pk")
        .values_list("pk", "user_id")
    )
    sessions: dict[int, list[date]] = {}
    for patient_id, day in InjectionSession.objects.filter(
        course__patient__clinic__slug=run.CLINIC_SLUG
    ).values_list("course__patient_id", "session_date"):
        sessions.setdefault(patient_id, []).append(day)
    for days in sessions.values():
        days.sort()
    counts = {"portal logins": 0, "medicines": 0, "entries": 0, "medicines taken": 0}
    if not connection.in_atomic_block:  # (a test's transaction may not change it)
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous = OFF")  # a throwaway database
    with transaction.atomic(), connection.cursor() as cursor:
        # A portal login for each patient without one (a throwaway login: no usable password).
        User = get_user_model()
        missing = [pk for pk, user_id in patients if user_id is None]
        User.objects.bulk_create(
            [
                User(username=f"bench.patient.{pk}", password="!bench", is_active=True)  # noqa: S106
                for pk in missing
            ],
            batch_size=5000,
        )
        users = dict(
            User.objects.filter(username__startswith="bench.patient.").values_list("username", "pk")
        )
        cursor.executemany(
            f"UPDATE {Patient._meta.db_table} SET user_id = %s WHERE id = %s",  # noqa: S608
            [(users[f"bench.patient.{pk}"], pk) for pk in missing],
        )
        counts["portal logins"] = len(missing)
        user_of = dict(
            Patient.objects.filter(clinic__slug=run.CLINIC_SLUG).values_list("pk", "user_id")
        )

        medicine_table = AcuteMedicine._meta.db_table
        next_medicine = (
            AcuteMedicine.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        ) + 1
        next_entry = (
            DiaryEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        ) + 1
        lists: dict[int, list[tuple[int, str]]] = {}
        medicine_rows = []
        for patient_id, _ in patients:
            chosen = [MEDICINES[rng.randrange(2)], *rng.sample(MEDICINES[2:], rng.randint(1, 3))]
            lists[patient_id] = []
            for name, medicine_class in chosen:
                medicine_rows.append((next_medicine, patient_id, name, medicine_class, True))
                lists[patient_id].append((next_medicine, medicine_class))
                next_medicine += 1
        cursor.executemany(
            f"INSERT INTO {medicine_table} (id, patient_id, name, medicine_class, active) "  # noqa: S608
            "VALUES (%s, %s, %s, %s, %s)",
            medicine_rows,
        )
        counts["medicines"] = len(medicine_rows)

        entry_columns = [
            "id", "patient_id", "day", "headache", "started_at", "duration_hours", "severity",
            "pain_score", "throbbing", "one_sided", "worse_with_activity", "nausea",
            "light_sound_sensitivity", "aura", "activity_effect", "note", "entered_by_id",
            "on_behalf", "created_at", "updated_at",
        ]  # fmt: skip
        entry_sql = (
            f"INSERT INTO {DiaryEntry._meta.db_table} ({', '.join(entry_columns)}) "  # noqa: S608
            f"VALUES ({', '.join(['%s'] * len(entry_columns))})"
        )
        taken_sql = (
            f"INSERT INTO {DiaryEntryMedicine._meta.db_table} (entry_id, medicine_id, doses) "  # noqa: S608
            "VALUES (%s, %s, %s)"
        )
        entries: list[tuple[Any, ...]] = []
        taken: list[tuple[int, int, int]] = []
        days = [first + timedelta(days=i) for i in range(DAYS)]
        day_text = [d.isoformat() for d in days]
        for patient_id, _ in patients:
            p = profile(rng)
            own = sessions.get(patient_id, [])
            medicines = lists[patient_id]
            specific = [m for m, c in medicines if c in ("triptan", "combination")]
            simple = [m for m, c in medicines if c == "simple"]
            user_id = user_of[patient_id]
            for i, day in enumerate(days):
                if rng.random() >= p.record:
                    continue
                chance = p.headache * (1 - effect(day, own, p.reduction))
                entry_id = next_entry
                next_entry += 1
                if rng.random() >= chance:
                    entries.append(
                        (entry_id, patient_id, day_text[i], False, None, None, "", None,
                         False, False, False, False, False, False, "none", "", user_id,
                         False, now, now)
                    )  # fmt: skip
                else:
                    migraine = rng.random() < p.migraine
                    severity = rng.choice(
                        ("moderate", "severe", "severe") if migraine else ("mild", "moderate")
                    )
                    entries.append(
                        (entry_id, patient_id, day_text[i], True,
                         f"{rng.randint(5, 22):02d}:{rng.choice((0, 15, 30, 45)):02d}:00",
                         str(round(rng.uniform(1, 24 if migraine else 8), 1)), severity,
                         rng.randint(6, 10) if migraine else rng.randint(2, 6),
                         migraine and rng.random() < 0.8, migraine and rng.random() < 0.6,
                         migraine and rng.random() < 0.7, migraine and rng.random() < 0.6,
                         migraine and rng.random() < 0.8, migraine and rng.random() < 0.15,
                         rng.choice(("none", "reduced", "missed")), "", user_id, False, now, now)
                    )  # fmt: skip
                    took = rng.random()
                    if specific and took < (0.75 if p.overuse else 0.3 if migraine else 0.05):
                        taken.append((entry_id, rng.choice(specific), rng.randint(1, 2)))
                    if simple and rng.random() < (0.6 if p.overuse else 0.3):
                        taken.append((entry_id, rng.choice(simple), rng.randint(1, 4)))
                if len(entries) >= BATCH:
                    counts["entries"] += len(entries)
                    cursor.executemany(entry_sql, entries)
                    entries.clear()
                if len(taken) >= BATCH:
                    counts["medicines taken"] += len(taken)
                    cursor.executemany(taken_sql, taken)
                    taken.clear()
        counts["entries"] += len(entries)
        counts["medicines taken"] += len(taken)
        cursor.executemany(entry_sql, entries)
        cursor.executemany(taken_sql, taken)
    if not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return counts


# --- the stored standings ------------------------------------------------------------------


def standings_judge(today: date) -> None:
    """Judge every candidate's standing as of `today` in this process, as the nightly sweep's
    chunks do on the workers, unless the database holds today's already; print the rate."""
    from diary.models import DiaryStanding
    from diary.services.standing import diary_standings_refresh, standing_candidates

    ids = standing_candidates(today=today)
    if DiaryStanding.objects.filter(as_of=today).count() == len(ids):
        print(f"Re-using today's standings of {len(ids):,} patients")
        return
    started = time.perf_counter()
    judged = diary_standings_refresh(ids, today=today)
    took = time.perf_counter() - started
    print(
        f"Judged {judged:,} standings (the nightly sweep's work, one process) in {took:.1f} s: "
        f"{judged / took:,.0f} patients a second, {took * 1000 / max(judged, 1):.2f} ms each"
    )


# --- measuring ------------------------------------------------------------------------------


@dataclass
class PostResult:
    timings: list[float] = field(default_factory=list)
    queries: list[int] = field(default_factory=list)


def measure(n: int, warmup: int, show_queries: bool, posts: int) -> dict[str, PageResult]:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings
    from django.utils import timezone
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from botoxcare.models import Clinic
    from botoxcare.two_factor.services import totp_device_add
    from diary.chart import diary_chart
    from diary.standing_selectors import PAGE_SIZE, flagged_counts
    from pages.staff.diary_card import diary_card
    from patients.models import Patient
    from treatments.models import Course

    rng = random.Random(10)
    today = timezone.localdate()
    clinic = Clinic.objects.get(slug=run.CLINIC_SLUG)
    clinician = get_user_model().objects.get(username=run.CLINICIAN)
    app = TOTPDevice.objects.filter(user=clinician, confirmed=True).first() or totp_device_add(
        user=clinician, key="0" * 40
    )
    client = Client()
    client.force_login(clinician)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = app.persistent_id  # past the two-factor code, as run.py
    session.save()
    pool = list(Patient.objects.filter(clinic=clinic).values_list("pk", flat=True))
    flag_counts = flagged_counts(clinic=clinic)
    last_page = max(1, -(-flag_counts.flagged // PAGE_SIZE))

    def figures_and_chart() -> None:
        patient = Patient.objects.select_related("clinic").get(pk=rng.choice(pool))
        course = Course.objects.filter(patient=patient).order_by("-pk").first()
        card = diary_card(patient, course, rules=patient.clinic.settings, today=today)
        s = card.summary
        diary_chart(s.periods, [c.session_date for c in s.cycles]).svg  # noqa: B018

    def get(url: str) -> Callable[[], None]:
        def call() -> None:
            response = client.get(url() if callable(url) else url)
            if response.status_code != 200:
                sys.exit(f"GET answered {response.status_code}, not 200")

        return call

    jobs: dict[str, Callable[[], None]] = {
        FLOOR: get(FLOOR_URL),
        PATIENT_PAGE: get(lambda: f"/patients/{rng.choice(pool)}/"),  # type: ignore[arg-type]
        FIGURES: figures_and_chart,
        FLAGGED: get("/diary/flagged/"),
        FLAGGED_LAST: get(f"/diary/flagged/?page={last_page}"),
    }
    results = {name: PageResult() for name in jobs}
    with override_settings(ROOT_URLCONF=run.bench_urlconf()):
        spread: dict[str, set[int]] = {}
        for name, job in jobs.items():  # queries, on several patients: constant, or not
            counts = set()
            for _ in range(10 if name in (PATIENT_PAGE, FIGURES) else 3):
                with CaptureQueriesContext(connection) as ctx:
                    job()
                counts.add(len(ctx.captured_queries))
            results[name].queries = max(counts)
            spread[name] = counts
        for _ in range(warmup):
            for job in jobs.values():
                job()
        names = list(jobs)
        for _round in range(n):
            rng.shuffle(names)
            for name in names:
                started = time.perf_counter()
                jobs[name]()
                results[name].timings.append((time.perf_counter() - started) * 1000)
        for name, job in jobs.items():  # time in SQL, apart from the timed runs
            repeats = min(n, 20)
            results[name].sql_ms = run.sql_median(job, repeats, name, show_queries)
        post = time_posts(posts, client, today)
    report(results, spread, flag_counts, post, len(pool))
    return results


def time_posts(count: int, staff: Any, today: date) -> PostResult:
    """The patient's diary POST through the portal (/portal/diary/day/<day>/, with a fresh
    form token as the page gives), each a different patient's unrecorded day (today, which
    the seed leaves for this), alternating with /bench/floor. Each patient is signed in
    before the clock starts; the entries, audit rows and tokens written are deleted after, so
    a rerun meets the same database."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from diary.models import DiaryEntry
    from patients.models import Patient

    rng = random.Random(11)
    recorded = DiaryEntry.objects.filter(day=today).values_list("patient_id", flat=True)
    free = list(
        Patient.objects.filter(clinic__slug=run.CLINIC_SLUG, user__isnull=False)
        .exclude(pk__in=recorded)
        .values_list("pk", "user_id")
    )
    chosen = rng.sample(free, min(count, len(free)))
    users = {u.pk: u for u in get_user_model().objects.filter(pk__in=[u for _, u in chosen])}
    browsers = []
    for _, user_id in chosen:
        browser = Client()
        browser.force_login(users[user_id])
        browsers.append(browser)
    url = f"/portal/diary/day/{today.isoformat()}/"

    def form() -> dict[str, str]:
        severe = rng.random() < 0.5
        return {
            "form_token": secrets.token_hex(16),
            "headache": "yes",
            "started_at": "07:30",
            "duration_hours": "6",
            "severity": "severe" if severe else "moderate",
            "pain_score": "8" if severe else "5",
            "features": ["throbbing", "nausea"],
            "activity_effect": "reduced",
            "note": "",
        }  # type: ignore[dict-item]

    result = PostResult()
    try:
        for i, browser in enumerate(browsers):
            data = form()
            if i == 0:
                with CaptureQueriesContext(connection) as ctx:
                    response = browser.post(url, data)
                result.queries.append(len(ctx.captured_queries))
            else:
                started = time.perf_counter()
                response = browser.post(url, data)
                result.timings.append((time.perf_counter() - started) * 1000)
            if response.status_code != 302:
                body = response.content.decode()[:2000]
                sys.exit(f"POST {url} answered {response.status_code}, not 302:\n{body}")
            staff.get(FLOOR_URL)  # a page between, as other traffic would be
    finally:
        written = DiaryEntry.objects.filter(day=today, patient_id__in=[p for p, _ in chosen])
        written.delete()
        from botoxcare.models import FormSubmission

        FormSubmission.objects.filter(user_id__in=users).delete()
    return result


def report(
    results: dict[str, PageResult],
    spread: dict[str, set[int]],
    counts: Any,
    post: PostResult,
    patients: int,
) -> None:
    floor_p50 = statistics.median(results[FLOOR].timings)
    floor_p95 = percentile(results[FLOOR].timings, 95)
    print(
        f"\n{len(results[FLOOR].timings)} runs each, interleaved, after a warm-up; patients "
        f"drawn at random from {patients:,}. x floor: time over /bench/floor, the empty signed-in "
        f"staff page (p50 {floor_p50:.2f} ms, p95 {floor_p95:.2f} ms).\n"
    )
    header = (
        f"{'what':<38} {'p50 x floor':>11} {'p95 x floor':>11} {'p50 ms':>8} {'p95 ms':>8} "
        f"{'queries':>9} {'SQL ms':>8}  4x target"
    )
    print(header)
    print("-" * len(header))
    for name, result in results.items():
        p50, p95 = statistics.median(result.timings), percentile(result.timings, 95)
        queries = "/".join(str(q) for q in sorted(spread[name]))
        verdict = (
            "" if name == FLOOR else "met" if p95 / floor_p95 <= run.TARGET_RATIO else "NOT met"
        )
        print(
            f"{name:<38} {p50 / floor_p50:10.2f}x {p95 / floor_p95:10.2f}x {p50:8.2f} {p95:8.2f} "
            f"{queries:>9} {result.sql_ms:8.2f}  {verdict}"
        )
    print(
        f"\nStandings: {counts.keeping:,} patients keeping a diary with a course under way, "
        f"{counts.flagged:,} with a flag ({counts.by_flag})"
    )
    if post.timings:
        p50, p95 = statistics.median(post.timings), percentile(post.timings, 95)
        print(
            f"Diary POST /portal/diary/day/<today>/ ({len(post.timings) + 1} patients, one day "
            f"each): p50 {p50:.2f} ms, p95 {p95:.2f} ms = {p95 / floor_p95:.2f}x floor p95, "
            f"{post.queries[0]} queries; {1000 / statistics.mean(post.timings):,.0f} requests a "
            "second one at a time (the mean of the POSTs alone)"
        )


def report_growth(by_size: dict[int, dict[str, PageResult]]) -> None:
    run.report_growth(by_size)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200, help="runs of each (default 200)")
    parser.add_argument("--warmup", type=int, default=10, help="warm-up runs of each")
    parser.add_argument("--posts", type=int, default=300, help="diary POSTs (default 300)")
    parser.add_argument("--patients", type=int, default=10_000, help="patients")
    parser.add_argument("--sizes", help="comma-separated clinic sizes, e.g. 1000,10000")
    parser.add_argument("--reseed", action="store_true", help="rebuild the diary database(s)")
    parser.add_argument("--show-queries", action="store_true", help="print the SQL with times")
    args = parser.parse_args()
    if min(args.n, args.posts) < 2:
        parser.error("--n and --posts must be at least 2")
    sizes = [int(s) for s in args.sizes.split(",")] if args.sizes else [args.patients]
    run.configure(sizes[0])
    by_size = {}
    for size in sizes:
        print(f"\n=== {size:,} patients, {DAYS} days of diary ===")
        prepare(size, args.reseed)
        by_size[size] = measure(args.n, args.warmup, args.show_queries, args.posts)
    if len(sizes) > 1:
        report_growth(by_size)


if __name__ == "__main__":
    main()
