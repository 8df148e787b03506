from __future__ import annotations

from datetime import date, time, timedelta
from typing import Any

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from botoxcare.models import Clinic
from botoxcare.roles import Role
from botoxcare.services import clinic_create, staff_create
from botoxcare.two_factor.codes import next_code
from botoxcare.two_factor.services import totp_device_add
from patients.models import Patient
from treatments.models import ConsentForm, Course, ProductLot
from treatments.services.course import current_state_keep

PASSWORD = "correct-horse-battery-staple"
# Staff made here have an authenticator app with this key (RFC 6238's test key, in hex).
TOTP_KEY = "3132333435363738393031323334353637383930"


class ClinicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Clinic

    # A name that gives away the treatment: reminders must not repeat it.
    name = factory.Sequence(lambda n: f"Migraine Botox Clinic {n}")
    slug = factory.Sequence(lambda n: f"clinic-{n}")
    phone = "020 7946 0000"

    @classmethod
    def _create(cls, model_class: Any, *args: Any, **kwargs: Any) -> Clinic:
        clinic = clinic_create(**kwargs)
        # No quiet hours, so that a test's outcome never depends on the time of day it runs;
        # the tests of quiet hours set them.
        clinic.settings.quiet_from = clinic.settings.quiet_until = time(0, 0)
        clinic.settings.save(update_fields=["quiet_from", "quiet_until"])
        return clinic


def make_staff(
    clinic: Clinic, role: Role, username: str | None = None, *, two_factor: bool = True
) -> Any:
    """A member of `clinic`; with an authenticator app set up (key `TOTP_KEY`) unless
    `two_factor=False` (then they set it up at their first sign-in)."""
    n = get_user_model().objects.count()
    user = staff_create(
        clinic=clinic,
        username=username or f"{role.value}{n}",
        password=PASSWORD,
        roles=[role],
        first_name=role.value.title(),
        last_name=f"Staff{n}",
    )
    if two_factor:
        totp_device_add(user=user, key=TOTP_KEY)
    return user


def app_device(user: Any) -> TOTPDevice:
    """The user's authenticator app (made with `TOTP_KEY` if they have none)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or totp_device_add(user=user, key=TOTP_KEY)


def totp_code(user: Any) -> str:
    """A code the user's authenticator app would show that the site accepts now: also for a
    second sign-in in the same 30 seconds (see `next_code`)."""
    device = app_device(user)
    device.refresh_from_db()
    return next_code(device)


class PatientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Patient
        skip_postgeneration_save = True

    clinic = factory.SubFactory(ClinicFactory)
    identifier = factory.Sequence(lambda n: f"H{100000 + n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    date_of_birth = date(1980, 5, 17)
    phone = "07700 900123"
    email = factory.LazyAttribute(lambda p: f"{p.first_name.lower()}@example.org")

    @factory.post_generation
    def course(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted is not False:
            Course.objects.create(
                # Two years back: before any record a test dates in the past, since no
                # record of care is dated before its course started (treatments.care_dates).
                patient=self,
                started_on=timezone.localdate() - timedelta(days=730),
            )
            current_state_keep(self.pk)  # as the service opening a course keeps it


class ConsentFormFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConsentForm

    clinic = factory.SubFactory(ClinicFactory)
    version = 1
    title = "Consent to botulinum toxin treatment"
    body = "I agree to the injections. The risks were explained."


class ProductLotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductLot

    clinic = factory.SubFactory(ClinicFactory)
    lot_number = factory.Sequence(lambda n: f"C{6000 + n}C3")
    expiry_date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=365))
    vial_units = 200
