"""The patient page's timeline entries written out once a page, in Python.

A course after a few cycles has twenty to thirty entries; through the template language
(lookups, a `date` filter, escapes, the amendment include an entry) they were about a third of
the page's template time (docs/PERFORMANCE.md, issue 11/12). Each entry here is the `<li>`
`templates/staff/patient_detail.html` wrote for it; an entry's amendments, when it has any,
are still `treatments/includes/amendments.html`'s (tests/pages/staff/test_timeline_html.py
holds the two together)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from .timeline import DOCUMENT, TimelineEntry


def _local(entry: TimelineEntry) -> date | datetime:
    """The entry's date, or its moment in the clinic's time (as the `date` filter shows it)."""
    return timezone.localtime(entry.when) if isinstance(entry.when, datetime) else entry.when


def _day(entry: TimelineEntry) -> str:
    return date_format(_local(entry), "j M Y")


def _when(entry: TimelineEntry) -> str:
    if isinstance(entry.when, datetime):
        return escape(date_format(_local(entry), "j M Y, H:i"))
    return format_html('{} <span class="note">· {}</span>', _day(entry), entry.entered)


def _entry(entry: TimelineEntry, can: Mapping[str, bool]) -> str:
    by = entry.by
    who = format_html(" · {}", by.get_full_name() or by.username) if by else ""
    parts = [
        format_html('<li class="{}" data-kind="{}">', entry.kind, entry.kind),
        f'<p class="when">{_when(entry)}</p>',
        format_html('<p class="what"><strong>{}</strong>{}</p>', entry.title, who),
    ]
    if entry.details:
        items = "".join(format_html("<li>{}</li>", d) for d in entry.details)
        parts.append(f"<ul>{items}</ul>")
    if entry.url:
        download = " download" if entry.kind == DOCUMENT else ""
        parts.append(
            format_html(
                '<p class="entry-link"><a href="{}"{}>{}</a></p>',
                entry.url,
                mark_safe(download),  # noqa: S308 (a constant)
                entry.link,
            )
        )
    if entry.amendments:
        parts.append(
            render_to_string(
                "treatments/includes/amendments.html", {"amendments": entry.amendments}
            ).strip()
        )
    if entry.amend_url and entry.record and entry.amend_action and can.get(entry.amend_action):
        parts.append(
            format_html(
                '<p class="entry-link"><a href="{}" data-amend="{}">Amend'
                '<span class="sr-only"> the {} of {}</span></a></p>',
                entry.amend_url,
                entry.record[0],
                entry.title.lower(),
                _day(entry),
            )
        )
    parts.append("</li>")
    return "\n".join(parts)


def timeline_html(entries: Iterable[TimelineEntry], *, can: Mapping[str, bool]) -> SafeString:
    """The entries' `<li>`s, for the page's `<ol class="timeline">`; `can` is the page's
    permissions (who may amend which kind of record)."""
    return mark_safe("\n".join(_entry(e, can) for e in entries))  # noqa: S308 (escaped above)
