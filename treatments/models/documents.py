"""The PDFs the clinic gives a patient: made once, when their record is final, and kept.

The bytes are stored in the database (a BinaryField), not in MEDIA: the embedded default needs
no media folder, upload settings or file serving; the PDF, its hash and its row commit in one
transaction (no orphan or missing files after a crash); a database backup holds them. A
document is some tens of kB. Lists defer the `pdf` column (`Document.objects.listed()`).
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q

from ..choices import DocumentKind
from .course import Course
from .records import Consent
from .sessions import Aftercare


class DocumentQuerySet(models.QuerySet["Document"]):
    def listed(self) -> DocumentQuerySet:
        """Rows for a list: everything but the PDF's bytes."""
        return self.defer("pdf")


class Document(models.Model):
    """One rendered PDF of a consent or of a session's aftercare; it never changes."""

    kind = models.CharField(max_length=12, choices=DocumentKind.choices)
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="documents")
    consent = models.ForeignKey(
        Consent, null=True, blank=True, on_delete=models.PROTECT, related_name="documents"
    )
    aftercare = models.ForeignKey(
        Aftercare, null=True, blank=True, on_delete=models.PROTECT, related_name="documents"
    )
    pdf = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    page_size = models.CharField(max_length=10)
    created_at = models.DateTimeField()
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "consent"], name="one_document_per_consent"),
            models.UniqueConstraint(
                fields=["kind", "aftercare"], name="one_document_per_aftercare"
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind=DocumentKind.CONSENT, consent__isnull=False, aftercare__isnull=True)
                    | Q(kind=DocumentKind.AFTERCARE, aftercare__isnull=False, consent__isnull=True)
                ),
                name="document_has_its_one_source",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.created_at:%Y-%m-%d})"

    @property
    def source_date(self) -> date | None:
        """The day of what it records: the consent's signing, the aftercare's issue."""
        if self.consent is not None:
            return self.consent.signed_on
        if self.aftercare is not None:
            return self.aftercare.issued_on
        return None

    @property
    def filename(self) -> str:
        """A download name with no clinical words in it (it shows in a Downloads folder)."""
        return f"{self.kind}-{self.created_at:%Y-%m-%d}-{self.pk}.pdf"
