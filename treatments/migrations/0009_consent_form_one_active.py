from django.db import migrations, models


def keep_newest_active(apps, schema_editor):
    """Before the constraint: where a clinic has several active versions, the newest stays
    active (it is the one consent_form_active already chose)."""
    ConsentForm = apps.get_model("treatments", "ConsentForm")
    seen = set()
    for form in ConsentForm.objects.filter(is_active=True).order_by("clinic_id", "-version"):
        if form.clinic_id in seen:
            form.is_active = False
            form.save(update_fields=["is_active"])
        seen.add(form.clinic_id)


class Migration(migrations.Migration):
    dependencies = [
        ("treatments", "0008_checkin_and_consent_renewal"),
    ]

    operations = [
        migrations.RunPython(keep_newest_active, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="consentform",
            constraint=models.UniqueConstraint(
                condition=models.Q(("is_active", True)),
                fields=("clinic",),
                name="consent_form_one_active",
            ),
        ),
    ]
