"""The consent and aftercare PDFs: made once when their record is final, kept unchanged."""

from __future__ import annotations

import hashlib

import pytest

from tests.conftest import queued_by_app
from tests.journey import advance
from tests.pdf import hostile_markup, pdf_pages, pdf_text, recording_server
from treatments import services
from treatments.models import Aftercare, Consent, Course, Document, DocumentKind, State
from treatments.retreatment import retreatment_window
from treatments.services import documents as documents_module

pytestmark = pytest.mark.django_db


@pytest.fixture
def renders(monkeypatch):
    """Counts real renders made by the document services."""
    calls: list[str] = []
    real = documents_module.render_pdf

    def counting(html, **kwargs):
        calls.append(html)
        return real(html, **kwargs)

    monkeypatch.setattr(documents_module, "render_pdf", counting)
    return calls


@pytest.fixture
def walked(course, clinician, nurse, consent_form, lot, django_capture_on_commit_callbacks):
    """A course through its first session into maintenance, running what each commit queues
    (as a real request would)."""
    with django_capture_on_commit_callbacks(execute=True):
        advance(course, State.MAINTENANCE, clinician=clinician, nurse=nurse, lot=lot)
    return course


def test_the_consent_pdf_is_made_when_the_consent_is_recorded(
    course, clinician, nurse, consent_form, lot, django_capture_on_commit_callbacks, renders
):
    with django_capture_on_commit_callbacks(execute=True):
        advance(course, State.CONSENT, clinician=clinician, nurse=nurse, lot=lot)
    assert not Document.objects.exists()
    with django_capture_on_commit_callbacks(execute=True) as queued:
        advance(course, State.INJECTION, clinician=clinician, nurse=nurse, lot=lot)
    assert len(queued_by_app(queued)) == 1
    consent = Consent.objects.get(course=course)
    doc = Document.objects.get(kind=DocumentKind.CONSENT)
    assert (doc.consent, doc.course, doc.made_by) == (consent, course, consent.recorded_by)
    assert doc.sha256 == hashlib.sha256(bytes(doc.pdf)).hexdigest()
    assert len(renders) == 1


def test_the_consent_pdf_shows_the_signed_text_and_how_to_verify_it(walked):
    consent = Consent.objects.get(course=walked)
    doc = Document.objects.get(kind=DocumentKind.CONSENT)
    text = pdf_text(doc.pdf)
    clinic = walked.patient.clinic
    assert clinic.name in text
    assert " ".join(consent.text.split()) in text
    assert consent.signer_name in text
    assert "Paper" in text or "paper" in text
    assert consent.text_sha256 in text
    assert consent.text_sha256 == hashlib.sha256(consent.text.encode()).hexdigest()
    assert "How to verify" in text
    assert "form version 1" in text
    assert f"Page 1 of {pdf_pages(doc.pdf)}" in text
    # E-consent's sections stay out of a paper consent's record.
    assert "Statements ticked" not in text
    assert "Signed from" not in text


def test_the_aftercare_pdf_shows_the_session_and_what_comes_next(walked):
    aftercare = Aftercare.objects.select_related("follow_up").get(course=walked)
    session = aftercare.session
    doc = Document.objects.get(kind=DocumentKind.AFTERCARE)
    assert doc.aftercare == aftercare
    text = pdf_text(doc.pdf)
    assert walked.patient.clinic.name in text
    assert f"Page 1 of {pdf_pages(doc.pdf)}" in text
    assert f"{session.session_date:%-d %B %Y}" in text
    [vial] = session.vials.all()
    assert f"lot {vial.lot.lot_number} (expires {vial.lot.expiry_date:%-d %b %Y})" in text
    tight = text.replace(" ", "")  # pdftotext spaces table cells unevenly
    assert "Temporalis(bilateral)840U" in tight
    assert "Procerus15U" in tight
    assert f"Total{session.total_units}U" in tight
    assert "difficulty swallowing, breathing or speaking" in text
    assert "cold compress" in text.lower()
    assert f"{aftercare.follow_up.starts_at:%-d %B %Y}" in text
    opens, due = retreatment_window(session.session_date, walked.clinic_settings)
    assert f"from {opens:%-d %B %Y} and is due by {due:%-d %B %Y}" in text


def test_a_second_call_returns_the_stored_document_without_rendering(walked, renders):
    aftercare = Aftercare.objects.get(course=walked)
    consent = Consent.objects.get(course=walked)
    first = Document.objects.get(kind=DocumentKind.AFTERCARE)
    assert services.document_for_aftercare(aftercare=aftercare) == first
    assert services.document_for_consent(consent=consent).kind == DocumentKind.CONSENT
    assert services.documents_missing_make() == 0
    assert renders == []
    assert Document.objects.count() == 2


def test_the_first_call_renders_once(course, clinician, nurse, consent_form, lot, renders):
    advance(course, State.MAINTENANCE, clinician=clinician, nurse=nurse, lot=lot)
    assert not Document.objects.exists()  # nothing committed in this test: nothing queued ran
    aftercare = Aftercare.objects.get(course=course)
    doc = services.document_for_aftercare(aftercare=aftercare)
    again = services.document_for_aftercare(aftercare=aftercare)
    assert doc == again
    assert len(renders) == 1


def test_stored_pdfs_do_not_change_when_the_clinic_edits_its_texts(walked, consent_form):
    before = {d.pk: bytes(d.pdf) for d in Document.objects.all()}
    cfg = walked.clinic_settings
    cfg.aftercare_instructions = "- Entirely new advice from the clinic."
    cfg.paper_size = "letter"
    cfg.save()
    consent_form.body = "A rewritten consent form."
    consent_form.save()
    aftercare = services.document_for_aftercare(aftercare=Aftercare.objects.get(course=walked))
    consent = services.document_for_consent(consent=Consent.objects.get(course=walked))
    services.documents_missing_make()
    assert {d.pk: bytes(d.pdf) for d in Document.objects.all()} == before
    assert "Entirely new advice" not in pdf_text(aftercare.pdf)
    assert "rewritten" not in pdf_text(consent.pdf)
    assert aftercare.page_size == consent.page_size == "A4"


def test_hostile_clinic_text_is_shown_escaped_and_fetches_nothing(
    course, clinician, nurse, consent_form, lot, tmp_path, django_capture_on_commit_callbacks
):
    leak = tmp_path / "leak.css"
    leak.write_text('body::after { content: "LEAKED-FROM-DISK" }')
    with recording_server() as (origin, hits):
        hostile = hostile_markup(origin, str(leak))
        cfg = course.clinic_settings
        cfg.aftercare_instructions = f"- Rest today. {hostile}"
        cfg.save()
        with django_capture_on_commit_callbacks(execute=True):
            advance(course, State.MAINTENANCE, clinician=clinician, nurse=nurse, lot=lot)
        doc = Document.objects.get(kind=DocumentKind.AFTERCARE)
        assert hits == []
    text = pdf_text(doc.pdf)
    tight = text.replace(" ", "")  # long URLs wrap at a slash
    assert f'<imgsrc="{origin}/tracker.png">' in tight
    assert f'<style>@importurl("{origin}/import.css");' in tight
    assert f'<linkrel="stylesheet"href="file://{leak}">' in tight
    assert '<imgsrc="file:///etc/passwd">' in tight
    assert "root:x:0:0" not in text
    assert "LEAKED-FROM-DISK" not in text
    assert "FETCHED" not in text


def test_the_sweep_makes_missing_documents_and_one_failure_stops_nothing(
    course, clinician, nurse, consent_form, lot, monkeypatch
):
    advance(course, State.MAINTENANCE, clinician=clinician, nurse=nurse, lot=lot)
    assert not Document.objects.exists()
    real = documents_module.render_pdf
    failures = iter([True])

    def flaky(html, **kwargs):
        if next(failures, False):
            raise OSError("renderer crashed")
        return real(html, **kwargs)

    monkeypatch.setattr(documents_module, "render_pdf", flaky)
    assert services.documents_missing_make() == 1
    assert services.documents_missing_make() == 1
    assert services.documents_missing_make() == 0
    assert set(Document.objects.values_list("kind", flat=True)) == {
        DocumentKind.CONSENT,
        DocumentKind.AFTERCARE,
    }


def test_a_course_at_post_care_has_no_aftercare_document_yet(
    course, clinician, nurse, consent_form, lot, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        advance(course, State.POST_CARE, clinician=clinician, nurse=nurse, lot=lot)
    assert list(Document.objects.values_list("kind", flat=True)) == [DocumentKind.CONSENT]
    assert Course.objects.get(pk=course.pk).state == State.POST_CARE


@pytest.fixture
def broker_down(monkeypatch):
    """Celery as in production (not eager) with its broker refusing connections: Redis down."""
    import socket

    from botoxcare.celery import app

    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    before = {key: app.conf[key] for key in ("task_always_eager", "broker_url")}
    app.conf.update(task_always_eager=False, broker_url=f"redis://127.0.0.1:{port}/0")
    monkeypatch.setattr(app, "_pool", None)  # connections made now use the URL above
    monkeypatch.setattr(app.amqp, "_producer_pool", None)
    try:
        yield
    finally:
        app.pool.force_close_all()
        app.conf.update(before)


def test_with_the_broker_down_the_record_stands_and_its_pdf_follows(
    course,
    clinician,
    nurse,
    consent_form,
    lot,
    django_capture_on_commit_callbacks,
    broker_down,
    caplog,
):
    with django_capture_on_commit_callbacks(execute=True):
        advance(course, State.CONSENT, clinician=clinician, nurse=nurse, lot=lot)
    with django_capture_on_commit_callbacks(execute=True) as queued:
        advance(course, State.INJECTION, clinician=clinician, nurse=nurse, lot=lot)
    # The render was queued after commit, and the queueing failed:
    assert len(queued_by_app(queued)) == 1
    refused = [r for r in caplog.records if "render_queue in on_commit()" in r.getMessage()]
    assert refused and refused[0].exc_info[0].__name__ == "OperationalError"
    # ... yet the consent is recorded and the course moved on; nothing was made yet.
    consent = Consent.objects.get(course=course)
    assert Course.objects.get(pk=course.pk).state == State.INJECTION
    assert not Document.objects.exists()
    # Beat's sweep (every 15 minutes, once Redis is back) makes it.
    assert services.documents_missing_make() == 1
    assert Document.objects.get(kind=DocumentKind.CONSENT).consent == consent
