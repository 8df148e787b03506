"""An upcoming appointment as an .ics file for the patient's own calendar.

Calendars are synced to phones, shared with family and shown on lock screens: the file says
only "an appointment with <the clinic's neutral sender name>", the time and how to call. No
clinic name (it may name the treatment), no kind of visit, diagnosis, drug or dose.
"""

from __future__ import annotations

from datetime import datetime

from icalendar import Calendar, Event

from botoxcare.models import Clinic
from patients.models import Appointment


def appointment_ics(appointment: Appointment, *, clinic: Clinic, now: datetime) -> bytes:
    sender = clinic.settings.reminder_sender
    phone = clinic.phone
    calendar = Calendar()
    calendar.add("prodid", "-//Clinic portal//Appointments//EN")  # no product name either
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"appointment-{appointment.pk}@calendar.invalid")
    event.add("dtstamp", now)
    event.add("dtstart", appointment.starts_at)
    event.add("dtend", appointment.ends_at)
    event.add("summary", f"Appointment with {sender}")
    event.add(
        "description",
        f"Your appointment with {sender}. To change or cancel it, please call {phone}."
        if phone
        else f"Your appointment with {sender}. To change or cancel it, please call us.",
    )
    calendar.add_component(event)
    return calendar.to_ical()
