"""The session's one lot, vial size, saline and units discarded now live on its vials (0016
copied them); a separate migration so that PostgreSQL alters the table after the copy's
transaction."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("treatments", "0016_injection_vials"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="injectionsession",
            name="diluent_ml",
        ),
        migrations.RemoveField(
            model_name="injectionsession",
            name="lot",
        ),
        migrations.RemoveField(
            model_name="injectionsession",
            name="units_discarded",
        ),
        migrations.RemoveField(
            model_name="injectionsession",
            name="vial_units",
        ),
    ]
