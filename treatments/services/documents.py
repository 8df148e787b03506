"""The consent and aftercare PDFs: rendered once when their record is final, then kept.

When: the service that makes a record final (`consent_record_paper`, `aftercare_issue`, and
e-consent's signing) calls `document_queue` inside its transaction. After the commit, a Celery
task renders the PDF by id (in-process in the embedded default, CELERY_TASK_ALWAYS_EAGER).
Rendering takes a few hundred milliseconds: inside the record's transaction it would hold the
course row lock (and, on SQLite, the database's one write lock) for that long. The record
commits whether or not the PDF renders; a failed or lost render is made later by
`documents_missing_make` (Celery beat), which also makes the PDFs of records older than this
feature. What a PDF shows comes from records that no longer change, so rendering a moment
after the commit gives the same document.

`document_for_consent` / `document_for_aftercare` are idempotent: a second call returns the
stored document and never renders. Two renders racing store one (the unique constraint).
"""

from __future__ import annotations

import hashlib
import logging
from datetime import datetime

from celery import shared_task
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from botoxcare.audit import log_action
from botoxcare.pdf import render_pdf

from ..models import Aftercare, Consent, Course, Document, DocumentKind
from ..sheets import aftercare_sheet, consent_sheet

logger = logging.getLogger(__name__)


def document_for_consent(*, consent: Consent, now: datetime | None = None) -> Document:
    """The PDF of a signed consent: the stored one, or rendered now and stored. Assumes the
    consent is final (signed and recorded); the PDF never changes afterwards, whatever
    happens to the clinic's consent form."""
    stored = Document.objects.filter(kind=DocumentKind.CONSENT, consent=consent).first()
    if stored is not None:
        return stored
    sheet = consent_sheet(consent)
    return _document_store(
        kind=DocumentKind.CONSENT,
        course=sheet.consent.course,
        source={"consent": sheet.consent},
        html=render_to_string("documents/consent_pdf.html", {"sheet": sheet}),
        page_size=sheet.clinic.settings.paper_size,
        made_by=sheet.consent.recorded_by,
        now=now,
    )


def document_for_aftercare(*, aftercare: Aftercare, now: datetime | None = None) -> Document:
    """The aftercare PDF of one session: the stored one, or rendered now and stored. Assumes
    the aftercare was issued; later edits to the clinic's aftercare text do not reach it."""
    stored = Document.objects.filter(kind=DocumentKind.AFTERCARE, aftercare=aftercare).first()
    if stored is not None:
        return stored
    sheet = aftercare_sheet(aftercare)
    return _document_store(
        kind=DocumentKind.AFTERCARE,
        course=sheet.aftercare.course,
        source={"aftercare": sheet.aftercare},
        html=render_to_string("documents/aftercare_pdf.html", {"sheet": sheet}),
        page_size=sheet.clinic.settings.paper_size,
        made_by=sheet.aftercare.issued_by,
        now=now,
    )


def _document_store(
    *,
    kind: DocumentKind,
    course: Course,
    source: dict[str, Consent | Aftercare],
    html: str,
    page_size: str,
    made_by: User,
    now: datetime | None,
) -> Document:
    # Rendered outside any transaction; the row is written in one short one.
    pdf = render_pdf(html, page_size=page_size)
    try:
        with transaction.atomic():
            document = Document.objects.create(
                kind=kind,
                course=course,
                pdf=pdf,
                sha256=hashlib.sha256(pdf).hexdigest(),
                page_size=page_size,
                created_at=now or timezone.now(),
                made_by=made_by,
                **source,
            )
            # Made by the system (a task after the record's commit), unless a page asked.
            log_action(
                "document.made",
                patient=course.patient,
                target=document,
                data={"kind": kind, "sha256": document.sha256, **source},
            )
            return document
    except IntegrityError:
        # Another render stored it first: theirs is the document.
        return Document.objects.get(kind=kind, **source)


def document_queue(*, kind: DocumentKind, pk: int) -> None:
    """Render the document of a record after the current transaction commits. Call it in
    the transaction that makes the record final; a render that fails is logged (the commit
    stands) and made later by `documents_missing_make`."""

    def render_queue() -> None:
        # A named function, not a partial: Django logs a robust callback's failure by its
        # __qualname__, and a partial has none (the AttributeError would escape after commit).
        document_make_task.delay(kind.value, pk)

    transaction.on_commit(render_queue, robust=True)


def document_make(*, kind: DocumentKind, pk: int) -> Document | None:
    """The document of the consent or aftercare `pk` (None if that record is gone)."""
    if kind == DocumentKind.CONSENT:
        consent = Consent.objects.filter(pk=pk).first()
        return document_for_consent(consent=consent) if consent else None
    aftercare = Aftercare.objects.filter(pk=pk).first()
    return document_for_aftercare(aftercare=aftercare) if aftercare else None


def documents_missing_make(*, limit: int = 50) -> int:
    """Make the documents of final records that have none; one failure never stops the
    others. Returns how many were made."""
    todo = [
        (DocumentKind.CONSENT, pk)
        for pk in Consent.objects.filter(documents__isnull=True).values_list("pk", flat=True)[
            :limit
        ]
    ] + [
        (DocumentKind.AFTERCARE, pk)
        for pk in Aftercare.objects.filter(documents__isnull=True).values_list("pk", flat=True)[
            :limit
        ]
    ]
    made = 0
    for kind, pk in todo:
        try:
            document_make(kind=kind, pk=pk)
        except Exception:  # one record's failure never stops the sweep
            logger.exception("document %s %s not made", kind, pk)
            continue
        made += 1
    return made


# The tasks live beside the services they queue (treatments/tasks.py re-exports them, so the
# worker finds them there): a service importing treatments.tasks would import itself back.
@shared_task(
    name="treatments.tasks.document_make",
    acks_late=True,
    reject_on_worker_lost=True,
    ignore_result=True,
)
def document_make_task(kind: str, pk: int) -> None:
    document_make(kind=DocumentKind(kind), pk=pk)


@shared_task(
    name="treatments.tasks.documents_missing_make",
    acks_late=True,
    reject_on_worker_lost=True,
    ignore_result=True,
)
def documents_missing_make_task() -> int:
    return documents_missing_make()
