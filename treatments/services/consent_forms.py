"""The clinic's consent form versions: write a new one, edit one nobody has used yet, choose
the active one. A signed consent keeps its own copy of the text, so a version's words change
nothing already signed; still, a version once used (signed, or sent to sign) is never edited,
so what a version number says stays what patients were given."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Max

from botoxcare.audit import changes, log_action, snapshot
from botoxcare.errors import Refusal, raise_if, refuse
from botoxcare.models import Clinic
from botoxcare.roles import Action, require

from ..models import Consent, ConsentForm, ConsentRequest
from ..reasons import Reason

TEXT_FIELDS = ("title", "body", "statements")


def consent_form_used(form: ConsentForm) -> bool:
    """Whether any consent was signed on this version or sent to be signed on it."""
    return (
        Consent.objects.filter(form=form).exists()
        or ConsentRequest.objects.filter(form=form).exists()
    )


def _text_refusals(title: str, body: str, statements: str) -> list[Refusal]:
    found = []
    for field, value, what in (
        ("title", title, "a title"),
        ("body", body, "the text of the form"),
        ("statements", statements, "at least one statement"),
    ):
        if not value.strip():
            found.append(Refusal(Reason.CONSENT_FORM_EMPTY, f"Write {what}.", field=field))
    return found


def _lock_forms(clinic: Clinic) -> list[ConsentForm]:
    """Every version of the clinic's form, locked: versions are numbered and activated one
    writer at a time."""
    return list(ConsentForm.objects.select_for_update().filter(clinic=clinic).order_by("version"))


def consent_form_create(
    *, clinic: Clinic, by: User, title: str, body: str, statements: str, activate: bool
) -> ConsentForm:
    """A new version (the next number), active at once if `activate` (or if the clinic has no
    active one), else kept as a draft to check and activate later.

    Raises DomainError: CONSENT_FORM_EMPTY.
    """
    require(by, Action.MANAGE_CONSENT_FORMS)
    raise_if(_text_refusals(title, body, statements), summary="The version was not saved:")
    with transaction.atomic():
        forms = _lock_forms(clinic)
        number = (ConsentForm.objects.filter(clinic=clinic).aggregate(n=Max("version"))["n"]) or 0
        activate = activate or not any(f.is_active for f in forms)
        if activate:
            ConsentForm.objects.filter(clinic=clinic, is_active=True).update(is_active=False)
        form = ConsentForm.objects.create(
            clinic=clinic,
            version=number + 1,
            title=title.strip(),
            body=body.strip(),
            statements=statements.strip() + "\n",
            is_active=activate,
        )
        log_action(
            "consent_form.created",
            user=by,
            clinic=clinic,
            target=form,
            data={"version": form.version, "active": activate, **_replaced(forms, activate)},
        )
        return form


def _replaced(forms: list[ConsentForm], activate: bool) -> dict[str, list[int]]:
    """The versions that stop being active (read before the change)."""
    return {"deactivated": [f.version for f in forms if f.is_active]} if activate else {}


def consent_form_edit(
    *, form: ConsentForm, by: User, title: str, body: str, statements: str
) -> ConsentForm:
    """Correct a version no patient has been given yet.

    Raises DomainError: CONSENT_FORM_USED (write a new version instead), CONSENT_FORM_EMPTY.
    """
    require(by, Action.MANAGE_CONSENT_FORMS)
    raise_if(_text_refusals(title, body, statements), summary="The version was not saved:")
    with transaction.atomic():
        _lock_forms(form.clinic)
        if consent_form_used(form):
            raise refuse(
                Reason.CONSENT_FORM_USED,
                f"Version {form.version} has been given to patients and cannot change; "
                "write a new version instead.",
            )
        before = snapshot(form, TEXT_FIELDS)
        form.title, form.body = title.strip(), body.strip()
        form.statements = statements.strip() + "\n"
        form.save(update_fields=["title", "body", "statements"])
        log_action(
            "consent_form.edited",
            user=by,
            clinic=form.clinic_id,
            target=form,
            data={"version": form.version, **changes(before, snapshot(form, TEXT_FIELDS))},
        )
    return form


def consent_form_activate(*, form: ConsentForm, by: User) -> ConsentForm:
    """Make `form` the version patients sign from now on; the one before stops being offered
    (consents signed on it, and requests already sent, keep their own text and version).

    Raises DomainError: CONSENT_FORM_ALREADY_ACTIVE.
    """
    require(by, Action.MANAGE_CONSENT_FORMS)
    with transaction.atomic():
        forms = _lock_forms(form.clinic)
        form.refresh_from_db()
        if form.is_active:
            raise refuse(
                Reason.CONSENT_FORM_ALREADY_ACTIVE, f"Version {form.version} is already active."
            )
        ConsentForm.objects.filter(clinic=form.clinic, is_active=True).update(is_active=False)
        form.is_active = True
        form.save(update_fields=["is_active"])
        log_action(
            "consent_form.activated",
            user=by,
            clinic=form.clinic_id,
            target=form,
            data={"version": form.version, **_replaced(forms, True)},
        )
    return form
