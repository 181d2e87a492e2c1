"""The assessment tools (MUK) move from the catalogue to this app: each register row becomes an instrument with
an empty draft version 1. A validation date typed in the old register is not a FR.VA record, so the version is
not validated: its content and validation are entered in the instrument screens (or the scheme file)."""

from django.db import migrations


def copy(apps, schema_editor):
    Old = apps.get_model("catalog", "Instrument")
    Instrument = apps.get_model("assessment", "Instrument")
    Version = apps.get_model("assessment", "InstrumentVersion")
    for old in Old.objects.all():
        inst = Instrument.objects.create(scheme_id=old.scheme_id, form=old.form,
                                         title=old.title or f"FR.{old.form}")
        Version.objects.create(instrument=inst, number=1)


class Migration(migrations.Migration):
    dependencies = [
        ("assessment", "0004_instruments"),
        ("catalog", "0001_initial"),
    ]

    operations = [migrations.RunPython(copy, migrations.RunPython.noop)]
