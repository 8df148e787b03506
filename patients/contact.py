"""The one rule about a patient's contact details: the channel they prefer needs its address.
Registration, the contact form and the contact service all read it."""

from __future__ import annotations

from botoxcare.errors import Refusal
from botoxcare.messaging import ContactChannel

from .reasons import Reason


def contact_refusals(*, phone: str, email: str, preferred_channel: str) -> list[Refusal]:
    """What is missing for the preferred channel; empty when the details are enough."""
    if preferred_channel == ContactChannel.EMAIL and not email.strip():
        return [
            Refusal(
                Reason.CHANNEL_NEEDS_EMAIL,
                "An email address is needed to contact the patient by email.",
                field="email",
            )
        ]
    if preferred_channel in (ContactChannel.PHONE, ContactChannel.SMS) and not phone.strip():
        return [
            Refusal(
                Reason.CHANNEL_NEEDS_PHONE,
                "A phone number is needed for calls and text messages.",
                field="phone",
            )
        ]
    return []
