"""Requests a second under gunicorn on PostgreSQL, measured with wrk (issue 12's HTTP bench).

Run from the project root (PostgreSQL only; the server of DATABASE_URL, the bench's database
bench_<patients>, seeded by bench/run.py's code first when missing):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/http_bench.py
    ... bench/http_bench.py --patients 10000 --seconds 10 --connections 8 --workers 2 --port 8040

gunicorn serves the app with gunicorn.conf.py (sync workers, --workers of them, on 127.0.0.1
only, access log off, max_requests off so that no worker restarts in the middle of a page's
run) and bench/settings.py (the project's settings with /bench/floor), persistent database
connections (CONN_MAX_AGE=600), DEBUG off. The sessions are made in this process with the
session engine (a clinician past two-factor, as bench/run.py's signed_in() leaves one; a
search kept in a session of its own; a patient of the clinic with a portal login) and given
to wrk as cookies. Each page is checked once with urllib (200, or the POST's 302 to the
diary), warmed for two seconds, then run by wrk for --seconds with --connections: the floor,
the patient list, a search, the patient page (random patients in maintenance), the portal
home, the diary POST (a Lua script: a fresh form token each request, the same day rewritten),
and the floor again; the floor's figure is the mean of its two runs. The diary entries and
form tokens written are deleted after. gunicorn is stopped in a `finally`.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import run
from bench.wrk import WrkResult, lua_script, parse

TARGET_SHARE = 0.40  # the list and the patient page: >= 40% of the floor's requests a second
FLOOR = "/bench/floor"
LIST, SEARCH, PATIENT = "/patients/", "/patients/ searching 'smith'", "/patients/<pk>/"
PORTAL, POST = "/portal/ (patient)", "POST /portal/diary/day/<today>/"


@dataclass
class Page:
    name: str
    paths: list[str]
    cookies: dict[str, str]
    method: str = "GET"
    body: str = ""  # form fields; the Lua script adds form_token=<fresh> to each
    expect: int = 200


def sessions(patients: int) -> tuple[list[Page], Any]:
    """The pages, with cookies of sessions made here; and the clean-up to call after."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.middleware.csrf import _get_new_csrf_string
    from django.test import Client
    from django.utils import timezone

    from diary.models import DiaryEntry
    from patients.models import Patient
    from treatments.models import State

    User = get_user_model()
    clinician = User.objects.get(username=run.CLINICIAN)
    cookie = settings.SESSION_COOKIE_NAME

    def staff(search: dict[str, str] | None = None) -> dict[str, str]:
        browser = run.staff_browser(clinician, search)
        return {cookie: browser.cookies[cookie].value}

    pool = run.patients_at(State.MAINTENANCE, sessions=3)
    rng = random.Random(12)
    chosen = rng.sample(pool, min(200, len(pool)))
    # A patient of the clinic with a portal login (a throwaway one, made once; no password).
    patient = Patient.objects.get(pk=pool[0])
    user = patient.user
    if user is None:
        name = f"bench.patient.{patient.pk}"
        user = User.objects.create(username=name, password="!")  # noqa: S106 (unusable)
        patient.user = user
        patient.save(update_fields=["user"])
    browser = Client()
    browser.force_login(user)
    portal = {cookie: browser.cookies[cookie].value}
    csrf = _get_new_csrf_string()
    today = timezone.localdate()
    signed = staff()
    pages = [
        Page(FLOOR, [FLOOR], signed),
        Page(LIST, ["/patients/"], signed),
        Page(SEARCH, ["/patients/"], staff({"q": "smith"})),
        Page(PATIENT, [f"/patients/{pk}/" for pk in chosen], signed),
        Page(PORTAL, ["/portal/"], portal),
        Page(
            POST,
            [f"/portal/diary/day/{today.isoformat()}/"],
            {**portal, settings.CSRF_COOKIE_NAME: csrf},
            method="POST",
            body=(
                f"csrfmiddlewaretoken={csrf}&headache=yes&started_at=07%3A30&duration_hours=6"
                "&severity=moderate&pain_score=5&features=throbbing&features=nausea"
                "&activity_effect=reduced&note="
            ),
            expect=302,
        ),
    ]

    def clean_up() -> None:
        from botoxcare.models import FormSubmission

        DiaryEntry.objects.filter(patient=patient, day=today).delete()
        FormSubmission.objects.filter(user=user).delete()

    return pages, clean_up


def check(base: str, page: Page) -> None:
    """One request with urllib, redirects not followed: wrk counts any 3xx as a success,
    and a page that sends the bench to the sign-in page must not be measured."""

    class NoRedirects(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: Any, **kwargs: Any) -> None:
            return None

    data = None
    if page.method == "POST":
        data = f"{page.body}&form_token={os.urandom(16).hex()}".encode()
    request = urllib.request.Request(  # noqa: S310 (127.0.0.1 only)
        base + page.paths[0],
        data=data,
        headers={"Cookie": "; ".join(f"{k}={v}" for k, v in page.cookies.items())},
    )
    try:
        with urllib.request.build_opener(NoRedirects()).open(request, timeout=30) as answer:
            status = answer.status
    except urllib.error.HTTPError as answer:
        status = answer.code
    if status != page.expect:
        sys.exit(f"{page.method} {page.paths[0]} answered {status}, not {page.expect}")


def serve(database_url: str, port: int, workers: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "BOTOXCARE_ENV": "local",
        "DEBUG": "False",
        "LOG_LEVEL": "WARNING",
        "CONN_MAX_AGE": "600",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": str(workers),
        "GUNICORN_ACCESS_LOG": "/dev/null",
        "GUNICORN_LOG_LEVEL": "warning",
        "GUNICORN_MAX_REQUESTS": "0",  # no restart in the middle of a page's run
    }
    env.pop("REDIS_URL", None)  # the cache in each worker's memory, as the in-process bench
    return subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "botoxcare.wsgi:application"],
        cwd=run.ROOT,
        env=env,
        start_new_session=True,
    )


def wait_until_up(base: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"gunicorn exited with {server.returncode}")
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=5):  # noqa: S310
                return
        except OSError:  # refused, reset, timed out (URLError is one)
            time.sleep(0.2)
    sys.exit("gunicorn did not answer within 60 s")


def stop(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)  # gunicorn's own process group: master, workers
        try:
            server.wait(timeout=35)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def wrk(base: str, page: Page, seconds: int, connections: int, folder: Path) -> WrkResult:
    script = folder / "page.lua"
    script.write_text(lua_script(page.paths, page.cookies, page.method, page.body))
    answer = subprocess.run(  # noqa: S603
        [
            shutil.which("wrk") or "wrk",
            "-t1",
            f"-c{connections}",
            f"-d{seconds}s",
            "--latency",
            "--timeout",
            "10s",
            "-s",
            str(script),
            base,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return parse(answer.stdout)


def report(results: dict[str, WrkResult], floors: list[WrkResult]) -> None:
    floor = sum(r.rps for r in floors) / len(floors)
    print(
        f"\nfloor: {' and '.join(f'{r.rps:.0f}' for r in floors)} requests/s (first and last "
        f"run; mean {floor:.0f})\n"
    )
    header = f"{'page':<34} {'req/s':>8} {'x floor':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}"
    print(header)
    print("-" * len(header))
    for name, result in results.items():
        share = result.rps / floor
        errors = result.non_2xx_3xx + result.socket_errors
        print(
            f"{name:<34} {result.rps:8.1f} {share:7.0%} {result.p50_ms:8.1f} "
            f"{result.p99_ms:8.1f} {errors:7d}"
        )
    print(f"\nTarget: the patient list and the patient page >= {TARGET_SHARE:.0%} of the floor's")
    for name in (LIST, PATIENT):
        share = results[name].rps / floor
        print(f"  {name:<32} {share:.0%}: {'met' if share >= TARGET_SHARE else 'NOT met'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=10_000)
    parser.add_argument("--seconds", type=int, default=10, help="wrk's time a page")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn's workers")
    parser.add_argument("--port", type=int, default=8040)
    args = parser.parse_args()
    if not run.backend().postgres:
        parser.error("the HTTP bench runs on PostgreSQL: DATABASE_URL=postgres://...")
    if shutil.which("wrk") is None:
        parser.error("wrk is missing (apt-get install -y wrk)")
    run.configure(args.patients)
    run.prepare(args.patients, reseed=False)
    pages, clean_up = sessions(args.patients)
    base = f"http://127.0.0.1:{args.port}"
    load = os.getloadavg()
    print(
        f"gunicorn {args.workers} workers (gunicorn.conf.py, bench/settings.py, CONN_MAX_AGE=600) "
        f"on {run.backend().shown(args.patients)}; wrk 1 thread, {args.connections} "
        f"connections, {args.seconds:g} s a page; load average {load[0]:.2f} {load[1]:.2f} "
        f"{load[2]:.2f} on {os.cpu_count()} cores"
    )
    server = serve(run.backend().database_url(args.patients), args.port, args.workers)
    results: dict[str, WrkResult] = {}
    floors: list[WrkResult] = []
    try:
        wait_until_up(base, server)
        with tempfile.TemporaryDirectory(prefix="bench-http-") as folder:
            for page in [*pages, pages[0]]:
                check(base, page)
                wrk(base, page, 2, args.connections, Path(folder))  # warm-up
                result = wrk(base, page, args.seconds, args.connections, Path(folder))
                if page.name == FLOOR:
                    floors.append(result)
                else:
                    results[page.name] = result
                print(f"  {page.name}: {result.rps:.1f} requests/s", flush=True)
    finally:
        stop(server)
        clean_up()
    report(results, floors)


if __name__ == "__main__":
    main()
