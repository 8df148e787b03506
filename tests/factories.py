from __future__ import annotations

from datetime import date, time, timedelta
from typing import Any

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from botoxcare.models import Clinic
from botoxcare.roles import Role
from botoxcare.services import clinic_create, staff_create
from patients.models import Patient
from treatments.models import ConsentForm, Course, ProductLot

PASSWORD = "correct-horse-battery-staple"


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


def make_staff(clinic: Clinic, role: Role, username: str | None = None) -> Any:
    n = get_user_model().objects.count()
    return staff_create(
        clinic=clinic,
        username=username or f"{role.value}{n}",
        password=PASSWORD,
        roles=[role],
        first_name=role.value.title(),
        last_name=f"Staff{n}",
    )


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
                patient=self, started_on=timezone.localdate() - timedelta(days=60)
            )


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
