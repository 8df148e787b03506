"""A form is sent once: double clicks, a resent page and two tabs give one record.

Each form that creates a record carries a fresh token (`{% form_token %}`, in
`templatetags/form_token.py`). A view decorated with `@submitted_once` stores the token in
the same transaction as whatever the view writes: the first post inserts the `FormSubmission`
row, runs the view and keeps the address it redirected to; a post racing it waits on the
token's unique key until the first commits, then finds the token used and is sent where the
first went, with a message. A post that did not succeed (the form shown again with its
errors) forgets its token, so the corrected form can be sent.

A post without a token (a client that never loaded the form) is served as before.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from datetime import datetime
from functools import wraps
from typing import Any

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from .models import FormSubmission

FIELD = "form_token"
_TOKEN = re.compile(r"[0-9a-f]{32}")
_REDIRECTS = (301, 302, 303, 307, 308)

ALREADY_SENT = "This form was already sent and is saved once; here is where it took you."
NOT_YOURS = "This form could not be sent as it was; please fill it in again."


def form_token_new() -> str:
    """A new token for one form on one page (128 random bits, as hex)."""
    return secrets.token_hex(16)


def _token_of(request: HttpRequest) -> str:
    token = request.POST.get(FIELD, "") if request.method == "POST" else ""
    return token if _TOKEN.fullmatch(token) else ""


def submitted_once(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve a POST carrying a form token at most once (see the module's docstring). Put it
    under the sign-in decorator: the token belongs to the signed-in user."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        token = _token_of(request)
        if not token or not request.user.is_authenticated:
            return view(request, *args, **kwargs)
        with transaction.atomic():
            try:
                with transaction.atomic():
                    # A post racing this one blocks here until this transaction ends.
                    submission = FormSubmission.objects.create(token=token, user=request.user)
            except IntegrityError:
                submission = None
            if submission is not None:
                response = view(request, *args, **kwargs)
                if response.status_code in _REDIRECTS and response.has_header("Location"):
                    submission.result_url = response["Location"][:500]
                    submission.save(update_fields=["result_url"])
                else:
                    submission.delete()  # not sent: the corrected form may use it again
                return response
        earlier = FormSubmission.objects.filter(token=token).first()
        if earlier is None or earlier.user_id != request.user.pk or not earlier.result_url:
            messages.error(request, NOT_YOURS, extra_tags="form_token_unknown")
            return redirect(request.get_full_path())
        messages.info(request, ALREADY_SENT, extra_tags="already_sent")
        return redirect(earlier.result_url)

    return wrapped


def form_submissions_forget(*, before: datetime) -> int:
    """Delete the tokens of forms sent before `before`: a double post comes within seconds,
    a resent page within a day, so older rows only grow the table. Returns how many went."""
    deleted, _ = FormSubmission.objects.filter(created_at__lt=before).delete()
    return deleted
