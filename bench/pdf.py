"""Benchmark the consent and aftercare PDFs, and the download of a stored one.

Run from the project root:  .venv/bin/python bench/pdf.py [--n 60]

Uses its own SQLite database, bench/bench-pdf.sqlite3 (git-ignored, made afresh each run):
one clinic, one patient walked through the services into maintenance, so each record's
commit makes its document exactly as in the app. Then, interleaved in a random order each
round after a warm-up, for each document:

- `render_pdf`: botoxcare.pdf.render_pdf of the document's HTML (the static-only fetcher,
  the print stylesheet, the clinic's page size);
- `bare`: weasyprint.HTML(string=...).write_pdf() of the same HTML and the same stylesheet
  with WeasyPrint's default fetcher (the `static:` link rewritten to the file's file:// URL so
  that the bare render loads the same CSS) and the same @page size.

The target is render_pdf p50 at most 1.25 x the bare p50. Last, a staff download of the
stored aftercare PDF through the test client, with every renderer replaced by one that counts
calls: a download must never render (the count must stay 0).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
DB = BENCH_DIR / "bench-pdf.sqlite3"
TARGET_RATIO = 1.25


def configure() -> None:
    sys.path.insert(0, str(ROOT))
    DB.unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{DB}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "botoxcare.settings"
    os.environ["BOTOXCARE_ENV"] = "local"
    os.environ["DEBUG"] = "False"
    os.environ["LOG_LEVEL"] = "WARNING"
    os.environ.pop("REDIS_URL", None)  # tasks in-process: the commit makes the documents
    warnings.filterwarnings("ignore", message="No directory at")  # whitenoise, no STATIC_ROOT
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def seed() -> tuple[object, object]:
    from datetime import timedelta

    from django.utils import timezone

    from botoxcare.roles import Role
    from botoxcare.services import clinic_create, staff_create
    from patients.models import Patient
    from treatments.models import ConsentForm, Course, ProductLot, State
    from treatments.walk import advance

    clinic = clinic_create(
        name="Riverside Headache Clinic", slug="bench-pdf", phone="020 7946 0000"
    )
    clinician, nurse = (
        staff_create(
            clinic=clinic,
            username=f"bench.{role.value}",
            password="bench-pass-not-secret",  # noqa: S106
            roles=[role],
            first_name=role.value.title(),
            last_name="Bench",
        )
        for role in (Role.CLINICIAN, Role.NURSE)
    )
    ConsentForm.objects.create(
        clinic=clinic,
        version=1,
        title="Consent to botulinum toxin treatment for chronic migraine",
        body="\n\n".join(
            f"{i}. I understand the purpose, benefits and risks explained to me, including "
            "temporary neck weakness, a drooping eyelid and, rarely, difficulty swallowing."
            for i in range(1, 9)
        ),
    )
    lot = ProductLot.objects.create(
        clinic=clinic,
        lot_number="C9001C3",
        expiry_date=timezone.localdate() + timedelta(days=300),
        vial_units=200,
    )
    patient = Patient.objects.create(
        clinic=clinic,
        identifier="H900001",
        first_name="Ada",
        last_name="Bench",
        date_of_birth=timezone.localdate().replace(year=1980),
        phone="07700 900001",
        email="ada@example.org",
    )
    course = Course.objects.create(
        patient=patient, started_on=timezone.localdate() - timedelta(days=40)
    )
    advance(course, State.MAINTENANCE, clinician=clinician, nurse=nurse, lot=lot)
    return patient, nurse


def p(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=60)
    parser.add_argument("--warmup", type=int, default=5)
    args = parser.parse_args()
    configure()

    import weasyprint
    from django.template.loader import render_to_string
    from django.test import Client
    from django.urls import reverse

    from botoxcare import pdf as pdf_module
    from botoxcare.pdf import render_pdf, static_root
    from treatments.models import Document, DocumentKind
    from treatments.services import documents as documents_module
    from treatments.sheets import aftercare_sheet, consent_sheet

    patient, nurse = seed()
    docs = {d.kind: d for d in Document.objects.filter(course__patient=patient)}
    if set(docs) != {DocumentKind.CONSENT, DocumentKind.AFTERCARE}:
        raise SystemExit("The records' commits did not make their documents.")
    html = {
        "consent": render_to_string(
            "documents/consent_pdf.html",
            {"sheet": consent_sheet(docs[DocumentKind.CONSENT].consent)},
        ),
        "aftercare": render_to_string(
            "documents/aftercare_pdf.html",
            {"sheet": aftercare_sheet(docs[DocumentKind.AFTERCARE].aftercare)},
        ),
    }
    size = patient.clinic.settings.paper_size
    file_base = static_root().as_uri() + "/"
    page = weasyprint.CSS(string=f"@page {{ size: {size}; }}")

    def ours(name: str) -> Callable[[], bytes]:
        return lambda: render_pdf(html[name], page_size=size)

    def bare(name: str) -> Callable[[], bytes]:
        same = html[name].replace('href="static:', f'href="{file_base}')
        return lambda: weasyprint.HTML(string=same).write_pdf(stylesheets=[page])

    jobs = {
        f"{name} {kind}": make(name)
        for name in html
        for kind, make in (("render_pdf", ours), ("bare", bare))
    }
    times: dict[str, list[float]] = {label: [] for label in jobs}
    rng = random.Random(7)
    for round_ in range(args.warmup + args.n):
        order = list(jobs)
        rng.shuffle(order)
        for label in order:
            start = time.perf_counter()
            jobs[label]()
            if round_ >= args.warmup:
                times[label].append((time.perf_counter() - start) * 1000)

    # A download of a stored PDF: every renderer counts its calls; none may be made.
    renders = []

    def counting(*a: object, **k: object) -> bytes:
        renders.append(1)
        raise AssertionError("a download rendered")

    pdf_module.render_pdf = counting  # type: ignore[assignment]
    documents_module.render_pdf = counting  # type: ignore[assignment]
    weasyprint.HTML.write_pdf = counting  # type: ignore[method-assign]
    client = Client()
    client.force_login(nurse)
    url = reverse("treatments:document", args=[patient.pk, docs[DocumentKind.AFTERCARE].pk])
    downloads = []
    for i in range(args.warmup + args.n * 4):
        start = time.perf_counter()
        response = client.get(url)
        if i >= args.warmup:
            downloads.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200 or response.content != bytes(
            docs[DocumentKind.AFTERCARE].pdf
        ):
            raise SystemExit(f"The download answered {response.status_code}, not the stored PDF.")

    print(f"{args.n} rounds after {args.warmup} warm-up, page size {size}")
    print(f"{'':28} {'p50 ms':>8} {'p95 ms':>8}")
    for label, values in times.items():
        print(f"{label:28} {p(values, 50):8.1f} {p(values, 95):8.1f}")
    for name in html:
        ratio = p(times[f"{name} render_pdf"], 50) / p(times[f"{name} bare"], 50)
        verdict = "ok" if ratio <= TARGET_RATIO else "OVER TARGET"
        size_kb = len(bytes(docs[DocumentKind(name)].pdf)) / 1024
        print(
            f"{name}: render_pdf p50 / bare p50 = {ratio:.2f}x ({verdict}); stored {size_kb:.0f} kB"
        )
    print(
        f"download of the stored aftercare PDF: p50 {p(downloads, 50):.2f} ms, "
        f"p95 {p(downloads, 95):.2f} ms, renders during downloads: {len(renders)}"
    )
    DB.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
