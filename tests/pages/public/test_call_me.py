"""The public page and "Call me": no account needed, clear errors, nothing personal in URLs,
robots and floods store nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from patients.models import CallbackRequest
from tests.factories import ClinicFactory

pytestmark = pytest.mark.django_db


def form(**changes):
    data = {
        "name": "Ann Smith",
        "phone": "07700 900123",
        "best_times": "Weekday mornings",
        "topic": "new_referral",
        "message": "",
        "contact_consent": "on",
        "website": "",
    }
    data.update(changes)
    return data


def test_with_one_clinic_the_home_page_is_its_page(client, clinic):
    page = client.get(reverse("public:home")).content.decode()
    assert clinic.name in page and clinic.phone in page
    assert reverse("public:call-me", args=[clinic.slug]) in page
    assert f'href="{reverse("login")}">Portal</a>' in page
    assert page.count("<h3>") == 5  # the five steps, from the clinic's text


def test_with_several_clinics_the_visitor_chooses(client, clinic, other_clinic):
    page = client.get(reverse("public:home")).content.decode()
    for c in (clinic, other_clinic):
        assert reverse("public:clinic", args=[c.slug]) in page
    assert client.get(reverse("public:clinic", args=["nowhere"])).status_code == 404


def test_the_clinic_edits_its_own_page(client, clinic):
    clinic.settings.public_steps = "First we talk\nAbout your headaches.\n\nThen we treat\n"
    clinic.settings.public_intro = "<script>alert(1)</script> Welcome."
    clinic.settings.save()
    page = client.get(reverse("public:clinic", args=[clinic.slug])).content.decode()
    assert "<h3>First we talk</h3><p>About your headaches.</p>" in page
    assert "<h3>Then we treat</h3>" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Welcome." in page


def test_a_request_is_sent_and_confirmed_without_personal_data_in_the_url(client, clinic):
    url = reverse("public:call-me", args=[clinic.slug])
    response = client.post(url, form())
    assert response.status_code == 302
    assert response["Location"] == reverse("public:sent", args=[clinic.slug])
    request = CallbackRequest.objects.get()
    assert (request.clinic, request.name, request.best_times) == (
        clinic,
        "Ann Smith",
        "Weekday mornings",
    )
    page = client.get(response["Location"]).content.decode()
    assert "We aim to call you by" in page and "Ann" not in page


def test_bad_input_is_explained_and_nothing_is_stored(client, clinic):
    url = reverse("public:call-me", args=[clinic.slug])
    response = client.post(url, form(phone="call me maybe", contact_consent="", name="A" * 101))
    assert response.status_code == 400
    page = response.content.decode()
    for code in ("phone_invalid", "required", "max_length"):
        assert f'data-refusal="{code}"' in page
    assert "Nothing was sent." in page
    assert not CallbackRequest.objects.exists()


def test_a_side_effect_request_asks_to_read_the_danger_signs_first(client, clinic):
    url = reverse("public:call-me", args=[clinic.slug])
    page = client.get(url).content.decode()
    assert "call the emergency services (999) now" in page  # shown before anything is sent
    response = client.post(url, form(topic="side_effect"))
    assert response.status_code == 400
    assert 'data-refusal="urgent_not_read"' in response.content.decode()
    assert not CallbackRequest.objects.exists()
    assert client.post(url, form(topic="side_effect", urgent_understood="on")).status_code == 302
    assert CallbackRequest.objects.get().is_side_effect


def test_a_robot_filling_the_honeypot_is_thanked_and_nothing_is_stored(client, clinic):
    url = reverse("public:call-me", args=[clinic.slug])
    response = client.post(url, form(website="http://spam.example"))
    assert response.status_code == 302
    assert not CallbackRequest.objects.exists()


def test_a_flood_from_one_address_is_refused_and_stores_nothing(client, clinic, settings):
    settings.CALLBACK_LIMIT_PER_ADDRESS = 2
    url = reverse("public:call-me", args=[clinic.slug])
    for n in range(2):
        assert client.post(url, form(phone=f"07700 90000{n}")).status_code == 302
    response = client.post(url, form(phone="07700 900009", name="Third Person"))
    assert response.status_code == 400
    assert 'data-refusal="too_many_from_address"' in response.content.decode()
    assert not CallbackRequest.objects.filter(name="Third Person").exists()


def test_each_clinic_gets_its_own_requests(client, clinic):
    other = ClinicFactory()
    client.post(reverse("public:call-me", args=[other.slug]), form())
    assert CallbackRequest.objects.get().clinic == other


def test_one_number_asking_again_from_other_addresses_is_refused_and_stores_nothing(
    client, clinic, settings
):
    """The per-number limit holds however the number is written and wherever it comes from."""
    settings.CALLBACK_LIMIT_PER_PHONE = 3
    url = reverse("public:call-me", args=[clinic.slug])
    for n, phone in enumerate(("07700 900123", "07700-900-123", "(07700) 900 123")):
        response = client.post(url, form(phone=phone), REMOTE_ADDR=f"198.51.100.{n + 1}")
        assert response.status_code == 302
    response = client.post(
        url,
        form(phone="07700900123", name="Fourth Caller", best_times="Evenings only"),
        REMOTE_ADDR="198.51.100.99",
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'data-refusal="too_many_for_phone"' in page
    assert "Nothing was sent." in page
    assert CallbackRequest.objects.count() == 3
    assert not CallbackRequest.objects.filter(name="Fourth Caller").exists()
    assert not CallbackRequest.objects.filter(best_times="Evenings only").exists()
    # Another number from that same address is still welcome.
    assert (
        client.post(url, form(phone="07700 900456"), REMOTE_ADDR="198.51.100.99").status_code == 302
    )
