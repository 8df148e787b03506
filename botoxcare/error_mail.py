"""Errors reach the deployment's ADMINS by email, without patient data.

Django's own AdminEmailHandler sends the full error report: each frame's local variables,
the form's fields, cookies and headers, which here would be a patient's record in an email.
This one sends what the console log has: the message (method and path, never the query),
the signed-in user's id, and the traceback's lines.
"""

from __future__ import annotations

import logging
import traceback

from django.utils.log import AdminEmailHandler


class ErrorMail(AdminEmailHandler):
    def emit(self, record: logging.LogRecord) -> None:
        request = getattr(record, "request", None)
        lines = [record.getMessage()]
        if request is not None:
            user = getattr(request, "user", None)
            user_id = user.pk if user is not None and user.is_authenticated else "-"
            lines.append(f"{request.method} {request.path} user_id={user_id}")
        if record.exc_info:
            lines.append("".join(traceback.format_exception(*record.exc_info)))
        subject = self.format_subject(f"{record.levelname}: {record.getMessage()}")
        self.send_mail(subject, "\n\n".join(lines), fail_silently=True)
