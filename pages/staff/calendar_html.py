"""The calendar's entries written out once a page, in Python.

A day of every clinician lists a hundred visits or more, each with its links and, once begun,
its outcome form; through the template language (a lookup, a filter and an escape a variable,
the include's context a visit) they were most of the page's time (docs/PERFORMANCE.md,
issue 8). Here each entry is the HTML `templates/staff/calendar.html` wrote for it, byte for
byte, with what is the same for every entry worked out once: the links reversed once
(`links.link_maker`), the page's address quoted once, the form's choices written once, each
time of day formatted once. The outcome form is `includes/visit_outcome_form.html` as the
calendar included it (tests/pages/staff/test_calendar.py holds the two together)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from urllib.parse import quote

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from patients.calendar import Entry, Line
from patients.models import Appointment
from patients.selectors import CalendarBy

from .links import link_maker


class EntryWriter:
    """Writes each line's entries for one page: who may book, what the lines are of (a
    clinician's or a room's), the page's own address (where each form and link comes back
    to), the CSRF token, the time the page is drawn at and the outcomes a visit can take."""

    def __init__(
        self,
        *,
        can_book: bool,
        by: CalendarBy,
        back_here: str,
        csrf_token: str,
        now: datetime,
        closing_statuses: Iterable[tuple[str, str]],
    ) -> None:
        self.can_book = can_book
        self.by = by
        self.now = now
        self.back = escape(back_here)
        self.back_quoted = escape(quote(back_here))
        self.csrf = format_html(
            '<input type="hidden" name="csrfmiddlewaretoken" value="{}">', csrf_token
        )
        self.options = "".join(
            format_html('<option value="{}">{}</option>', value, label)
            for value, label in closing_statuses
        )
        self.book_url = reverse("staff:calendar-book")
        self.patient_url = link_maker("staff:patient")
        self.status_url = link_maker("treatments:appointment-status", 2)
        self.move_url = link_maker("staff:appointment-move", 2)
        self._times: dict[datetime, str] = {}

    def _hm(self, moment: datetime) -> str:
        """`moment|time:"H:i"` in the clinic's time zone; a day's visits share a few times."""
        found = self._times.get(moment)
        if found is None:
            found = self._times[moment] = timezone.localtime(moment).strftime("%H:%M")
        return found

    def entries(self, line: Line, day: date) -> SafeString:
        """The line's entries as the template's loop over them wrote them."""
        on_day = date_format(day, "j F")
        of_day = date_format(day, "j M Y")
        parts = []
        for entry in line.entries:
            if entry.visit is None:
                parts.append(self._free(entry, line, on_day))
            else:
                parts.append(self._visit(entry.visit, of_day))
        return mark_safe("".join(parts))  # noqa: S308 (each part escaped as it was written)

    def _free(self, entry: Entry, line: Line, on_day: str) -> str:
        start, end = self._hm(entry.starts_at), self._hm(entry.ends_at)
        local = timezone.localtime(entry.starts_at)
        book = ""
        if self.can_book:
            where = (
                f"&amp;clinician={escape(line.key)}"
                if self.by == CalendarBy.CLINICIAN
                else f"&amp;room={escape(quote(line.key))}"
            )
            book = (
                f'<a class="button secondary small" href="{self.book_url}?next='
                f"{self.back_quoted}&amp;starts_at={local:%Y-%m-%dT%H:%M}{where}"
                f'">Book<span class="sr-only"> {escape(line.label)} at {start} on {on_day}'
                "</span></a>"
            )
        return (
            f'\n      \n      <li class="free" data-free="{local.isoformat()}">'
            f'<span class="cal-time">{start}\u2013{end}</span> free\n        {book}</li>\n'
            "      \n    "
        )

    def _visit(self, ap: Appointment, of_day: str) -> str:
        patient = ap.patient
        name = escape(patient.full_name)
        start = self._hm(ap.starts_at)
        more = ""
        if self.by == CalendarBy.CLINICIAN and ap.room:
            more = f" · {escape(ap.room)}"
        elif self.by == CalendarBy.ROOM and ap.clinician:
            more = f" · {escape(ap.clinician.get_full_name())}"
        badge = (
            ""
            if ap.is_booked
            else f'<span class="badge">{escape(ap.get_status_display().lower())}</span>'
        )
        act = ""
        if self.can_book and ap.is_booked:
            if ap.starts_at <= self.now:
                form = self._outcome_form(ap, name, start, of_day)
                act = f"\n          \n          {form}\n          "
            else:
                act = (
                    f'\n          \n          <a class="small" '
                    f'href="{self.move_url(patient.pk, ap.pk)}?next={self.back_quoted}">Move'
                    f'<span class="sr-only"> {name}\'s visit at {start}</span></a>\n'
                    "          "
                )
            act += "\n        "
        return (
            f'\n      \n      <li class="visit status-{escape(ap.status)}" data-visit="{ap.pk}">'
            f'<span class="cal-time">{start}\u2013{self._hm(ap.ends_at)}</span>\n'
            f'        <a href="{self.patient_url(patient.pk)}">{name}</a> · '
            f"{escape(ap.get_kind_display())}{more}\n        {badge}\n        {act}\n"
            "      </li>\n      \n    "
        )

    def _outcome_form(self, ap: Appointment, name: str, start: str, of_day: str) -> str:
        """`includes/visit_outcome_form.html` with prefix "st" and the page as `next`."""
        pk = ap.pk
        kind = escape(ap.get_kind_display().lower())
        return (
            f'\n<form method="post" action="{self.status_url(ap.patient_id, pk)}" '
            f'class="appt-status">{self.csrf}\n'
            f'  <input type="hidden" name="next" value="{self.back}">\n'
            f'  <label class="sr-only" for="st-{pk}">Outcome of {name}\'s {kind} at {start} '
            f"on {of_day}</label>\n"
            f'  <select id="st-{pk}" name="status"><option value="">Mark as…</option>'
            f"{self.options}</select>\n"
            f'  <label for="st-reason-{pk}" class="sr-only">Reason, if cancelled</label>'
            f'<input id="st-reason-{pk}" name="reason" maxlength="500" '
            'placeholder="Reason, if cancelled" class="reason">\n'
            '  <button type="submit" class="button secondary small">Save</button>\n'
            "  \n</form>\n"
        )


def begun_inputs(visits: Sequence[Appointment]) -> SafeString:
    """The hidden inputs naming the begun visits the day's one action closes."""
    return mark_safe(  # noqa: S308 (ids are integers)
        "".join(f'<input type="hidden" name="visit" value="{ap.pk}">' for ap in visits)
    )
