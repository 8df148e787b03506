"""The schedules page's rows written out once a page, in Python.

Through the template language a row cost some forty lookups, filters and escapes (its
dates, badges, reminder, contact and actions): the 25 rows were the largest part of the
page's own time (docs/PERFORMANCE.md, issue 8). Each row here is the HTML
`templates/staff/schedules.html` wrote for it, byte for byte, escaped as it escaped."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Protocol

from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from treatments.pathway import day

from .selectors import ScheduleRow


class Shown(Protocol):
    """A row with its links (the view's `_Shown`)."""

    @property
    def row(self) -> ScheduleRow: ...
    @property
    def patient_url(self) -> str: ...
    @property
    def book_url(self) -> str: ...
    @property
    def contact_url(self) -> str: ...


# The dates as the template's `date` filter wrote them ("j M Y", "j M Y H:i", "j M",
# "j M H:i"), through the clinic's one date format: Django's formatter was a tenth of the page.
def _day(value: date | None) -> str:
    return day(value) if value is not None else ""


def _moment(value: datetime, *, year: bool = True) -> str:
    local = timezone.localtime(value)
    shown = day(local) if year else f"{local.day} {local:%b}"
    return f"{shown} {local:%H:%M}"


def _day_month(value: datetime) -> str:
    local = timezone.localtime(value)
    return f"{local.day} {local:%b}"


def rows_html(
    shown: Sequence[Shown], *, can_remind: bool, can_contact: bool, can_book: bool
) -> SafeString:
    """The rows of the table's body, as the template's loop over them wrote them."""
    return mark_safe(  # noqa: S308 (every value is escaped as it is written)
        "".join(_row(s, can_remind, can_contact, can_book) for s in shown)
    )


def _row(shown: Shown, can_remind: bool, can_contact: bool, can_book: bool) -> str:
    row, p = shown.row, shown.row.patient
    first, last = escape(p.first_name), escape(p.last_name)
    tick = (
        f'<td><input type="checkbox" name="patients" value="{p.pk}" '
        f'aria-label="Select {first} {last}"></td>'
        if can_remind or can_contact
        else ""
    )
    clinician = p.responsible_clinician
    by = f" · {escape(clinician.get_full_name())}" if clinician else ""
    post_care = '<br><span class="badge">post-care follow-up</span>' if row.in_post_care else ""
    unreachable = (
        ""
        if row.reachable
        else '<br><span class="badge late" data-warning="unreachable">no contact possible</span>'
    )
    status = row.status
    if status:
        warn = " warn" if status.needs_booking else ""
        due = (
            f'{_day(status.due)} <span class="badge{warn}" '
            f'data-due="{escape(str(status.kind))}">{escape(status.label or "before window")}'
            "</span>"
        )
    else:
        due = "—"
    visit = (
        _moment(row.next_visit) if row.next_visit else '<span data-booked="no">not booked</span>'
    )
    reminder = row.last_reminder
    if reminder:
        result = reminder.result
        late = " late" if reminder.failed else ""
        remind = (
            f'{_day_month(reminder.result_at)} <span class="badge{late}" '
            f'data-reminder="{escape(str(result))}">{escape(result.label)}</span>'
        )
    else:
        remind = "—"
    contact = row.last_contact
    contacted = (
        f"{_moment(contact.at, year=False)} {escape(contact.get_channel_display())}: "
        f"{escape(contact.get_outcome_display())}"
        if contact
        else "—"
    )
    book = (
        f'<a class="button small" href="{shown.book_url}?kind=injection">Book</a>'
        if can_book and not row.next_visit
        else ""
    )
    send = (
        f'<button class="button secondary small" type="submit" name="remind" value="{p.pk}">'
        "Remind</button>"
        if can_remind and row.reachable
        else ""
    )
    record = (
        f'<a class="button secondary small" href="{shown.contact_url}?from=schedules">Contact…</a>'
        if can_contact
        else ""
    )
    return (
        f'\n    <tr data-patient="{p.pk}">\n      {tick}\n'
        f'      <td><a href="{shown.patient_url}">{last}, {first}</a><br><small>'
        f"{escape(p.identifier)}{by}</small>\n        {post_care}\n        {unreachable}</td>\n"
        f"      <td>{_day(row.last_session) or '—'}</td>\n"
        f"      <td>{due}</td>\n"
        f"      <td>{visit}</td>\n"
        f'      <td class="opt">{remind}</td>\n'
        f'      <td class="opt">{contacted}</td>\n'
        f'      <td class="row-actions">\n        {book}\n        {send}\n        {record}\n'
        "      </td>\n    </tr>\n  "
    )
